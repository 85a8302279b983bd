// What happens to the minutes after the briefing: export for the records office (DOCX, PDF),
// the digital signatures in Decree 30's order (the secretary, then the chair; certificate file or
// USB token), and issuing the signed files to every meeting point that attended.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordEntry } from '../../../main/api/contract';
import { desktop } from '../desktop';
import { fileBase64 } from '../fileBase64';
import { errorMessage } from '../views/errors';

type Kind = 'minutes' | 'conclusions';


interface Props {
  briefingCode: string;
  serverUrl: string;
  /** The host unit's rule, kept with the meeting point's settings. */
  chairSignsAlone: boolean;
  onChairSignsAloneChange: (value: boolean) => void;
  onSigned: () => void;
}

export function RecordActions({ briefingCode, serverUrl, chairSignsAlone, onChairSignsAloneChange, onSigned }: Props) {
  const { t } = useTranslation();
  /** Where exports land when the desktop asks no one (the browser-tab mode). */
  const [folder, setFolder] = useState('');
  const [kind, setKind] = useState<Kind>('minutes');
  const [role, setRole] = useState<'secretary' | 'chair'>('secretary');
  /** The notice has only the chair's place. */
  const signer = kind === 'conclusions' ? 'chair' : role;
  const [keyType, setKeyType] = useState<'pkcs12' | 'pkcs11'>('pkcs12');
  const [certFile, setCertFile] = useState<File | null>(null);
  const [image, setImage] = useState<File | null>(null);
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [signed, setSigned] = useState<RecordEntry | null>(null);

  useEffect(() => {
    void desktop.defaultExportFolder().then((r) => setFolder(r.folder), () => undefined);
  }, []);

  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ kind: 'ok', text: await work() });
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e) });
    } finally {
      setBusy(false);
    }
  };

  /** What the operator must fill in first, said before any call is made. */
  const refuse = (key: string) => setMessage({ kind: 'error', text: t(key) });

  // Where the file goes is the desktop's to decide (a save dialog, or the Documents folder).
  const exportAs = (format: 'docx' | 'pdf') =>
    run(async () => {
      const { file } = await desktop.exportRecord({ briefingCode, kind, format });
      return t('records.exported', { file });
    });

  const sign = () => {
    if (keyType === 'pkcs12' && !certFile) return refuse('records.chooseCertificate');
    if (keyType === 'pkcs11' && !secret) return refuse('records.enterPin');
    return run(async () => {
      const key =
        keyType === 'pkcs12' && certFile
          ? { type: 'pkcs12' as const, dataBase64: await fileBase64(certFile), password: secret }
          : { type: 'pkcs11' as const, pin: secret };
      const entry = await desktop.signRecord({ briefingCode, kind, as: signer, key, imageBase64: image ? await fileBase64(image) : null });
      setSigned(entry);
      setSecret('');
      onSigned();
      if (entry.awaitingChair) return t('records.signedBySecretary', { name: entry.signature.signer?.name ?? '' });
      // Offline the signature is B-B: said, so the chair knows its time is this PC's clock.
      const level = entry.signature.level === 'B-T' ? t('records.signedStamped') : t('records.signedOffline');
      return `${t('records.signed', { name: entry.signature.signer?.name ?? '' })} ${level}`;
    });
  };

  const distribute = () =>
    run(async () => {
      if (!signed) return '';
      const { recipients } = await desktop.distributeRecord({ serverUrl, sha256: signed.sha256 });
      return t('records.distributed', { points: recipients.join(', ') });
    });

  return (
    <section className="record-actions" aria-label={t('records.actions')}>
      <h3>{t('records.actions')}</h3>
      <label>
        {t('records.kind')}
        <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="minutes">{t('records.kinds.minutes')}</option>
          <option value="conclusions">{t('records.kinds.conclusions')}</option>
        </select>
      </label>
      <p className="muted">{t('records.exportWhere', { folder })}</p>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void exportAs('docx')}>
          {t('records.exportDocx')}
        </button>
        <button type="button" disabled={busy} onClick={() => void exportAs('pdf')}>
          {t('records.exportPdf')}
        </button>
      </div>
      <fieldset>
        <legend>{t('records.sign')}</legend>
        <p className="muted">{t('records.order')}</p>
        <div className="row" role="radiogroup" aria-label={t('records.signAs')}>
          {t('records.signAs')}:
          {(['secretary', 'chair'] as const).map((r) => (
            <label key={r}>
              <input type="radio" name="sign-as" checked={signer === r} disabled={kind === 'conclusions' && r === 'secretary'} onChange={() => setRole(r)} /> {t(`records.roles.${r}`)}
            </label>
          ))}
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={chairSignsAlone} onChange={(e) => onChairSignsAloneChange(e.target.checked)} /> {t('records.chairSignsAlone')}
        </label>
        <label>
          <input type="radio" checked={keyType === 'pkcs12'} onChange={() => setKeyType('pkcs12')} /> {t('records.keyFile')}
        </label>
        <label>
          <input type="radio" checked={keyType === 'pkcs11'} onChange={() => setKeyType('pkcs11')} /> {t('records.keyToken')}
        </label>
        {keyType === 'pkcs12' ? (
          <label>
            {t('records.certificateFile')}
            <input type="file" accept=".p12,.pfx" onChange={(e) => setCertFile(e.target.files?.[0] ?? null)} />
          </label>
        ) : (
          <p className="muted">{t('records.tokenFound')}</p>
        )}
        <label>
          {keyType === 'pkcs12' ? t('records.password') : t('records.pin')}
          <input type="password" autoComplete="off" value={secret} onChange={(e) => setSecret(e.target.value)} />
        </label>
        <label>
          {t('records.signatureImage')}
          <input type="file" accept="image/png" onChange={(e) => setImage(e.target.files?.[0] ?? null)} />
        </label>
        <button type="button" disabled={busy} onClick={() => void sign()}>
          {t('records.signButton')}
        </button>
        {signed?.complete && (
          <button type="button" disabled={busy || !serverUrl} onClick={() => void distribute()}>
            {t('records.distribute')}
          </button>
        )}
      </fieldset>
      {message && (
        <p className={message.kind === 'error' ? 'error' : 'notice'} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </section>
  );
}
