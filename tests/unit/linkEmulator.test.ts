// The test link's cap, which the weak-link figures stand on: a stream sent faster than the cap
// arrives at the cap's rate, the excess dropped once the queue is full; lifted, all arrives.
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkEmulator } from '../support/linkEmulator';
import { closedPort } from '../support/ports';

const open: { close(): void }[] = [];
afterEach(() => open.splice(0).forEach((o) => o.close()));

/** Sends 1,000-byte datagrams at `kbps` for `ms` through the emulator (listening on 127.0.0.2);
 * returns the kbit/s that went in and came out. */
async function throughput(server: dgram.Socket, mediaPort: number, kbps: number, ms: number): Promise<{ sent: number; received: number }> {
  let received = 0;
  let sent = 0;
  const count = (packet: Buffer) => (received += packet.length);
  server.on('message', count);
  const point = dgram.createSocket('udp4');
  open.push(point);
  await new Promise<void>((resolve) => point.bind(0, '127.0.0.1', () => resolve()));
  const perTick = Math.round((kbps * 10) / 8 / 1000);
  const started = performance.now();
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) point.send(Buffer.alloc(1000), mediaPort, '127.0.0.2');
    sent += perTick * 1000;
  }, 10);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(timer);
  await new Promise((r) => setTimeout(r, 400));
  server.off('message', count);
  const elapsedMs = performance.now() - started - 400;
  return { sent: (sent * 8) / elapsedMs, received: (received * 8) / elapsedMs };
}

describe('the link emulator', () => {
  it('holds a stream to its cap and drops what overflows the queue; without a cap all arrives', async () => {
    const server = dgram.createSocket('udp4');
    open.push(server);
    const mediaPort = await closedPort();
    await new Promise<void>((resolve) => server.bind(mediaPort, '127.0.0.1', () => resolve()));
    const link = await LinkEmulator.start('127.0.0.2', { ip: '127.0.0.1', signalingPort: await closedPort(), mediaPort });
    open.push(link);

    link.set({ delayMs: 0, lossPct: 0, kbps: 256 });
    const capped = await throughput(server, mediaPort, 1000, 2000);
    expect(capped.sent).toBeGreaterThan(2 * 256);
    expect(capped.received).toBeGreaterThan(256 * 0.8);
    expect(capped.received).toBeLessThan(256 * 1.25);
    expect(link.queueDrops.up).toBeGreaterThan(0);

    link.set({ delayMs: 0, lossPct: 0 });
    const uncapped = await throughput(server, mediaPort, 1000, 1000);
    expect(uncapped.received).toBeGreaterThan(uncapped.sent * 0.95);
  });
});
