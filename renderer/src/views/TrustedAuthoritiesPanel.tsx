// The administrator's list of certification authorities this PC trusts (the national root CA,
// the government's public-service CA): a signed record shows as trusted only when its signer's
// certificate leads to one of these.
import { type ChangeEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatShortDate, languageOf } from '../format';
import type { TrustedAuthority } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { errorMessage } from './errors';


export function TrustedAuthoritiesPanel({ onChanged }: { onChanged: () => void }) {
  const { t, i18n } = useTranslation();
  const [authorities, setAuthorities] = useState<TrustedAuthority[]>([]);
  const [message, setMessage] = useState<{ kind: 'error' | 'notice'; text: string } | null>(null);

  useEffect(() => {
    desktop.listTrustedAuthorities().then(setAuthorities, () => undefined);
  }, []);

  async function add(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      setAuthorities(await desktop.importTrustedAuthority({ dataBase64: await fileBase64(file) }));
      setMessage({ kind: 'notice', text: t('trust.added', { file: file.name }) });
      onChanged();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    }
  }

  async function remove(sha256: string) {
    await desktop.removeTrustedAuthority({ sha256 }).catch((e: unknown) => setMessage({ kind: 'error', text: errorMessage(t, e) }));
    setAuthorities(await desktop.listTrustedAuthorities());
    onChanged();
  }

  return (
    <details className="trusted-authorities">
      <summary>{t('trust.title', { count: authorities.length })}</summary>
      <p className="muted">{t('trust.hint')}</p>
      <ul>
        {authorities.map((a) => (
          <li key={a.sha256} data-authority={a.name}>
            {a.name} · {t('trust.validTo', { date: formatShortDate(a.validTo, languageOf(i18n.language)) })}{' '}
            <button type="button" className="link" onClick={() => void remove(a.sha256)}>
              {t('trust.remove')}
            </button>
          </li>
        ))}
      </ul>
      <label className="file">
        {t('trust.import')}
        <input type="file" accept=".cer,.crt,.pem,.der" onChange={(e) => void add(e)} />
      </label>
      {message && (
        <p className={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </details>
  );
}
