// In the briefing: the main stage, thumbnails of the other meeting points, our own preview,
// and the three controls an operator needs.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishedBriefing } from '../../../main/api/contract';
import type { BriefingSession, RemotePoint } from '../briefing/BriefingSession';
import { markJoin } from '../briefing/joinMarks';
import { useBriefing } from '../briefing/sessionStore';
import { usePresenceRecord } from '../briefing/usePresenceRecord';
import { thumbnailPage, thumbnailPageCount } from '../briefing/stage';
import { ChairPanel } from '../chairing/ChairPanel';
import { linkFigures, linkQuality } from '../chairing/linkQuality';
import { PointControls } from '../chairing/PointControls';
import { RollCall } from '../chairing/RollCall';
import { desktop } from '../desktop';
import { AgendaPanel } from '../documents/AgendaPanel';
import { DocumentPanel } from '../documents/DocumentPanel';
import { ReviewPanel } from '../followUp/ReviewPanel';
import { EndedNotice, LeaveControls } from '../briefing/LeaveControls';
import { MinutesEditor } from '../minutes/MinutesEditor';
import { RecordActions } from '../minutes/RecordActions';
import { NoticeBar, useNotices } from '../chairing/NoticeBar';
import { errorMessage } from './errors';
import { RemoteAudio, VideoTile } from './VideoTile';

interface Props {
  session: BriefingSession;
  stream: MediaStream;
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  historyId: number | null;
  /** The host unit's rule on who signs the minutes (the meeting point's settings own it). */
  chairSignsAlone: boolean;
  onChairSignsAloneChange: (value: boolean) => void;
  onLeft: () => void;
}

