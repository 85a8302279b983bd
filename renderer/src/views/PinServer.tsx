// Trusting the host unit's server by the CA fingerprint its invitation carries: the operator
// confirms once, the app checks the server's CA against it, and no root certificate needs
// installing in the operating system (the desktop app; a browser tab keeps the system's trust).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { desktop } from '../desktop';
import { errorMessage } from './errors';

export function PinServer({ serverUrl, fingerprint }: { serverUrl: string; fingerprint: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ kind: 'asking' } | { kind: 'busy' } | { kind: 'pinned' } | { kind: 'error'; text: string }>({ kind: 'asking' });
  const host = new URL(serverUrl).host;

  async function pin() {
    setState({ kind: 'busy' });
    try {
      await desktop.pinServerCa({ serverUrl, fingerprint });
      setState({ kind: 'pinned' });
    } catch (e) {
      setState({ kind: 'error', text: errorMessage(t, e) });
    }
  }

  if (state.kind === 'pinned') return <p className="notice" role="status">{t('prejoin.pin.done', { host })}</p>;
  return (
    <div className="pin-server" role="group" aria-label={t('prejoin.pin.title')}>
      <p>{t('prejoin.pin.ask', { host, fingerprint })}</p>
      <button type="button" disabled={state.kind === 'busy'} onClick={() => void pin()}>
        {t('prejoin.pin.confirm')}
      </button>
      {state.kind === 'error' && (
        <p className="error" role="alert">
          {state.text}
        </p>
      )}
    </div>
  );
}
