// In the briefing: the main stage, thumbnails of the other meeting points, our own preview,
// and the three controls an operator needs.
import { useEffect, useSyncExternalStore, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PublishedBriefing } from '../../../main/api/contract';
import type { BriefingSession, RemotePoint } from '../briefing/BriefingSession';
import { desktop } from '../desktop';
import { AgendaPanel } from '../documents/AgendaPanel';
import { DocumentPanel } from '../documents/DocumentPanel';
import { MinutesEditor } from '../minutes/MinutesEditor';
import { RecordActions } from '../minutes/RecordActions';
import { RemoteAudio, VideoTile } from './VideoTile';

interface Props {
  session: BriefingSession;
  stream: MediaStream;
  serverUrl: string;
  briefingCode: string;
  pointName: string;
  historyId: number | null;
  onLeft: () => void;
}

const PRESENCE_REFRESH_MS = 30_000;

export function BriefingView({ session, stream, serverUrl, briefingCode, pointName, historyId, onLeft }: Props) {
  const { t } = useTranslation();
  const state = useSyncExternalStore(session.subscribe, session.getState);
  const [busy, setBusy] = useState(false);
  const [local, setLocal] = useState<PublishedBriefing | null>(null);
  const [selectedItem, setSelectedItem] = useState(0);
  const [panel, setPanel] = useState<'documents' | 'minutes'>('documents');
  const names = state.points.map((p) => p.displayName).join('\n');

  // The agenda and documents come from this PC's store: synced ahead, they need no network.
  useEffect(() => {
    const load = () => desktop.getBriefing({ code: briefingCode }).then(setLocal, () => setLocal(null));
    // A version published during the briefing is fetched first, then shown.
    if (state.update) void desktop.syncBriefings({ serverUrl, pointName }).catch(() => undefined).finally(load);
    else void load();
  }, [briefingCode, serverUrl, pointName, state.update]);
  // Signed records issued to us are fetched at once, so they are here even if the link drops later.
  useEffect(() => {
    if (state.recordIssued) void desktop.syncBriefings({ serverUrl, pointName }).catch(() => undefined);
  }, [state.recordIssued, serverUrl, pointName]);
  // Everyone follows the chair to the current item; a participant may still look at another.
  useEffect(() => {
    if (state.agenda) setSelectedItem(state.agenda.index);
  }, [state.agenda]);

  // The history keeps who was present; refreshed periodically so a crash still leaves a duration.
  useEffect(() => {
    if (historyId === null) return;
    const record = () => void desktop.briefingPresence({ historyId, points: names ? names.split('\n') : [] }).catch(() => undefined);
    record();
    const timer = setInterval(record, PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [historyId, names]);

  async function leave() {
    setBusy(true);
    await session.leave();
    stream.getTracks().forEach((track) => track.stop());
    if (historyId !== null) await desktop.briefingLeft({ historyId }).catch(() => undefined);
    onLeft();
  }

  const stage = state.points.find((p) => p.peerId === state.stagePeerId) ?? null;
  const thumbnails = state.points.filter((p) => p !== stage);
  const badges = (p: RemotePoint) => [
    ...(p.micMuted ? [t('briefing.micMuted')] : []),
    ...(p.cameraOff ? [t('briefing.cameraOff')] : []),
    ...(p.kbpsDown > 0 ? [`↓ ${p.kbpsDown} kbps`] : []),
  ];
  const statsData = (p: RemotePoint) => ({
    'peer-name': p.displayName,
    'frames-decoded': p.framesDecoded,
    'audio-bytes': p.audioBytesReceived,
  });

  const video = (
    <>
      <header className="briefing-header">
        <h1>{t('briefing.code', { code: briefingCode })}</h1>
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
      {(state.status === 'disconnected' || state.status === 'rejoining') && (
        <p className={state.status === 'rejoining' ? 'notice' : 'error'} role="alert">
          {state.status === 'rejoining' ? t('briefing.rejoining') : t(`errors.${state.errorCode ?? 'connection_lost'}`)}
        </p>
      )}
      <section className="stage" aria-live="polite">
        {stage ? (
          <VideoTile
            track={stage.videoTrack}
            label={stage.displayName}
            className="stage-tile"
            badges={badges(stage)}
            testId="stage"
            data={statsData(stage)}
          />
        ) : (
          <p className="waiting">{t('briefing.waiting')}</p>
        )}
      </section>
      <section className="thumbnails">
        {thumbnails.map((p) => (
          <VideoTile key={p.peerId} track={p.videoTrack} label={p.displayName} className="thumbnail" badges={badges(p)} testId="thumbnail" data={statsData(p)} />
        ))}
        <VideoTile
          track={state.cameraOff ? null : (stream.getVideoTracks()[0] ?? null)}
          label={t('briefing.you', { name: pointName })}
          className="thumbnail self"
          mirrored
          badges={state.micMuted ? [t('briefing.micMuted')] : []}
          testId="self"
        />
      </section>
    </>
  );

  return (
    <main className="briefing">
      <div className={local ? 'briefing-body with-documents' : 'briefing-body'}>
        <div className="briefing-video">{video}</div>
        {local && (
          <aside className="briefing-documents">
            <nav className="tabs" role="tablist">
              {(['documents', 'minutes'] as const).map((name) => (
                <button key={name} type="button" role="tab" aria-selected={panel === name} onClick={() => setPanel(name)}>
                  {t(`briefing.panel.${name}`)}
                </button>
              ))}
            </nav>
            {/* Kept mounted while hidden: the minutes keep the item times and attendance as they happen. */}
            <div hidden={panel !== 'minutes'}>
              <MinutesEditor briefing={local} live={{ agenda: state.agenda, pointsPresent: names }} />
              <RecordActions briefingCode={briefingCode} serverUrl={serverUrl} />
            </div>
            <div hidden={panel !== 'documents'}>
              <AgendaPanel
                briefing={local}
                position={state.agenda}
                selected={selectedItem}
                onSelect={setSelectedItem}
                onNextItem={() => void session.setAgendaItem(state.agenda ? state.agenda.index + 1 : 0)}
              />
              <DocumentPanel
                briefing={local}
                itemIndex={selectedItem}
                live={{ presenterPage: state.presenterPage, ownPeerId: state.ownPeerId, present: (page) => void session.presentPage(page) }}
              />
            </div>
          </aside>
        )}
      </div>
      {state.points.map((p) => (
        <RemoteAudio key={p.peerId} track={p.audioTrack} />
      ))}
      <footer className="controls">
        <button type="button" aria-pressed={state.micMuted} onClick={() => void session.setMicMuted(!state.micMuted)}>
          {state.micMuted ? t('briefing.unmuteMic') : t('briefing.muteMic')}
        </button>
        <button type="button" aria-pressed={state.cameraOff} onClick={() => void session.setCameraOff(!state.cameraOff)}>
          {state.cameraOff ? t('briefing.startCamera') : t('briefing.stopCamera')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void leave()}>
          {t('briefing.leave')}
        </button>
      </footer>
    </main>
  );
}
