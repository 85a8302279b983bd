// Refusals carry a reason from one enum in the protocol, and the app has words for every one of
// them in both languages: no client reads the server's English to learn why it was refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../renderer/src/i18n/en.json';
import vi from '../../renderer/src/i18n/vi.json';
import { RefusalReason } from '../../sfu-server/protocol';
import type { SfuServer } from '../../sfu-server/src/SfuServer';
import { publishInvites } from '../support/invitations';
import { TestClient } from '../support/sfuTestClient';
import { startTestServer } from '../support/testServer';

let server: SfuServer;
const clients: TestClient[] = [];
const connect = async () => {
  const client = await TestClient.connect(server.url);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startTestServer({ maxLobbyPerAddress: 1 });
});
afterAll(async () => {
  clients.forEach((c) => c.close());
  await server.close();
});

describe('refusal reasons', () => {
  it('every reason has its words in Vietnamese and English, and no words are left for a reason that is gone', () => {
    for (const messages of [vi, en]) {
      expect(Object.keys(messages.serverReason).sort()).toEqual([...RefusalReason.options].sort());
      for (const text of Object.values(messages.serverReason)) expect(text.trim().length).toBeGreaterThan(5);
    }
  });

  it('the server says why: an unknown code, an unpublished briefing, a full lobby, a seat in use', async () => {
    const invites = await publishInvites(server, 'giaoban-ly-do', ['Xã Tân Lập', 'Xã Hòa Bình']);
    const unpublished = await (await connect()).join('giaoban-chua-co', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    expect(unpublished.error).toMatchObject({ code: 'not_found', reason: 'briefing_not_published' });
    const unknown = await (await connect()).join('giaoban-ly-do', 'Xã Tân Lập', { credential: 'AAAA-BBBB-CCCC-DDDD-EEEE' });
    expect(unknown.error).toMatchObject({ code: 'bad_credential', reason: 'invite_unknown' });

    expect((await (await connect()).join('giaoban-ly-do', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] })).ok).toBe(true);
    const again = await (await connect()).join('giaoban-ly-do', 'Xã Tân Lập', { credential: invites.points['Xã Tân Lập'] });
    expect(again.error).toMatchObject({ code: 'seat_taken', reason: 'seat_in_use' });

    // One uninvited point may wait from this address; the second is told the limit.
    const waiting = await (await connect()).join('giaoban-ly-do', 'Khách 1');
    expect(waiting.ok).toBe(true);
    const second = await (await connect()).join('giaoban-ly-do', 'Khách 2');
    expect(second.error).toMatchObject({ code: 'over_limit', reason: 'lobby_per_address', count: 1 });
  });
});
