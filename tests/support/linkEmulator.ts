// A weak link in user space: the commune reaches the SFU through this relay, which delays every
// packet, drops a share of the UDP ones, and can hold each direction to a capacity (a 3G cell, a
// shared office line), both ways. `tc netem` would do it in the kernel, but the kernel of these
// machines (and of CI, the same kind) is built without sch_netem; the relay works on any kernel.
// Signaling (TCP) is delayed and queued, never dropped: TCP would resend it anyway.
import dgram from 'node:dgram';
import net from 'node:net';

export interface Impairment {
  /** Added one way; the round trip grows by twice this. */
  delayMs: number;
  lossPct: number;
  /** What the link carries each way, in kbit/s; unlimited when absent. */
  kbps?: number;
}

/** How long a packet may wait behind others on a capped link before the link drops it, as a
 * 3G modem's buffer does (deep: their queues are known to hold hundreds of milliseconds). */
const QUEUE_LIMIT_MS = 300;

type Way = 'up' | 'down';

/** A connection's close, queued behind what it sent: it takes no time on the link. */
const NOTHING = Buffer.alloc(0);

export class LinkEmulator {
  private impairment: Impairment = { delayMs: 0, lossPct: 0 };
  /** When each direction of a capped link finishes sending what it holds (performance.now()). */
  private readonly busyUntil: Record<Way, number> = { up: 0, down: 0 };
  /** UDP packets a full queue dropped, each way. */
  readonly queueDrops: Record<Way, number> = { up: 0, down: 0 };
  /** RTP packets a full queue dropped on the way down, by SSRC: whose packets the link lost. */
  readonly downDropsBySsrc = new Map<number, number>();
  private readonly media: dgram.Socket;
  private readonly sessions = new Map<string, dgram.Socket>();
  private readonly signaling: net.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    readonly listenIp: string,
    private readonly target: { ip: string; signalingPort: number; mediaPort: number },
    readonly signalingPort: number,
    media: dgram.Socket,
    signaling: net.Server,
  ) {
    this.media = media;
    this.signaling = signaling;
  }

  /** Listens on `listenIp`: signaling on a port of its own, media on the SFU's media port (the
   * SFU announces `listenIp` as its media address, so ICE candidates lead here). */
  static async start(listenIp: string, target: { ip: string; signalingPort: number; mediaPort: number }): Promise<LinkEmulator> {
    const media = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => media.once('error', reject).bind(target.mediaPort, listenIp, () => resolve()));
    const made: { emulator?: LinkEmulator } = {};
    const signaling = net.createServer((client) => made.emulator?.pipeSignaling(client));
    await new Promise<void>((resolve) => signaling.listen(0, listenIp, () => resolve()));
    const emulator = new LinkEmulator(listenIp, target, (signaling.address() as net.AddressInfo).port, media, signaling);
    made.emulator = emulator;
    media.on('message', (packet, from) => emulator.fromPoint(packet, from));
    return emulator;
  }

  /** Where the commune connects: the SFU's TLS passes through the relay untouched (a server on
   * another machine is reached only over wss://). */
  get signalingUrl(): string {
    return `wss://${this.listenIp}:${this.signalingPort}`;
  }

  set(impairment: Impairment): void {
    this.impairment = impairment;
  }

  close(): void {
    for (const socket of this.sockets) socket.destroy();
    this.signaling.close();
    for (const session of this.sessions.values()) session.close();
    this.media.close();
  }

  /** Later, or never for a lost UDP packet or one a full queue drops. Packets leave one way in
   * the order they came, each after those before it have been sent at the link's rate. */
  private impair(way: Way, data: Buffer, deliver: () => void, mayLose: boolean): void {
    const { delayMs, lossPct, kbps } = this.impairment;
    if (mayLose && Math.random() * 100 < lossPct) return;
    let waitMs = delayMs;
    if (kbps) {
      const now = performance.now();
      const start = Math.max(now, this.busyUntil[way]);
      if (mayLose && start - now > QUEUE_LIMIT_MS) {
        this.queueDrops[way]++;
        if (way === 'down' && isRtp(data)) {
          const ssrc = data.readUInt32BE(8);
          this.downDropsBySsrc.set(ssrc, (this.downDropsBySsrc.get(ssrc) ?? 0) + 1);
        }
        return;
      }
      this.busyUntil[way] = start + (data.length * 8) / kbps;
      waitMs += this.busyUntil[way] - now;
    }
    if (waitMs > 0) setTimeout(deliver, waitMs);
    else deliver();
  }

  private fromPoint(packet: Buffer, from: dgram.RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let session = this.sessions.get(key);
    if (!session) {
      // One socket per point address, so the SFU's answers find their way back.
      session = dgram.createSocket('udp4');
      session.bind(0, this.listenIp);
      session.on('message', (answer) => this.impair('down', answer, () => this.media.send(answer, from.port, from.address), true));
      session.on('error', () => undefined);
      this.sessions.set(key, session);
    }
    const out = session;
    this.impair('up', packet, () => out.send(packet, this.target.mediaPort, this.target.ip), true);
  }

  private pipeSignaling(client: net.Socket): void {
    const upstream = net.connect(this.target.signalingPort, this.target.ip);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => this.impair('up', chunk, () => upstream.writable && upstream.write(chunk), false));
    upstream.on('data', (chunk: Buffer) => this.impair('down', chunk, () => client.writable && client.write(chunk), false));
    client.on('close', () => this.impair('up', NOTHING, () => upstream.destroy(), false));
    upstream.on('close', () => this.impair('down', NOTHING, () => client.destroy(), false));
  }
}

/** RTP (not RTCP, STUN or DTLS): version 2, and a payload type outside RTCP's 192–223. */
function isRtp(packet: Buffer): boolean {
  return packet.length >= 12 && packet[0] >> 6 === 2 && (packet[1] < 192 || packet[1] > 223);
}
