// This PC as the server of its host unit, reachable from every tab: the addresses communes enter,
// the CA certificate and its fingerprint to hand out, and the stop button. The invitations to
// send are in Chuẩn bị.
import { useTranslation } from 'react-i18next';
import type { HostInfo } from '../../../main/api/contract';

export function HostingPanel({ info, onStop, onInvitations }: { info: HostInfo; onStop: () => void; onInvitations: () => void }) {
  const { t } = useTranslation();
  return (
    <details className="hosting" data-testid="hosting-panel">
      <summary>{t('hosting.summary')}</summary>
      <p>{t('prejoin.hosting')}</p>
      <ul>
        {info.addresses.map((a) => (
          <li key={a}>
            <code>{a}</code>
          </li>
        ))}
      </ul>
      {info.caCertFile && (
        <p className="muted" data-testid="host-ca">
          {t('prejoin.hostingCa', { file: info.caCertFile, fingerprint: info.caFingerprint })}
        </p>
      )}
      <p>
        <button type="button" onClick={onInvitations}>
          {t('hosting.invitations')}
        </button>{' '}
        <button type="button" className="danger" onClick={onStop}>
          {t('prejoin.stopHosting')}
        </button>
      </p>
    </details>
  );
}
