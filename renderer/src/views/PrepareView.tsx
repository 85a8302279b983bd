// Preparing a briefing (district secretary or chair): the invitation's fields, the agenda with
// its documents, saved as a draft while typing, then published to the server.
import { type ChangeEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BriefingDraft, DocumentRef, Profile, PublishResult, PublishedBriefing } from '../../../main/api/contract';
import { BriefingDraft as DraftSchema } from '../../../sfu-server/protocol/briefing';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { InviteList } from '../chairing/InviteList';
import { PublishedInvitations } from '../prepare/PublishedInvitations';
import { isValidCode, suggestCode } from '../prepare/suggestCode';
import { useInvitationServer } from '../prepare/useInvitationServer';
import { errorMessage } from './errors';
import { hostWording } from '../../../main/api/hostLevel';
import { DirectoryPanel } from '../prepare/DirectoryPanel';
import { languageOf } from '../format';

type Item = BriefingDraft['agenda'][number];
type Draft = Omit<BriefingDraft, 'invitedPoints' | 'invitedServers'> & { invitedPointsText: string; invitedServersText: string };

const emptyItem = (): Item => ({ title: '', presenter: '', plannedMinutes: 15, documents: [] });
const emptyDraft = (): Draft => ({
  code: '',
  title: '',
  hostUnit: '',
  chair: '',
  secretary: '',
  startsAt: '',
  expectedMinutes: 120,
  place: '',
  regular: true,
  series: '',
  invitedPointsText: '',
  invitedServersText: '',
  agenda: [emptyItem()],
});

