// A weak link in user space: the commune reaches the SFU through this relay, which delays every
// packet and drops a share of the UDP ones, both ways. `tc netem` would do it in the kernel, but
// the kernel of these machines (and of CI, the same kind) is built without sch_netem; the relay
// works on any kernel. Signaling (TCP) is delayed, not dropped: TCP would resend it anyway.
import dgram from 'node:dgram';
import net from 'node:net';

export interface Impairment {
  /** Added one way; the round trip grows by twice this. */
  delayMs: number;
  lossPct: number;
}

export class LinkEmulator {
  private impairment: Impairment = { delayMs: 0, lossPct: 0 };
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

  /** Later, or never for a lost UDP packet. Delays are equal, so order is kept. */
  private impair(deliver: () => void, mayLose: boolean): void {
    const { delayMs, lossPct } = this.impairment;
    if (mayLose && Math.random() * 100 < lossPct) return;
    if (delayMs > 0) setTimeout(deliver, delayMs);
    else deliver();
  }

  private fromPoint(packet: Buffer, from: dgram.RemoteInfo): void {
    const key = `${from.address}:${from.port}`;
    let session = this.sessions.get(key);
    if (!session) {
      // One socket per point address, so the SFU's answers find their way back.
      session = dgram.createSocket('udp4');
      session.bind(0, this.listenIp);
      session.on('message', (answer) => this.impair(() => this.media.send(answer, from.port, from.address), true));
      session.on('error', () => undefined);
      this.sessions.set(key, session);
    }
    const out = session;
    this.impair(() => out.send(packet, this.target.mediaPort, this.target.ip), true);
  }

  private pipeSignaling(client: net.Socket): void {
    const upstream = net.connect(this.target.signalingPort, this.target.ip);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => this.impair(() => upstream.writable && upstream.write(chunk), false));
    upstream.on('data', (chunk) => this.impair(() => client.writable && client.write(chunk), false));
    client.on('close', () => this.impair(() => upstream.destroy(), false));
    upstream.on('close', () => this.impair(() => client.destroy(), false));
  }
}
