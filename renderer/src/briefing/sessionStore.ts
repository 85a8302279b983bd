// What one meeting point knows of its briefing, as the UI reads it: one store, written only by
// the BriefingSession (from the server's snapshots and events and its own media), read by
// components through useBriefing. One way: signaling client → session → store → hooks.
import { useSyncExternalStore } from 'react';
import { NOTHING_RECEIVED, type ReceiveFigures } from './receiveStats';
import type { AgendaPosition, BriefingChange, ControlState, LinkHealth, PeerInfo, PresenterPage, Role } from '../../../sfu-server/protocol';

/** A remote meeting point as this one shows it; what it receives of it (ReceiveFigures) comes from
 * this browser's own WebRTC stats, refreshed every second. */
export interface RemotePoint extends ReceiveFigures {
  peerId: string;
  seatId: string;
  /** Its seat's label. */
  displayName: string;
  videoTrack: MediaStreamTrack | null;
  audioTrack: MediaStreamTrack | null;
  micMuted: boolean;
  cameraOff: boolean;
}

/** A point as the server announced it: nothing received from it yet. */
export function newRemotePoint(peer: PeerInfo): RemotePoint {
  return {
    peerId: peer.id,
    seatId: peer.seatId,
    displayName: peer.displayName,
    videoTrack: null,
    audioTrack: null,
    micMuted: peer.producers.some((p) => p.source === 'mic' && p.paused),
    cameraOff: peer.producers.some((p) => p.source === 'camera' && p.paused),
    ...NOTHING_RECEIVED,
  };
}

export type SessionStatus = 'joining' | 'lobby' | 'joined' | 'reconnecting' | 'disconnected' | 'refused' | 'left';

export interface SessionState {
  status: SessionStatus;
  points: RemotePoint[];
  /** Who the main stage shows: who holds the floor, else (in discussion) the active speaker,
   * else the chair, else the first point present. */
  stagePeerId: string | null;
  micMuted: boolean;
  /** The chair keeps this point's microphone closed (briefing mode without the floor). */
  micHeld: boolean;
  cameraOff: boolean;
  /** Neither sending nor receiving video, to save a weak link. */
  audioOnly: boolean;
  /** The server measured this point's link as too weak for video: offer audio only. */
  weakLink: boolean;
  /** Saving data: the stage small, thumbnails still frames refreshed every few seconds. */
  dataSaving: boolean;
  /** Turned on by itself, because the stage did not fit the link: said on screen. */
  dataSavingByItself: boolean;
  errorCode: string | null;
  agenda: AgendaPosition | null;
  presenterPage: (PresenterPage & { presenterPeerId: string }) | null;
  update: { version: number; changes: BriefingChange[] } | null;
  recordIssued: { briefingCode: string; kind: 'minutes' | 'conclusions'; at: number } | null;
  ownPeerId: string | null;
  /** Our own seat: its id, and its label. */
  seatId: string | null;
  seat: string | null;
  role: Role | null;
  control: ControlState | null;
  links: Record<string, LinkHealth>;
  /** The page of thumbnails shown (0-based); points on other pages are paused on the server. */
  thumbnailPage: number;
}

const INITIAL: SessionState = {
    status: 'joining',
    points: [],
    stagePeerId: null,
    micMuted: false,
    micHeld: false,
    cameraOff: false,
    audioOnly: false,
    weakLink: false,
    dataSaving: false,
    dataSavingByItself: false,
    errorCode: null,
    agenda: null,
    presenterPage: null,
    update: null,
    recordIssued: null,
    ownPeerId: null,
    seatId: null,
    seat: null,
    role: null,
    control: null,
    links: {},
    thumbnailPage: 0,
};

export class SessionStore {
  private state: SessionState = INITIAL;
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SessionState => this.state;

  /** Only the session writes. */
  set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}

/** The briefing as this point knows it, re-rendering when it changes. */
export function useBriefing(store: Pick<SessionStore, 'subscribe' | 'getState'>): SessionState {
  return useSyncExternalStore(store.subscribe, store.getState);
}
