// An enrolment sheet's link or QR code read on the pre-join screen: once the operator presses the
// button (after trusting the server, if asked), this PC is enrolled and the briefings that invite
// its point arrive by themselves.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EnrolmentLink } from '../../../main/api/enrolmentLink';
import { desktop } from '../desktop';
import { errorMessage } from '../views/errors';

export function EnrolFromLink({ enrolment }: { enrolment: EnrolmentLink }) {
  const { t } = useTranslation();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  async function enrol() {
    setBusy(true);
    try {
      const answer = await desktop.syncBriefings({ serverUrl: enrolment.serverUrl, inviteCode: enrolment.code });
      if (!answer.reachable) setResult({ ok: false, text: t('errors.unreachable', { url: enrolment.serverUrl }) });
      else if (answer.enrolled) setResult({ ok: true, text: t('briefings.enrolled', { point: answer.enrolled.point, organizer: answer.enrolled.organizer, count: answer.enrolled.briefings }) });
    } catch (e) {
      setResult({ ok: false, text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="enrol-from-link">
      <p>{t('prejoin.enrolmentRead', { server: enrolment.serverUrl })}</p>
      {!result?.ok && (
        <button type="button" disabled={busy} onClick={() => void enrol()}>
          {t('prejoin.enrolHere')}
        </button>
      )}
      {result && (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'notice' : 'error'}>
          {result.text}
        </p>
      )}
    </div>
  );
}