/** datetime-local has no zone; briefings are in Vietnam time. */
const toIso = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+07:00` : '');
const toLocal = (iso: string) => (iso ? iso.slice(0, 16) : '');
const lines = (text: string) => text.split('\n').map((s) => s.trim()).filter(Boolean);
const toDraft = (d: Draft): BriefingDraft => {
  const { invitedPointsText, invitedServersText, ...rest } = d;
  const servers = lines(invitedServersText);
  return { ...rest, invitedPoints: lines(invitedPointsText), ...(servers.length ? { invitedServers: servers } : {}) };
};


/** The invited points with `names` added at the end, each once. */
function withPoints(text: string, names: string[]): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return [...lines, ...names.filter((n) => !lines.includes(n))].join('\n');
}

export function PrepareView({ profile, onProfileChange }: { profile: Profile; onProfileChange: (profile: Profile) => void }) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const resultRef = useRef<HTMLDivElement>(null);
  const invitationServer = useInvitationServer(profile.serverUrl);
  // The publish result and the codes come into view, not below the fold.
  // In a block: newer Chromium's scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [message]);

  /** Published briefings of a series, the last of each series first: "the next one" starts there. */
  const [seriesLast, setSeriesLast] = useState<PublishedBriefing[]>([]);
  useEffect(() => {
    desktop.listDrafts().then(([latest]) => {
      if (latest !== undefined) setFromSaved(latest);
    }, () => undefined);
    desktop.listBriefings().then((all) => setSeriesLast(lastOfEachSeries(all)), () => undefined);
  }, []);

  // A draft saved by an older version may lack fields: what it has is taken, checked.
  function setFromSaved(saved: unknown) {
    const checked = DraftSchema.partial().safeParse(saved);
    if (!checked.success) return;
    const d = checked.data;
    setDraft({ ...emptyDraft(), ...d, invitedPointsText: (d.invitedPoints ?? []).join('\n'), invitedServersText: (d.invitedServers ?? []).join('\n'), agenda: d.agenda?.length ? d.agenda : [emptyItem()] });
  }

  async function draftNext(code: string) {
    setMessage(null);
    try {
      setFromSaved(await desktop.draftNextInSeries({ briefingCode: code }));
      setPublished(null);
      setMessage({ kind: 'notice', text: t('prepare.nextDrafted') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    }
  }

  /** Every keystroke is kept, whatever the code says yet (the desktop keeps a draft without a
   * valid code under a placeholder until it has one). */
  function change(next: Draft) {
    setDraft(next);
    clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void desktop.saveDraft({ draft: toDraft(next) }).catch(() => undefined), 500);
  }
  const set = (patch: Partial<Draft>) => change({ ...draft, ...patch });
  /** The code follows the title until the organizer types one of their own. */
  const setTitle = (title: string) => set({ title, ...(draft.code === '' || draft.code === suggestCode(draft.title) ? { code: suggestCode(title) } : {}) });
  const setItem = (index: number, patch: Partial<Item>) =>
    set({ agenda: draft.agenda.map((item, i) => (i === index ? { ...item, ...patch } : item)) });

  async function addDocuments(index: number, event: ChangeEvent<HTMLInputElement>) {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    setMessage(null);
    const added: DocumentRef[] = [];
    for (const file of files) {
      try {
        const { ref } = await desktop.importDocument({ name: file.name, dataBase64: await fileBase64(file) });
        if ([...draft.agenda[index].documents, ...added].some((d) => d.sha256 === ref.sha256)) {
          setMessage({ kind: 'error', text: t('prepare.duplicate', { name: file.name }) });
        } else added.push(ref);
      } catch (e) {
        setMessage({ kind: 'error', text: `${file.name}: ${errorMessage(t, e)}` });
      }
    }
    if (added.length) setItem(index, { documents: [...draft.agenda[index].documents, ...added] });
  }

  const [published, setPublished] = useState<{ code: string; version: number; title: string } | null>(null);
  const [organizer, setOrganizer] = useState<string | null>(null);
  const [organizerKey, setOrganizerKey] = useState('');

  useEffect(() => {
    setOrganizer(null);
    if (profile.serverUrl) desktop.organizerFor({ serverUrl: profile.serverUrl }).then((o) => setOrganizer(o?.organizer ?? null), () => undefined);
  }, [profile.serverUrl]);

  async function saveOrganizerKey() {
    setMessage(null);
    if (!profile.serverUrl) return setMessage({ kind: 'error', text: t('errors.required', { field: t('prejoin.serverUrl').toLowerCase() }) });
    try {
      const saved = await desktop.saveOrganizerKey({ serverUrl: profile.serverUrl, key: organizerKey.trim() });
      setOrganizer(saved.organizer);
      setOrganizerKey('');
      setMessage({ kind: 'notice', text: t('prepare.keySaved', { organizer: saved.organizer }) });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    }
  }

  async function publish() {
    setMessage(null);
    const candidate = toDraft(draft);
    const checked = DraftSchema.safeParse(candidate);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      const field = String(issue.path[0] ?? '');
      const text = field === 'agenda' && issue.path.length === 1 ? t('prepare.noAgenda') : t('prepare.invalid', { field: t(`prepare.fields.${field}`, { defaultValue: field }) });
      setMessage({ kind: 'error', text });
      return;
    }
    if (!profile.serverUrl) return setMessage({ kind: 'error', text: t('errors.required', { field: t('prejoin.serverUrl').toLowerCase() }) });
    setBusy(true);
    try {
      const result: PublishResult = await desktop.publishBriefing({ serverUrl: profile.serverUrl, draft: checked.data });
      const published = t('prepare.published', { version: result.briefing.version });
      const late = result.lateWarning ? ` ${t('prepare.late', { days: result.lateWarning.workingDaysAhead, required: result.lateWarning.required })}` : '';
      setMessage({ kind: result.lateWarning ? 'error' : 'notice', text: published + late });
      setPublished({ code: result.briefing.code, version: result.briefing.version, title: result.briefing.title });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  }

  const codeWrong = draft.code !== '' && !isValidCode(draft.code);
  // The hints follow the host typed: a province's points are communes, wards and departments.
  const wording = hostWording(draft.hostUnit, languageOf(i18n.language));
  const hints: Partial<Record<string, string>> = {
    hostUnit: t('prepare.hostUnitExample'),
    chair: wording.chairExample,
    secretary: wording.secretaryExample,
    place: wording.place,
  };
  const text = (field: 'code' | 'title' | 'hostUnit' | 'chair' | 'secretary' | 'place') => (
    <label>
      {t(`prepare.fields.${field}`)}
      <input
        name={field}
        value={draft[field]}
        placeholder={hints[field]}
        aria-describedby={field === 'code' ? 'code-rule' : undefined}
        aria-invalid={field === 'code' ? codeWrong : undefined}
        onChange={(e) => (field === 'title' ? setTitle(e.target.value) : set({ [field]: e.target.value }))}
      />
    </label>
  );

  return (
    <main className="prepare">
      <header className="briefings-header">
        <h1>{t('prepare.heading')}</h1>
        <button type="button" onClick={() => { setDraft(emptyDraft()); setMessage(null); }}>
          {t('prepare.new')}
        </button>
      </header>
      {seriesLast.length > 0 && (
        <div className="series-next">
          {seriesLast.map((last) => (
            <button key={last.code} type="button" onClick={() => void draftNext(last.code)}>
              {t('prepare.nextInSeries', { series: last.series })}
            </button>
          ))}
        </div>
      )}
      <div className="prepare-grid">
        <label className="wide">
          {t('prejoin.serverUrl')}
          <input name="serverUrl" value={profile.serverUrl} placeholder="wss://10.0.0.5:7443" onChange={(e) => onProfileChange({ ...profile, serverUrl: e.target.value })} />
        </label>
        {text('title')}
        <div>
          {text('code')}
          <small id="code-rule" className={codeWrong ? 'error' : 'muted'} role={codeWrong ? 'alert' : undefined}>
            {t('prepare.codeRule')}
          </small>
        </div>
        {text('hostUnit')}
        {text('chair')}
        {text('secretary')}
        {text('place')}
        <label>
          {t('prepare.fields.series')}
          <input name="series" value={draft.series ?? ''} placeholder={t('prepare.seriesExample')} onChange={(e) => set({ series: e.target.value })} />
        </label>
        <label>
          {t('prepare.fields.startsAt')}
          <input type="datetime-local" name="startsAt" value={toLocal(draft.startsAt)} onChange={(e) => set({ startsAt: toIso(e.target.value) })} />
        </label>
        <label>
          {t('prepare.fields.expectedMinutes')}
          <input type="number" min={5} name="expectedMinutes" value={draft.expectedMinutes} onChange={(e) => set({ expectedMinutes: Number(e.target.value) })} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.regular} onChange={(e) => set({ regular: e.target.checked })} />
          {t('prepare.fields.regular')}
        </label>
        <label className="wide">
          {t('prepare.fields.invitedPoints')}
          <textarea name="invitedPoints" rows={4} value={draft.invitedPointsText} placeholder={wording.pointExample.split(', ').join('\n')} aria-describedby="points-hint" onChange={(e) => set({ invitedPointsText: e.target.value })} />
          <small id="points-hint" className="muted">{t('prepare.pointsHint', { points: wording.points })}</small>
        </label>
        <DirectoryPanel serverUrl={profile.serverUrl} onInvite={(names) => set({ invitedPointsText: withPoints(draft.invitedPointsText, names) })} />
        {/* A national briefing: province servers relay it to their own communes (docs/cascade.md). */}
        <label className="wide">
          {t('prepare.fields.invitedServers')}
          <textarea name="invitedServers" rows={2} value={draft.invitedServersText} aria-describedby="servers-hint" onChange={(e) => set({ invitedServersText: e.target.value })} />
          <small id="servers-hint" className="muted">{t('prepare.serversHint')}</small>
        </label>
      </div>
      <h2>{t('prepare.agenda')}</h2>
      <ol className="prepare-agenda">
        {draft.agenda.map((item, index) => (
          <li key={index} data-testid="agenda-item">
            {item.review ? (
              <p>
                <strong>{item.title}</strong> — <span className="muted">{t('prepare.reviewItem')}</span>
              </p>
            ) : (
              <ItemFields item={item} onChange={(patch) => setItem(index, patch)} onAddDocuments={(e) => void addDocuments(index, e)} />
            )}
            <button type="button" onClick={() => set({ agenda: draft.agenda.filter((_, i) => i !== index) })}>
              {t('prepare.removeItem')}
            </button>
          </li>
        ))}
      </ol>
      <div className="organizer-key">
        {organizer && <p className="muted">{t('prepare.organizerKnown', { organizer })}</p>}
        <label>
          {t('prepare.organizerKey')}
          <input type="password" autoComplete="off" value={organizerKey} onChange={(e) => setOrganizerKey(e.target.value)} />
        </label>
        <button type="button" disabled={organizerKey.trim().length < 8} onClick={() => void saveOrganizerKey()}>
          {t('prepare.saveKey')}
        </button>
        <p className="muted">{t('prepare.organizerHint')}</p>
      </div>
      <div className="actions">
        <button type="button" onClick={() => set({ agenda: [...draft.agenda, emptyItem()] })}>
          {t('prepare.addItem')}
        </button>
        <button type="button" className="primary" disabled={busy} onClick={() => void publish()}>
          {t('prepare.publish')}
        </button>
      </div>
      <div ref={resultRef}>
        {message && (
          <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}
        {published && <InviteList briefingCode={published.code} version={published.version} server={invitationServer} title={published.title} />}
      </div>
      <PublishedInvitations server={invitationServer} version={published?.version ?? 0} exclude={published?.code ?? null} />
    </main>
  );
}

/** The latest published briefing of each series on this PC. */
function lastOfEachSeries(briefings: PublishedBriefing[]): PublishedBriefing[] {
  const last = new Map<string, PublishedBriefing>();
  for (const b of briefings) {
    const key = b.series?.trim().toLowerCase();
    if (!key) continue;
    const known = last.get(key);
    if (!known || Date.parse(known.startsAt) < Date.parse(b.startsAt)) last.set(key, b);
  }
  return [...last.values()];
}

function ItemFields({ item, onChange, onAddDocuments }: { item: Item; onChange: (patch: Partial<Item>) => void; onAddDocuments: (event: ChangeEvent<HTMLInputElement>) => void }) {
  const { t } = useTranslation();
  return (
    <>
      <input aria-label={t('prepare.itemTitle')} placeholder={t('prepare.itemTitle')} value={item.title} onChange={(e) => onChange({ title: e.target.value })} />
      <input aria-label={t('prepare.itemPresenter')} placeholder={t('prepare.itemPresenter')} value={item.presenter} onChange={(e) => onChange({ presenter: e.target.value })} />
      <input aria-label={t('prepare.itemMinutes')} type="number" min={1} value={item.plannedMinutes} onChange={(e) => onChange({ plannedMinutes: Number(e.target.value) })} />
      <ul>
        {item.documents.map((doc) => (
          <li key={doc.sha256}>
            {doc.name}{' '}
            <button type="button" onClick={() => onChange({ documents: item.documents.filter((d) => d !== doc) })}>
              {t('prepare.remove')}
            </button>
          </li>
        ))}
      </ul>
      <label className="file">
        {t('prepare.addDocuments')}
        <input type="file" multiple accept=".pdf,.docx,.xlsx" onChange={onAddDocuments} />
      </label>
    </>
  );
}
