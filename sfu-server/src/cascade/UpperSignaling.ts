// A province server's signaling link to the upper server: the same protocol a meeting point
// speaks, over `ws` from Node, every answer and notification validated by the shared schemas.
// The upper server is trusted by its CA's certificate, pinned from the relay's invitation.
import WebSocket from 'ws';
import { z } from 'zod';
import {
  type Method,
  NotificationEnvelope,
  type NotificationData,
  type NotificationName,
  type RequestData,
  ResponseEnvelope,
  type ResponseData,
  methods,
  notifications,
} from '../../protocol';

export class UpperError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 15_000;
/** A link that hears nothing for this long is taken for dead (a ping goes every 2 s). */
const SILENCE_LIMIT_MS = 7000;
const PING_EVERY_MS = 2000;

type Listener = (data: unknown) => void;

export class UpperSignaling {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: Method }>();
  private readonly listeners = new Map<NotificationName, Listener>();
  private lastHeard = Date.now();
  private readonly watchdog: ReturnType<typeof setInterval>;

  private constructor(
    private readonly socket: WebSocket,
    /** This server's address on the link to the upper server: the upper server sends media back
     * only to the address the signaling comes from, so the pipe listens there. */
    readonly localAddress: string,
    onClose: (why: string) => void,
  ) {
    socket.on('message', (raw: Buffer) => {
      this.lastHeard = Date.now();
      this.receive(raw.toString('utf8'));
    });
    this.watchdog = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENCE_LIMIT_MS) socket.terminate();
      else void this.request('ping', {}).catch(() => undefined);
    }, PING_EVERY_MS);
    socket.on('close', (code: number, reason: Buffer) => {
      clearInterval(this.watchdog);
      for (const { reject } of this.pending.values()) reject(new UpperError('closed', 'the link to the upper server was lost'));
      this.pending.clear();
      onClose(`${code}${reason.length ? ` ${reason.toString('utf8')}` : ''}`);
    });
  }

  /** Opens the link, trusting only `caPem` when given (else the system's CAs); fails within 10 s. */
  static connect(url: string, caPem: string | undefined, onClose: (why: string) => void): Promise<UpperSignaling> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { ...(caPem ? { ca: caPem } : {}), handshakeTimeout: 10_000, maxPayload: 4 * 1024 * 1024 });
      let localAddress = '';
      socket.once('upgrade', (response) => (localAddress = (response.socket.localAddress ?? '').replace(/^::ffff:/i, '')));
      socket.once('open', () => resolve(new UpperSignaling(socket, localAddress, onClose)));
      socket.once('error', (error) => reject(new UpperError('unreachable', `cannot reach ${url}: ${error.message}`)));
    });
  }

  request<M extends Method>(method: M, data: RequestData<M>): Promise<ResponseData<M>> {
    const id = this.nextId++;
    return new Promise<ResponseData<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new UpperError('timeout', `${method}: no answer from the upper server`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(id, {
        method,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as ResponseData<M>);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  on<N extends NotificationName>(name: N, listener: (data: NotificationData<N>) => void): void {
    this.listeners.set(name, listener as Listener);
  }

  close(): void {
    clearInterval(this.watchdog);
    this.socket.close();
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return console.warn('[cascade] the upper server sent a frame that is not JSON');
    }
    const note = NotificationEnvelope.safeParse(json);
    if (note.success) {
      const data = notifications[note.data.notification].safeParse(note.data.data);
      if (!data.success) return console.warn(`[cascade] bad ${note.data.notification} from the upper server: ${z.prettifyError(data.error)}`);
      this.listeners.get(note.data.notification)?.(data.data);
      return;
    }
    const reply = ResponseEnvelope.safeParse(json);
    if (!reply.success || reply.data.id === null) return;
    const waiting = this.pending.get(reply.data.id);
    if (!waiting) return;
    this.pending.delete(reply.data.id);
    if (!reply.data.ok) return waiting.reject(new UpperError(reply.data.error.code, reply.data.error.message));
    const data = methods[waiting.method].response.safeParse(reply.data.data);
    if (data.success) waiting.resolve(data.data);
    else waiting.reject(new UpperError('bad_answer', `${waiting.method}: the upper server answered out of protocol`));
  }
}
