// Before joining: where to connect, which briefing, who we are, and a check of camera and
// microphone. Everything typed here is remembered for next time.
import { type SubmitEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, languageOf } from '../format';
import { serverAddressProblem } from '../../../main/api/serverAddress';
import type { HeldInvite, HistoryEntry, HostInfo, Profile } from '../../../main/api/contract';
import { BriefingCode } from '../../../sfu-server/protocol';
import { BriefingSession } from '../briefing/BriefingSession';
import { SignalingError } from '../briefing/SignalingClient';
import { desktop } from '../desktop';
import { errorMessage } from './errors';
import { listDevices, openLocalMedia, useMicLevel } from './media';
import { VideoTile } from './VideoTile';
import { FirstStartGuide } from './FirstStartGuide';
import { PinServer } from './PinServer';
import { usePreparedLink } from './usePreparedLink';
import { type Invitation, readInvitation } from '../../../main/api/invitation';
import { InvitationScanner } from '../invitations/InvitationScanner';
import { EnrolFromLink } from '../invitations/EnrolFromLink';
import { type EnrolmentLink, readEnrolmentLink } from '../../../main/api/enrolmentLink';

interface Props {
  /** An invitation link the app was opened with, to fill in once. */
  opened: string | null;
  onOpenedUsed: () => void;
  profile: Profile;
  onProfileChange: (profile: Profile) => void;
  /** The invite code as typed: kept by the app, so looking at another tab first loses nothing. */
  invite: string;
  onInviteChange: (update: (current: string) => string) => void;
  /** This PC's own server, when it hosts (the panel is the app's, reachable from every tab). */
  hostInfo: HostInfo | null;
  onHostingChange: (info: HostInfo) => void;
  /** `history`: the briefing's entry in this PC's history, once the desktop has written it. */
  onJoined: (session: BriefingSession, stream: MediaStream, history: Promise<number | null>) => void;
}

