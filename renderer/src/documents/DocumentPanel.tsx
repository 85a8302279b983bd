// Documents of the selected agenda item, the viewer, following the presenter, and personal
// notes per page. Works offline (no session) and live (with the briefing's session state).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DocumentRef, PageNote, PublishedBriefing } from '../../../main/api/contract';
import type { PresenterPage } from '../../../sfu-server/protocol';
import { desktop } from '../desktop';
import { errorMessage } from '../views/errors';
import { DocumentViewer } from './DocumentViewer';

interface Live {
  presenterPage: (PresenterPage & { presenterPeerId: string }) | null;
  ownPeerId: string | null;
  /** Only where this seat may present (the chair, or the point the chair made presenter). */
  present?: (page: PresenterPage) => void;
}

interface Props {
  briefing: PublishedBriefing;
  itemIndex: number;
  live?: Live;
}

interface Open {
  doc: DocumentRef;
  page: number;
  zoom: number;
}

export function DocumentPanel({ briefing, itemIndex, live }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Open | null>(null);
  const [following, setFollowing] = useState(true);
  const [presenting, setPresenting] = useState(false);
  const [notes, setNotes] = useState<PageNote[]>([]);
  const [noteDraft, setNoteDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  // The item may be gone from a version published since.
  const item = briefing.agenda.at(itemIndex);
  const allDocs = briefing.agenda.flatMap((i) => i.documents);
  const presenter = live?.presenterPage ?? null;
  const someoneElsePresents = !!presenter && presenter.presenterPeerId !== live?.ownPeerId;

  // Following: the presenter's page and zoom, as soon as the event arrives.
  useEffect(() => {
    if (!following || !someoneElsePresents) return;
    const doc = allDocs.find((d) => d.sha256 === presenter.sha256);
    if (doc) {
      setPresenting(false);
      setOpen({ doc, page: presenter.page, zoom: presenter.zoom });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows the presenter's page; the document list is looked up, not watched
  }, [presenter, following, someoneElsePresents]);

  const openSha256 = open?.doc.sha256;
  useEffect(() => {
    if (!openSha256) return;
    desktop.getPageNotes({ sha256: openSha256 }).then(setNotes, () => setNotes([]));
  }, [openSha256]);
  useEffect(() => {
    setNoteDraft(notes.find((n) => n.page === open?.page)?.text ?? '');
  }, [notes, open?.page]);

  function navigate(doc: DocumentRef, page: number, zoom: number) {
    setOpen({ doc, page, zoom });
    if (presenting && live?.present) live.present({ sha256: doc.sha256, page, zoom });
    // Browsing away from the presenter's page stops following until the operator returns.
    else if (someoneElsePresents && (doc.sha256 !== presenter.sha256 || page !== presenter.page)) setFollowing(false);
  }

  async function openDoc(doc: DocumentRef) {
    setError(null);
    if (doc.mimeType !== 'application/pdf') {
      await desktop.openDocumentExternally({ sha256: doc.sha256 }).catch((e: unknown) => setError(errorMessage(t, e)));
      return;
    }
    navigate(doc, 1, 1);
  }

  async function saveNote() {
    if (!open) return;
    await desktop.savePageNote({ sha256: open.doc.sha256, page: open.page, text: noteDraft }).catch((e: unknown) => setError(errorMessage(t, e)));
    setNotes(await desktop.getPageNotes({ sha256: open.doc.sha256 }).catch(() => notes));
  }

  return (
    <section className="documents">
      <div className="document-list">
        <h3>{item ? item.title : ''}</h3>
        {item && item.documents.length === 0 && <p className="muted">{t('documents.none')}</p>}
        <ul>
          {item?.documents.map((doc) => (
            <li key={doc.sha256}>
              <button type="button" onClick={() => void openDoc(doc)} aria-pressed={open?.doc.sha256 === doc.sha256}>
                {doc.name}
              </button>
            </li>
          ))}
        </ul>
        {live?.present && open && (
          <button type="button" aria-pressed={presenting} onClick={() => {
            const next = !presenting;
            setPresenting(next);
            if (next) live.present?.({ sha256: open.doc.sha256, page: open.page, zoom: open.zoom });
          }}>
            {presenting ? t('documents.stopPresenting') : t('documents.present')}
          </button>
        )}
        {someoneElsePresents && !following && (
          <button type="button" className="primary" onClick={() => setFollowing(true)}>
            {t('documents.backToPresenter')}
          </button>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </div>
      {open && (
        <div className="document-main">
          <DocumentViewer sha256={open.doc.sha256} name={open.doc.name} page={open.page} zoom={open.zoom} onNavigate={(page, zoom) => navigate(open.doc, page, zoom)} />
          <label className="note">
            {t('documents.note', { page: open.page })}
            <textarea value={noteDraft} onChange={(e) => setNoteDraft(e.target.value)} onBlur={() => void saveNote()} rows={3} />
          </label>
        </div>
      )}
    </section>
  );
}
