// A commune starts watching a stream whose sender's key frame never reaches the SFU: mediasoup
// asks the sender twice, both requests are lost (a starved PC, UDP dropped on a loaded link), and
// the commune's browser, getting no packet of that stream, asks nothing. The server asks again by
// itself, and the picture comes. A real server; the sender is a plain-RTP generator that sends a
// key frame only when asked (as a browser's encoder does) and loses the first requests.
import { describe, expect, it, vi } from 'vitest';
import { Sink, producerRtpParameters, startGenerator } from '../../bench/sfu/rtp';
import { publishInvites } from '../support/invitations';
import { serverForTests } from '../support/serverForTests';

const { server, client } = serverForTests({ allowPlainRtp: true });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Video packets that reach a commune which starts watching Phú Sơn's camera, when the first
 * `lost` key-frame requests to Phú Sơn are lost (`null`: its camera, though on, sends nothing). */
async function watch(code: string, lost: number | null): Promise<Sink> {
  const invites = await publishInvites(server(), code, ['Xã Tân Lập', 'Xã Phú Sơn']);
  const sender = await client();
  await sender.join(code, 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });
  const send = (await sender.request('createPlainTransport', { direction: 'send' })).data;
  const camera = (await sender.request('produce', { transportId: send.id, kind: 'video', source: 'camera', rtpParameters: producerRtpParameters.video })).data;
  // Its first key frame goes out at once; none after unless asked.
  const generator = lost === null ? null : startGenerator({ ip: send.ip, port: send.port }, { video: true, keyFrameEveryMs: 3_600_000, lostKeyFrameRequests: lost });
  await pause(1500);

  const commune = await client();
  await commune.join(code, 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
  const sink = new Sink();
  const port = await sink.bind();
  sink.startCounting();
  const recv = (await commune.request('createPlainTransport', { direction: 'recv' })).data;
  await commune.request('connectPlainTransport', { transportId: recv.id, ip: '127.0.0.1', port });
  const consumer = (await commune.request('consume', { transportId: recv.id, producerId: camera.producerId })).data;
  await commune.request('setConsumerLayer', { consumerId: consumer.consumerId, spatialLayer: 0 });
  await commune.request('resumeConsumer', { consumerId: consumer.consumerId });
  sink.socket.once('close', () => generator?.stop());
  return sink;
}

/** The one line the server's log says of this briefing's dark video (`watch`'s), checked to be
 * said once, not every few seconds while it stays dark. */
async function saidOnceOf(code: string, lost: number | null): Promise<{ line: string; sink: Sink }> {
  const warn = vi.spyOn(console, 'warn');
  try {
    const sink = await watch(code, lost);
    const said = () => warn.mock.calls.map((call) => String(call[0])).filter((line) => line.startsWith(`[media] ${code}: `));
    await expect.poll(() => said().length, { timeout: 12_000, interval: 250 }).toBe(1);
    await pause(3000);
    expect(said()).toHaveLength(1);
    sink.close();
    return { line: said()[0], sink };
  } finally {
    warn.mockRestore();
  }
}

describe('a video whose key-frame requests are lost', () => {
  it('is asked for again by the server until its picture reaches the commune', async () => {
    // mediasoup's own two requests lost, and the server's first one too.
    const sink = await watch('khung-hinh-mat', 3);
    await expect.poll(() => sink.stats.packets, { timeout: 12_000, interval: 250 }).toBeGreaterThan(0);
    sink.close();
  });

  it('that stays dark is said once in the server log, with why, for the IT officer', async () => {
    // Every request lost: the sender's key frame never comes.
    const { line, sink } = await saidOnceOf('khung-hinh-khong-den', 1000);
    expect(line).toContain('Xã Tân Lập has had no picture of Xã Phú Sơn');
    expect(line).toContain('layer 0 is chosen and no key frame of it has come from the sender');
    expect(sink.stats.packets).toBe(0);
  });

  it("whose sender sends nothing is said once as the sender's, however long it lasts", async () => {
    const { line } = await saidOnceOf('camera-im-lang', null);
    expect(line).toContain('Xã Phú Sơn has sent no picture');
    expect(line).toContain('1 point(s) show it');
  });

  it('flows at once when nothing is lost', async () => {
    const sink = await watch('khung-hinh-du', 0);
    await expect.poll(() => sink.stats.packets, { timeout: 2000, interval: 100 }).toBeGreaterThan(0);
    sink.close();
  });
});
