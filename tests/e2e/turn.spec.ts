// A network that lets nothing through but the TURN relay: the commune sends and receives media
// only through coturn (Debian's), with short-lived credentials the SFU hands out.
import { type ChildProcess, spawn } from 'node:child_process';
import { publishInvites } from '../support/invitations';
import { type MeetingPoint, type RunningSfu, closedPort, expect, expectReceiving, join, openMeetingPoint, startSfuProcess, test } from './fixtures';

const SECRET = 'bi-mat-chung-cua-huyen-va-turn';
let coturn: ChildProcess | undefined;
let sfu: RunningSfu | undefined;
let points: MeetingPoint[] = [];
test.afterEach(async () => {
  await Promise.all(points.map((p) => p.close()));
  points = [];
  await sfu?.stop();
  coturn?.kill('SIGKILL');
});

async function startCoturn(port: number): Promise<() => string> {
  let log = '';
  coturn = spawn('turnserver', [
    '-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${port}`, '--min-port=49160', '--max-port=49460',
    '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=giaoban.test', '--fingerprint',
    '--no-tls', '--no-dtls', '--no-cli', '--allow-loopback-peers', '--log-file=stdout', '--simple-log', '--verbose',
  ]);
  coturn.stdout!.on('data', (d) => (log += d));
  coturn.stderr!.on('data', (d) => (log += d));
  await expect.poll(() => log, { timeout: 10_000 }).toMatch(/Total General servers|IO method|Relay address/);
  return () => log;
}

test('with media allowed only through TURN, the commune still sees and hears the district', async ({ browser }) => {
  test.setTimeout(120_000);
  const turnPort = await closedPort();
  const coturnLog = await startCoturn(turnPort);
  sfu = await startSfuProcess({ extraArgs: ['--turn-url', `turn:127.0.0.1:${turnPort}?transport=udp`, '--turn-secret', SECRET] });
  const code = 'giaoban-turn';
  const invites = await publishInvites(sfu, code, ['Xã Tân Lập'], { chairSeat: 'UBND huyện' });
  const district = await openMeetingPoint(browser, 'UBND huyện');
  const commune = await openMeetingPoint(browser, 'Xã Tân Lập');
  points = [district, commune];

  // Count the commune's peer connections to read which path they took.
  await commune.context.addInitScript(() => {
    const w = window as unknown as { __pcs: RTCPeerConnection[] };
    w.__pcs = [];
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
        super(...args);
        w.__pcs.push(this);
      }
    };
  });
  await commune.page.reload();
  await commune.page.getByText('Tùy chọn mạng').click();
  await commune.page.getByLabel('Luôn truyền hình qua máy chủ chuyển tiếp (TURN)').check();

  await join(district, sfu.url, code, invites.chair);
  await join(commune, sfu.url, code, invites.points['Xã Tân Lập']);
  await expectReceiving(commune, 'UBND huyện');
  await expectReceiving(district, 'Xã Tân Lập');

  // Every path the commune uses goes through the relay, and coturn saw our credentials.
  const localTypes = await commune.page.evaluate(async () => {
    const types: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const stats = await pc.getStats();
      stats.forEach((s: { type: string; selectedCandidatePairId?: string }) => {
        if (s.type !== 'transport' || !s.selectedCandidatePairId) return;
        const pair = stats.get(s.selectedCandidatePairId) as { localCandidateId: string };
        types.push((stats.get(pair.localCandidateId) as { candidateType: string }).candidateType);
      });
    }
    return types;
  });
  expect(localTypes.length).toBeGreaterThanOrEqual(2);
  expect(new Set(localTypes)).toEqual(new Set(['relay']));
  expect(coturnLog()).toMatch(/user <\d+:Xa-Tan-Lap>/);
});
