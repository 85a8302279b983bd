// A commune that lost its code is let in as its own invited seat, never as a duplicate; the chair
// ends the briefing for everyone, with its end time kept, and no one joins after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ControlState } from '../../sfu-server/protocol';
import { type SfuServer } from '../../sfu-server/src/SfuServer';
import { CHAIR_SEAT, publishInvites } from '../support/invitations';
import { type TestClient, clientPool } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
const { client, closeAll } = clientPool(() => server.url);
beforeAll(async () => {
  server = await startTestServer({ maxConnectionsPerAddress: 1000 });
});
afterAll(async () => {
  closeAll();
  await server.close();
});

async function latest(c: TestClient, check: (state: ControlState) => boolean): Promise<ControlState> {
  for (let waited = 0; waited < 5000; waited += 20) {
    const found = [...c.notifications].reverse().find((n) => n.notification === 'controlChanged')?.data as ControlState | undefined;
    if (found && check(found)) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('control state not reached');
}

describe('the lobby and the end', () => {
  it('admits a point without its code into its invited seat, refuses a taken one, and ends for everyone', async () => {
    const invites = await publishInvites(server, 'ket-thuc', ['Xã Tân Lập', 'Xã Phú Sơn']);
    const chair = await client();
    await chair.join('ket-thuc', CHAIR_SEAT, { credential: invites.chair });
    const phuSon = await client();
    await phuSon.join('ket-thuc', 'Xã Phú Sơn', { credential: invites.points['Xã Phú Sơn'] });

    // Tân Lập's operator lost the code: it waits in the lobby under a name typed differently.
    const tanLap = await client();
    expect((await tanLap.join('ket-thuc', 'UBND xã Tân Lập')).data.status).toBe('lobby');
    const waiting = await latest(chair, (s) => s.lobby.length === 1);
    const seatId = (name: string) => waiting.seats.find((s) => s.seat === name)!.seatId;
    // Into a seat already in use: refused with the reason, and it still waits.
    const taken = await chair.request('admit', { lobbyId: waiting.lobby[0].lobbyId, asSeatId: seatId('Xã Phú Sơn') });
    expect(taken.error).toMatchObject({ code: 'forbidden', reason: 'seat_not_free' });
    expect((await chair.request('admit', { lobbyId: waiting.lobby[0].lobbyId, asSeatId: seatId('Xã Tân Lập') })).ok).toBe(true);
    await tanLap.waitFor('admitted');
    const joined = await tanLap.join('ket-thuc', 'UBND xã Tân Lập');
    expect(joined.data).toMatchObject({ status: 'joined', seat: 'Xã Tân Lập', role: 'point' });
    const seated = await latest(chair, (s) => s.seats.find((x) => x.seat === 'Xã Tân Lập')?.state === 'present');
    // One seat for Tân Lập, the invited one: no "(2)", no guest.
    expect(seated.seats.map((s) => s.seat).sort()).toEqual([CHAIR_SEAT, 'Thư ký: Trần Thị Hương', 'Xã Phú Sơn', 'Xã Tân Lập'].sort());

    // A point cannot end the briefing; the chair can.
    expect((await phuSon.request('endBriefing', {})).error?.code).toBe('forbidden');
    await chair.request('setAgendaItem', { index: 0 });
    expect((await chair.request('endBriefing', {})).ok).toBe(true);
    const ended = await latest(phuSon, (s) => s.endedAt !== null);
    // The item under way ends with the briefing: the minutes get both times from the server.
    expect(ended.agendaTimes.at(-1)?.endedAt).toBe(ended.endedAt);
    const late = await client();
    expect((await late.join('ket-thuc', 'Xã Muộn')).error).toMatchObject({ code: 'forbidden', reason: 'briefing_ended' });
    const log = (await server.audit.forBriefing('ket-thuc')).map((e) => `${e.action} ${e.detail ?? ''}`.trim());
    expect(log).toEqual(expect.arrayContaining(['admitted into the invited seat Xã Tân Lập', 'ended']));
  });
});
