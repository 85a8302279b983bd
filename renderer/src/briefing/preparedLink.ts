// The link to a briefing's server opened, and the WebRTC device loaded for its router, while the
// operator is still on the pre-join form: pressing Join then starts at the join itself. Opening
// the link and loading the device took ~110 ms of every join here, and more over 3G or on an old
// PC. Nothing is sent that says who this point is: the server learns that only from the join.
import type { Device } from 'mediasoup-client';
import { loadDevice } from './mediaTransports';
import { SignalingClient } from './SignalingClient';

export interface PreparedLink {
  signaling: SignalingClient;
  device: Device;
}

/** A link nobody joins over is closed after this long; the join then opens its own. */
const UNUSED_FOR_MS = 120_000;
const CONNECT_TIMEOUT_MS = 8000;

interface Preparation {
  serverUrl: string;
  briefingCode: string;
  ready: Promise<PreparedLink>;
  timer: ReturnType<typeof setTimeout>;
}

/** Keeps at most one prepared link, for the server and briefing the form names now. */
export class LinkPreparer {
  private current: Preparation | null = null;

  /** Opens a link for this server and briefing, unless one is open or opening; any other closes. */
  prepare(serverUrl: string, briefingCode: string): void {
    if (this.matches(serverUrl, briefingCode)) return;
    this.discard();
    const ready = open(serverUrl, briefingCode);
    const preparation: Preparation = { serverUrl, briefingCode, ready, timer: setTimeout(() => this.discard(), UNUSED_FOR_MS) };
    this.current = preparation;
    // One that failed or dropped is forgotten: the next prepare, or the join, opens a new one.
    const forget = () => {
      if (this.current !== preparation) return;
      clearTimeout(preparation.timer);
      this.current = null;
    };
    ready.then((link) => link.signaling.onClose(forget), forget);
  }

  /** The link for this server and briefing if one is open or opening, now the caller's to keep
   * or close; any other is closed. A link still opening that fails fails the join as its own
   * connection would have. */
  take(serverUrl: string, briefingCode: string): Promise<PreparedLink> | null {
    const preparation = this.current;
    if (!preparation || !this.matches(serverUrl, briefingCode)) {
      this.discard();
      return null;
    }
    clearTimeout(preparation.timer);
    this.current = null;
    return preparation.ready;
  }

  /** Closes the prepared link, if any (the form left, or naming another server or briefing). */
  discard(): void {
    const preparation = this.current;
    this.current = null;
    if (!preparation) return;
    clearTimeout(preparation.timer);
    void preparation.ready.then((link) => link.signaling.close(), () => undefined);
  }

  private matches(serverUrl: string, briefingCode: string): boolean {
    return this.current?.serverUrl === serverUrl && this.current.briefingCode === briefingCode;
  }
}

/** The link opened ahead while it is still up, or a new one. */
export async function preparedOrNewLink(serverUrl: string, timeoutMs: number, prepared?: PreparedLink): Promise<{ signaling: SignalingClient; device?: Device }> {
  if (prepared?.signaling.open) return prepared;
  prepared?.signaling.close();
  return { signaling: await SignalingClient.connect(serverUrl, timeoutMs) };
}

async function open(serverUrl: string, briefingCode: string): Promise<PreparedLink> {
  const signaling = await SignalingClient.connect(serverUrl, CONNECT_TIMEOUT_MS);
  try {
    return { signaling, device: await loadDevice(signaling, briefingCode) };
  } catch (error) {
    signaling.close();
    throw error;
  }
}
