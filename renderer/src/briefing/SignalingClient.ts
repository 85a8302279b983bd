// WebSocket link to the SFU server, speaking the shared protocol. Every reply and notification
// is validated against the same schemas the server uses.
import {
  type Method,
  NotificationEnvelope,
  type NotificationData,
  type NotificationName,
  type RefusalReason,
  type RequestData,
  ResponseEnvelope,
  type ResponseData,
  methods,
  notifications,
} from '../../../sfu-server/protocol';

export class SignalingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Why the server refused, when it says (the UI words it; the message is for logs). */
    readonly reason: RefusalReason | null = null,
    readonly count: number | null = null,
  ) {
    super(message);
  }
}

type Listener<N extends NotificationName> = (data: NotificationData<N>) => void;

const REQUEST_TIMEOUT_MS = 15_000;
/** With nothing heard for this long the link is taken for dead (a ping goes every 2 s). */
const SILENCE_LIMIT_MS = 7000;
const PING_EVERY_MS = 2000;
/** A watchdog tick later than this was held up by the page itself. */
const STALL_MS = 1000;

export class SignalingClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: Method }>();
  private readonly listeners = new Map<NotificationName, Set<(data: unknown) => void>>();
  private closeListeners = new Set<() => void>();
  private lastHeard = Date.now();
  private readonly watchdog: ReturnType<typeof setInterval>;

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      this.lastHeard = Date.now();
      this.receive(String(event.data));
    });
    // A cut cable or a dead 3G link closes nothing: without this the app would wait for TCP to
    // give up, minutes later, instead of reconnecting.
    let lastTick = Date.now();
    this.watchdog = setInterval(() => {
      // A page held up (an old PC busy receiving a 200-point briefing) runs this tick late, before
      // the messages that waited behind the same stall: the time the page could not listen is not
      // the server's silence, or a busy PC would drop a healthy link and start over.
      const now = Date.now();
      const stalled = now - lastTick - PING_EVERY_MS;
      if (stalled > STALL_MS) this.lastHeard += stalled;
      lastTick = now;
      if (now - this.lastHeard > SILENCE_LIMIT_MS) {
        console.warn('[signaling] nothing heard from the server: the link is taken for dead');
        this.close(true);
      } else if (socket.readyState === WebSocket.OPEN) void this.request('ping', {}).catch(() => undefined);
    }, PING_EVERY_MS);
    socket.addEventListener('close', (event) => {
      clearInterval(this.watchdog);
      console.warn(`[signaling] connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`);
      for (const { reject } of this.pending.values()) reject(new SignalingError('closed', 'connection to server lost'));
      this.pending.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  /** Opens the connection, or fails with code `unreachable` within `timeoutMs`. */
  static connect(url: string, timeoutMs = 8000): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        socket = new WebSocket(url);
      } catch {
        reject(new SignalingError('bad_address', `not a valid server address: ${url}`));
        return;
      }
      const timer = setTimeout(() => {
        socket.close();
        reject(new SignalingError('unreachable', `no answer from ${url}`));
      }, timeoutMs);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        resolve(new SignalingClient(socket));
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        reject(new SignalingError('unreachable', `cannot connect to ${url}`));
      });
    });
  }

  request<M extends Method>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    if (this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SignalingError('closed', 'connection to server lost'));
    }
    const id = this.nextId++;
    return new Promise<ResponseData<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SignalingError('timeout', `${method}: no reply from server`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        method,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as ResponseData<M>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  on<N extends NotificationName>(name: N, listener: Listener<N>): () => void {
    const set = this.listeners.get(name) ?? new Set();
    set.add(listener as (data: unknown) => void);
    this.listeners.set(name, set);
    return () => set.delete(listener as (data: unknown) => void);
  }

  /** Whether the link is up (one opened ahead may have dropped while the operator waited). */
  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Closes the link; `notify` tells the close listeners too (a dead link, not a goodbye). */
  close(notify = false): void {
    clearInterval(this.watchdog);
    if (!notify) this.closeListeners.clear();
    const listeners = [...this.closeListeners];
    this.closeListeners.clear();
    this.socket.close();
    for (const { reject } of this.pending.values()) reject(new SignalingError('closed', 'connection to server lost'));
    this.pending.clear();
    // The browser fires `close` only once the closing handshake ends, which a dead link never does.
    for (const listener of listeners) listener();
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      console.warn('[signaling] ignored a frame that is not JSON');
      return;
    }
    const notification = NotificationEnvelope.safeParse(json);
    if (notification.success) {
      const { notification: name, data } = notification.data;
      const parsed = notifications[name].safeParse(data);
      if (!parsed.success) return console.warn(`[signaling] ignored malformed ${name}`);
      for (const listener of this.listeners.get(name) ?? []) listener(parsed.data);
      return;
    }
    const response = ResponseEnvelope.safeParse(json);
    if (!response.success || response.data.id === null) {
      if (response.success && !response.data.ok) console.warn('[signaling] server error:', response.data.error.message);
      return;
    }
    const waiting = this.pending.get(response.data.id);
    if (!waiting) return;
    this.pending.delete(response.data.id);
    if (!response.data.ok) {
      const { code, message, reason, count } = response.data.error;
      waiting.reject(new SignalingError(code, message, reason ?? null, count ?? null));
      return;
    }
    const parsed = methods[waiting.method].response.safeParse(response.data.data);
    if (parsed.success) waiting.resolve(parsed.data);
    else waiting.reject(new SignalingError('bad_reply', `${waiting.method}: unexpected reply from server`));
  }
}