export function BriefingView({ session, stream, serverUrl, briefingCode, pointName, historyId, chairSignsAlone, onChairSignsAloneChange, onLeft }: Props) {
  const { t } = useTranslation();
  const state = useBriefing(session);
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<PublishedBriefing | null>(null);
  const [selectedItem, setSelectedItem] = useState(0);
  const [panel, setPanel] = useState<'chairing' | 'documents' | 'minutes'>('documents');
  const [actionError, setActionError] = useState<string | null>(null);
  const onError = (error: unknown) => setActionError(errorMessage(t, error));
  const notices = useNotices(state, session, () => setPanel('chairing'));
  const names = state.points.map((p) => p.displayName).join('\n');
  const recordPresence = usePresenceRecord(historyId, names);

  useEffect(() => markJoin('briefing-shown'), []);
  // The agenda and documents come from this PC's store: synced ahead, they need no network.
  useEffect(() => {
    const load = () => desktop.getBriefing({ code: briefingCode }).then(setLocal, () => setLocal(null));
    // A version published during the briefing is fetched first, then shown.
    if (state.update) void desktop.syncBriefings({ serverUrl }).catch(() => undefined).finally(load);
    else void load();
  }, [briefingCode, serverUrl, state.update]);
  // Signed records issued to us are fetched at once, so they are here even if the link drops later.
  useEffect(() => {
    if (state.recordIssued) void desktop.syncBriefings({ serverUrl }).catch(() => undefined);
  }, [state.recordIssued, serverUrl]);
  // Everyone follows the chair to the current item; a participant may still look at another.
  useEffect(() => {
    if (state.agenda) setSelectedItem(state.agenda.index);
  }, [state.agenda]);

  async function leave() {
    setBusy(true);
    await session.leave();
    stream.getTracks().forEach((track) => track.stop());
    await recordPresence();
    if (historyId !== null) await desktop.briefingLeft({ historyId }).catch(() => undefined);
    onLeft();
  }

  // The stage's size on screen decides the layer its video is received at; the video keeps 16:9
  // inside it, as wide as the stage or as its height allows.
  const measureStage = useCallback(
    (section: HTMLElement | null) => {
      if (!section) return;
      const observer = new ResizeObserver(([entry]) => {
        const { width, height } = entry.contentRect;
        // A stage not laid out (hidden) says nothing about the size it is seen at.
        if (width > 0 && height > 0) session.setStageWidth(Math.round(Math.min(width, (height * 16) / 9) * devicePixelRatio));
      });
      observer.observe(section);
      return () => observer.disconnect();
    },
    [session],
  );

  const stage = state.points.find((p) => p.peerId === state.stagePeerId) ?? null;
  const strip = session.thumbnailOrder();
  const pages = thumbnailPageCount(strip.length);
  const thumbnails = thumbnailPage(strip, state.thumbnailPage);
  const speakerSeatId = state.control?.floor.speaker?.seatId;
  const badges = (p: RemotePoint) => [
    ...(p.seatId === speakerSeatId ? [t('briefing.speaking')] : []),
    ...(p.micMuted ? [t('briefing.micMuted')] : []),
    ...(p.cameraOff ? [t('briefing.cameraOff')] : []),
  ];
  const statsData = (p: RemotePoint) => ({
    'peer-name': p.displayName,
    'frames-decoded': p.framesDecoded,
    'audio-bytes': p.audioBytesReceived,
    'kbps-received': p.kbpsDown,
    'video-packets': p.videoPackets,
    'key-frames-asked': p.keyFramesAsked,
    // Whether a video is received at all, and held paused on this side: read when a tile stays dark.
    video: p.videoTrack ? (p.videoTrack.enabled ? 'on' : 'paused') : 'none',
  });
  const quality = (p: RemotePoint) => ({ level: linkQuality(state.links[p.seatId]), text: linkFigures(state.links[p.seatId]) });
  const isChair = state.role === 'chair';
  const remoteTile = (p: RemotePoint, place: 'stage' | 'thumbnail') => (
    <VideoTile
      key={p.peerId}
      track={state.audioOnly ? null : p.videoTrack}
      label={p.displayName}
      className={place === 'stage' ? 'stage-tile' : 'thumbnail'}
      badges={badges(p)}
      testId={place}
      data={statsData(p)}
      quality={quality(p)}
    />
  );

  if (state.status === 'lobby' || state.status === 'refused') {
    return (
      <main className="briefing lobby-wait">
        <h1>{t('briefing.code', { code: briefingCode })}</h1>
        <p className={state.status === 'refused' ? 'error' : 'notice'} role="status">
          {state.status === 'lobby' ? t('chairing.lobbyWait') : t('chairing.lobbyRefused')}
        </p>
        <button type="button" className="danger" disabled={busy} onClick={() => void leave()}>
          {t('briefing.leave')}
        </button>
      </main>
    );
  }

  const video = (
    <>
      <header className="briefing-header" data-briefing-code={briefingCode}>
        <h1>{local?.title ?? t('briefing.code', { code: briefingCode })}</h1>
        <span className="muted" data-testid="point-count">
          {t('briefing.pointCount', { count: state.points.length })}
        </span>
      </header>
      {state.update && (
        <p className="notice" role="status">
          {t('briefing.updated', { version: state.update.version })}:{' '}
          {state.update.changes.map((c) => t(`briefings.field.${c.field}`, { defaultValue: c.field })).join(', ')}
        </p>
      )}
      {(state.status === 'disconnected' || state.status === 'reconnecting') && (
        <p className={state.status === 'reconnecting' ? 'notice' : 'error'} role="alert">
          {state.status === 'reconnecting' ? t('briefing.reconnecting') : t(`errors.${state.errorCode ?? 'connection_lost'}`, { url: serverUrl, detail: '' })}
        </p>
      )}
      {state.status === 'joined' && state.errorCode && (
        <p className="error" role="alert" data-testid="media-refused">
          {t('briefing.mediaRefused', { reason: t(`errors.${state.errorCode}`, { url: serverUrl, detail: '', defaultValue: state.errorCode }) })}
        </p>
      )}
      {state.weakLink && (
        <p className="notice" role="alert">
          {t('briefing.weakLink')}{' '}
          <button type="button" onClick={() => void session.setAudioOnly(true)}>
            {t('briefing.audioOnly')}
          </button>
        </p>
      )}
      {state.dataSavingByItself && (
        <p className="notice" role="status">
          {t('briefing.dataSavingByItself')}{' '}
          <button type="button" onClick={() => void session.setDataSaving(false).catch(onError)}>
            {t('briefing.dataSavingStop')}
          </button>
        </p>
      )}
      {state.control?.endedAt && <EndedNotice endedAt={state.control.endedAt} />}
      <NoticeBar notices={notices} onError={onError} />
      {isChair && local && panel !== 'chairing' && state.control && state.control.lobby.length > 0 && (
        <p className="notice" role="alert">
          {t('chairing.chair.lobbyWaiting', { count: state.control.lobby.length })}{' '}
          <button type="button" onClick={() => setPanel('chairing')}>
            {t('briefing.panel.chairing')}
          </button>
        </p>
      )}
      {actionError && (
        <p className="error" role="alert" onClick={() => setActionError(null)}>
          {actionError}
        </p>
      )}
      <section className="stage" aria-live="polite" ref={measureStage}>
        {stage ? (
          remoteTile(stage, 'stage')
        ) : (
          <p className="waiting">{t('briefing.waiting')}</p>
        )}
      </section>
      <section className="thumbnails">
        {thumbnails.map((p) => remoteTile(p, 'thumbnail'))}
        <VideoTile
          track={state.cameraOff ? null : (stream.getVideoTracks()[0] ?? null)}
          label={t('briefing.you', { name: pointName })}
          className="thumbnail self"
          mirrored
          badges={[...(state.micMuted ? [t('briefing.micMuted')] : []), ...(state.micHeld ? [t('briefing.micHeld')] : [])]}
          testId="self"
        />
      </section>
      {pages > 1 && (
        <nav className="thumbnail-pages" aria-label={t('briefing.pages')}>
          <button type="button" disabled={state.thumbnailPage === 0} onClick={() => session.showThumbnailPage(state.thumbnailPage - 1)}>
            ‹
          </button>
          <span data-testid="thumbnail-page">{t('briefing.page', { page: state.thumbnailPage + 1, pages })}</span>
          <button type="button" disabled={state.thumbnailPage >= pages - 1} onClick={() => session.showThumbnailPage(state.thumbnailPage + 1)}>
            ›
          </button>
        </nav>
      )}
    </>
  );
  const control = state.control;
  const chairing = control && state.seatId && (
    <div className="chairing">
      {isChair ? <ChairPanel session={session} control={control} onError={onError} /> : <PointControls session={session} control={control} seatId={state.seatId} onError={onError} />}
      <RollCall session={session} control={control} links={state.links} canMarkAbsent={isChair || state.role === 'secretary'} canMute={isChair} />
    </div>
  );

  return (
    <main className="briefing">
      <div className="briefing-body with-documents">
        <div className="briefing-video">{video}</div>
        {!local && (
          <aside className="briefing-documents">{chairing}</aside>
        )}
        {local && (
          <aside className="briefing-documents">
            <nav className="tabs" role="tablist">
              {(['chairing', 'documents', 'minutes'] as const).map((name) => (
                <button key={name} type="button" role="tab" aria-selected={panel === name} onClick={() => setPanel(name)}>
                  {t(`briefing.panel.${name}`)}
                  {name === 'chairing' && panel !== 'chairing' && notices.length > 0 && <span className="badge">{notices.length}</span>}
                </button>
              ))}
            </nav>
            <div hidden={panel !== 'chairing'}>{chairing}</div>
            {/* Kept mounted while hidden: the minutes keep the item times and attendance as they happen. */}
            <div hidden={panel !== 'minutes'}>
              <MinutesEditor briefing={local} live={{ agenda: state.agenda, pointsPresent: names, control: state.control }} />
              {/* Signing and sending are the chair's and the secretary's: a point is not shown them. */}
              {(state.role === 'chair' || state.role === 'secretary') && (
                <RecordActions briefingCode={briefingCode} serverUrl={serverUrl} chairSignsAlone={chairSignsAlone} onChairSignsAloneChange={onChairSignsAloneChange} onSigned={() => undefined} />
              )}
            </div>
            <div hidden={panel !== 'documents'} className="documents-panel">
              <AgendaPanel
                briefing={local}
                position={state.agenda}
                selected={selectedItem}
                onSelect={setSelectedItem}
                onNextItem={isChair ? () => void session.setAgendaItem(state.agenda ? state.agenda.index + 1 : 0) : undefined}
              />
              {local.agenda[selectedItem]?.review ? (
                <ReviewPanel serverUrl={serverUrl} briefingCode={briefingCode} title={local.agenda[selectedItem].title} />
              ) : (
                <DocumentPanel
                  briefing={local}
                  itemIndex={selectedItem}
                  live={{
                    presenterPage: state.presenterPage,
                    ownPeerId: state.ownPeerId,
                    present: isChair || state.role === 'presenter' ? (page) => void session.presentPage(page) : undefined,
                  }}
                />
              )}
            </div>
          </aside>
        )}
      </div>
      {state.points.map((p) => (
        <RemoteAudio key={p.peerId} track={p.audioTrack} />
      ))}
      <footer className="controls">
        <button
          type="button"
          aria-pressed={state.micMuted}
          disabled={state.micMuted && state.micHeld}
          title={state.micHeld ? t('briefing.micHeld') : undefined}
          onClick={() => void session.setMicMuted(!state.micMuted).catch(onError)}
        >
          {state.micMuted ? t('briefing.unmuteMic') : t('briefing.muteMic')}
        </button>
        <button type="button" aria-pressed={state.cameraOff} disabled={state.audioOnly} onClick={() => void session.setCameraOff(!state.cameraOff)}>
          {state.cameraOff ? t('briefing.startCamera') : t('briefing.stopCamera')}
        </button>
        <button type="button" aria-pressed={state.dataSaving} disabled={state.audioOnly} onClick={() => void session.setDataSaving(!state.dataSaving).catch(onError)}>
          {t('briefing.dataSaving')}
        </button>
        <button type="button" aria-pressed={state.audioOnly} onClick={() => void session.setAudioOnly(!state.audioOnly).catch(onError)}>
          {state.audioOnly ? t('briefing.videoBack') : t('briefing.audioOnly')}
        </button>
        <LeaveControls
          isChair={isChair}
          endedAt={state.control?.endedAt ?? null}
          busy={busy}
          onLeave={() => void leave()}
          onEnd={() => void session.chair.endBriefing().catch(onError)}
        />
      </footer>
    </main>
  );
}