export function PreJoin({ opened, onOpenedUsed, profile, onProfileChange, invite, onInviteChange: setInvite, hostInfo, onHostingChange, onJoined }: Props) {
  const { t, i18n } = useTranslation();
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }>({
    cameras: [],
    microphones: [],
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [pasted, setPasted] = useState<{ text: string; read: boolean; ca: string | null; enrolment: EnrolmentLink | null } | null>(null);
  const [held, setHeld] = useState<HeldInvite | null>(null);
  const level = useMicLevel(stream);

  // The code this PC holds for the briefing: the chair's if it published it, else the one entered
  // last time. A code the operator is typing is never replaced by an empty one.
  const autoFilled = useRef('');
  useEffect(() => {
    let cancelled = false;
    const code = profile.briefingCode;
    if (!BriefingCode.safeParse(code).success) return setHeld(null);
    desktop.inviteForJoining({ briefingCode: code }).then(
      (found) => {
        if (cancelled) return;
        setHeld(found);
        const previous = autoFilled.current;
        autoFilled.current = found?.code ?? '';
        // Filled in only where the operator has typed nothing of their own.
        setInvite((current) => (current === '' || current === previous ? (found?.code ?? '') : current));
      },
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [profile.briefingCode, setInvite]);

  // Join pressed while the camera is still opening waits for it instead of saying there is none.
  const preparer = usePreparedLink(profile.serverUrl, profile.briefingCode, busy);
  const opening = useRef<Promise<MediaStream | null>>(Promise.resolve(null));
  useEffect(() => {
    let opened: MediaStream | null = null;
    let cancelled = false;
    opening.current = openLocalMedia(profile.cameraId, profile.microphoneId).then(
      (media) => {
        if (cancelled) {
          media.getTracks().forEach((track) => track.stop());
          return null;
        }
        opened = media;
        setStream(media);
        listDevices().then(setDevices, () => undefined);
        return media;
      },
      (e: unknown) => {
        if (!cancelled) setError(t('errors.media_denied', { detail: e instanceof Error ? e.message || e.name : String(e) }));
        return null;
      },
    );
    return () => {
      cancelled = true;
      setStream(null);
      // Tracks handed over to a briefing are stopped by the briefing view instead.
      if (opened && !handedOver.has(opened)) opened.getTracks().forEach((track) => track.stop());
    };
  }, [profile.cameraId, profile.microphoneId, t]);

  useEffect(() => {
    desktop.listBriefingHistory().then(setHistory, () => undefined);
  }, []);

  const change = (patch: Partial<Profile>) => onProfileChange({ ...profile, ...patch });

  /** An invitation pasted, scanned or opened as a link: it fills in what the operator would type. */
  function applyInvitation(text: string, read: Invitation | null) {
    // Not an invitation: perhaps a meeting point's enrolment sheet (its link or QR code).
    const enrolment = read ? null : readEnrolmentLink(text);
    setPasted(text.trim() ? { text, read: read !== null || enrolment !== null, ca: read?.caFingerprint ?? enrolment?.caFingerprint ?? null, enrolment } : null);
    if (enrolment) change({ serverUrl: enrolment.serverUrl });
    if (!read) return;
    onProfileChange({ ...profile, serverUrl: read.serverUrl, briefingCode: read.briefingCode });
    setInvite(() => read.inviteCode);
  }

  async function host() {
    setError(null);
    try {
      onHostingChange(await desktop.hostBriefing());
    } catch (e) {
      setError(errorMessage(t, e));
    }
  }

  async function join(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const current = stream;
    setError(null);
    if (!profile.serverUrl) return setError(t('errors.required', { field: t('prejoin.serverUrl').toLowerCase() }));
    const addressProblem = serverAddressProblem(profile.serverUrl);
    if (addressProblem) return setError(t(addressProblem === 'plain_remote' ? 'errors.plain_remote' : 'errors.bad_address'));
    if (!profile.briefingCode) return setError(t('errors.required', { field: t('prejoin.briefingCode').toLowerCase() }));
    if (!BriefingCode.safeParse(profile.briefingCode).success) return setError(t('errors.bad_code'));
    if (!profile.pointName) return setError(t('errors.required', { field: t('prejoin.pointName').toLowerCase() }));
    setBusy(true);
    let handedOn = false;
    try {
      const stream = current ?? (await opening.current);
      if (!stream) return setError(t('prejoin.noDevices'));
      // The profile is kept while the join goes on: its failure is not the join's.
      void desktop.saveProfile(profile).catch(() => undefined);
      const credential = invite.trim() || undefined;
      const prepared = preparer.take(profile.serverUrl, profile.briefingCode);
      const session = await BriefingSession.join({ ...profile, stream, credential, relayOnly: profile.relayOnly }, prepared);
      const seated = session.getState();
      // The invite kept and the briefing written in this PC's history alongside, not before the
      // briefing shows: each is a round trip to the desktop services.
      if (credential && seated.seat && seated.role && !(held?.origin === 'issued' && held.code === credential)) {
        void desktop.keepEnteredInvite({ briefingCode: profile.briefingCode, seat: seated.seat, role: seated.role, code: credential }).catch(() => undefined);
      }
      const history = desktop.briefingJoined({ serverUrl: profile.serverUrl, briefingCode: profile.briefingCode, pointName: profile.pointName }).then((r) => r.historyId, () => null);
      handedOver.add(stream);
      onJoined(session, stream, history);
      handedOn = true;
    } catch (e) {
      if (e instanceof SignalingError && e.code === 'unreachable') {
        // The page's WebSocket does not say why; the desktop tells a certificate problem apart.
        const { answer } = await desktop.probeServer({ serverUrl: profile.serverUrl }).catch(() => ({ answer: 'unreachable' as const }));
        setError(answer === 'certificate' ? t('errors.server.certificate', { detail: profile.serverUrl }) : t('errors.unreachable', { url: profile.serverUrl }));
      }
      else if (e instanceof SignalingError && e.code === 'bad_address') setError(t('errors.bad_address'));
      else setError(errorMessage(t, e));
    } finally {
      // On success the form stays busy (and opens no link ahead) until the briefing replaces it:
      // a press meanwhile would join the seat a second time.
      if (!handedOn) setBusy(false);
    }
  }

  useEffect(() => {
    if (!opened) return;
    applyInvitation(opened, readInvitation(opened));
    onOpenedUsed();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per link opened, with the profile of that moment
  }, [opened]);

  return (
    <main className="prejoin">
      <form className="prejoin-form" onSubmit={(event) => void join(event)} noValidate>
        <h1>{t('prejoin.heading')}</h1>
        <label>
          {t('prejoin.pasteInvitation')}
          <textarea
            name="invitation"
            rows={2}
            placeholder="giaoban://join?…"
            value={pasted?.text ?? ''}
            onChange={(e) => applyInvitation(e.target.value, readInvitation(e.target.value))}
          />
        </label>
        <InvitationScanner stream={stream} onInvitation={(read, text) => applyInvitation(text, read)} />
        {pasted && (
          <small role="status" className={pasted.read ? 'notice' : 'error'}>
            {t(pasted.enrolment ? 'prejoin.enrolmentFound' : pasted.read ? 'prejoin.invitationRead' : 'prejoin.invitationUnread')}
          </small>
        )}
        {pasted?.ca && profile.serverUrl.startsWith('wss://') && <PinServer key={`${profile.serverUrl} ${pasted.ca}`} serverUrl={profile.serverUrl} fingerprint={pasted.ca} />}
        {pasted?.enrolment && <EnrolFromLink key={pasted.enrolment.code} enrolment={pasted.enrolment} />}
        <label>
          {t('prejoin.serverUrl')}
          <input
            name="serverUrl"
            value={profile.serverUrl}
            placeholder="wss://10.0.0.5:7080"
            onChange={(e) => change({ serverUrl: e.target.value.trim() })}
          />
          <small>{t('prejoin.serverUrlHint')}</small>
        </label>
        <label>
          {t('prejoin.briefingCode')}
          <input name="briefingCode" value={profile.briefingCode} onChange={(e) => change({ briefingCode: e.target.value.trim() })} />
        </label>
        <label>
          {t('prejoin.invite')}
          <input name="invite" value={invite} autoComplete="off" spellCheck={false} onChange={(e) => setInvite(() => e.target.value)} />
          <small>{held?.origin === 'issued' && held.role === 'chair' && held.code === invite ? t('prejoin.chairHere') : t('prejoin.inviteHint')}</small>
        </label>
        <label>
          {t('prejoin.pointName')}
          <input
            name="pointName"
            value={profile.pointName}
            placeholder={t('prejoin.pointNameHint')}
            onChange={(e) => change({ pointName: e.target.value })}
          />
        </label>
        <label>
          {t('prejoin.camera')}
          <select value={profile.cameraId ?? ''} onChange={(e) => change({ cameraId: e.target.value || null })}>
            {devices.cameras.map((d, i) => (
              <option key={d.deviceId || i} value={d.deviceId}>
                {d.label || `${t('prejoin.camera')} ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('prejoin.microphone')}
          <select value={profile.microphoneId ?? ''} onChange={(e) => change({ microphoneId: e.target.value || null })}>
            {devices.microphones.map((d, i) => (
              <option key={d.deviceId || i} value={d.deviceId}>
                {d.label || `${t('prejoin.microphone')} ${i + 1}`}
              </option>
            ))}
          </select>
        </label>
        <details className="advanced">
          <summary>{t('prejoin.advanced')}</summary>
          <label className="checkbox">
            <input type="checkbox" checked={profile.relayOnly} onChange={(e) => change({ relayOnly: e.target.checked })} /> {t('prejoin.relayOnly')}
          </label>
          <small>{t('prejoin.relayOnlyHint')}</small>
        </details>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('prejoin.joining') : t('prejoin.join')}
          </button>
          {/* Hosting is the host unit's: a commune's PC is not offered it. */}
          {profile.pcRole !== 'point' && !hostInfo && (
            <button type="button" onClick={() => void host()} disabled={busy}>
              {t('prejoin.host')}
            </button>
          )}
        </div>
      </form>
      <section className="prejoin-preview" aria-label={t('prejoin.preview')}>
        {(history.length === 0 || !profile.pcRole) && <FirstStartGuide profile={profile} onProfileChange={onProfileChange} />}
        <VideoTile track={stream?.getVideoTracks()[0] ?? null} label={profile.pointName || '—'} className="preview" mirrored />
        <div className="meter" role="meter" aria-label={t('prejoin.micLevel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
          <div className="meter-fill" style={{ width: `${Math.round(level * 100)}%` }} />
        </div>
        <h2>{t('prejoin.history')}</h2>
        {history.length === 0 ? (
          <p className="muted">{t('prejoin.historyEmpty')}</p>
        ) : (
          <ul className="history">
            {history.slice(0, 8).map((h) => (
              <li key={h.id}>
                <strong>{h.briefingCode}</strong> · {formatDateTime(h.joinedAt, languageOf(i18n.language))} ·{' '}
                {t('prejoin.minutes', { count: Math.round(h.durationSeconds / 60) })}
                {h.pointsPresent.length > 0 && (
                  <div className="muted">
                    {t('prejoin.points')}: {h.pointsPresent.join(', ')}
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </main>
  );
}

const handedOver = new WeakSet<MediaStream>();
