// One point's invitation as a person reads it and a camera scans it: the lines of the text beside
// the QR code of its link, printable on its own (the rest of the page is hidden in print).
import { useTranslation } from 'react-i18next';
import { type Invitation, invitationLink, invitationText } from '../../../main/api/invitation';
import { InvitationQr } from './InvitationQr';

export function InvitationCard({ invitation, seat, title, onClose }: { invitation: Invitation; seat: string; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const lines = invitationText({ ...invitation, seat, title }).split('\n').slice(0, -1);
  return (
    <div className="invitation-card print-only-this" data-invitation-card={seat}>
      <InvitationQr link={invitationLink(invitation)} label={t('prepare.invites.qrOf', { seat })} />
      <div>
        {lines.map((line) => (
          <p key={line}>{line}</p>
        ))}
        <p className="muted">{t('prepare.invites.qrHint')}</p>
        <div className="no-print">
          <button type="button" onClick={() => window.print()}>
            {t('prepare.invites.print')}
          </button>
          <button type="button" onClick={onClose}>
            {t('prepare.invites.closeQr')}
          </button>
        </div>
      </div>
    </div>
  );
}
