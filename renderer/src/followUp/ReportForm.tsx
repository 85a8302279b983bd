// The assignee's report on one assignment: a short note, how far along, or done, and a document.
import { type SubmitEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentView } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { errorMessage } from '../views/errors';

export function ReportForm({ serverUrl, item, onReported }: { serverUrl: string; item: AssignmentView; onReported: (item: AssignmentView) => void }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [percent, setPercent] = useState(item.progress.at(-1)?.percent ?? 0);
  const [done, setDone] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function send(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim() && !done) return setError(t('followUp.noteNeeded'));
    setBusy(true);
    setError(null);
    try {
      const attachment = file ? { name: file.name, dataBase64: await fileBase64(file) } : null;
      onReported(await desktop.reportProgress({ serverUrl, id: item.id, note: note.trim(), percent, done, attachment }));
    } catch (e) {
      setError(errorMessage(t, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="report-form" onSubmit={(e) => void send(e)} aria-label={t('followUp.reportFor', { task: item.task })}>
      <label>
        {t('followUp.note')}
        <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
      </label>
      <label>
        {t('followUp.percent')}
        <input type="number" min={0} max={100} value={done ? 100 : percent} disabled={done} onChange={(e) => setPercent(Math.max(0, Math.min(100, Number(e.target.value) || 0)))} />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={done} onChange={(e) => setDone(e.target.checked)} />
        {t('followUp.done')}
      </label>
      <label className="file">
        {t('followUp.attach')}
        <input type="file" accept=".pdf,.docx,.xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t('followUp.send')}
      </button>
      {error && <p className="error" role="alert">{error}</p>}
    </form>
  );
}
