// The upper briefings this server relays, as its operator set them on the console (`npm run sfu
// -- cascade link …`): kept in the server's catalog, so they outlive a restart, and read again
// every few seconds by the running server, which makes or drops the links to match.
import { z } from 'zod';
import { BriefingCode, Credential } from '../../protocol';
import type { SqliteStore } from '../../../lib/SqliteStore';
import type { BriefingDirectory } from '../BriefingDirectory';
import type { Clock } from '../clock';
import { normalFingerprint } from './upperTrust';
import { UpperLink, type UpperLinkSettings } from './UpperLink';

export const LinkRequest = z.object({
  localBriefing: BriefingCode,
  upperUrl: z.url({ protocol: /^wss?$/, error: 'the upper server address starts with wss:// (or ws:// on a test bench)' }),
  upperBriefing: BriefingCode,
  inviteCode: Credential,
  caFingerprint: z
    .string()
    .refine((f) => /^[0-9A-F]{64}$/i.test(f.replace(/:/g, '')), 'a CA fingerprint is 32 bytes of hex (AB:CD:…)')
    .transform(normalFingerprint)
    .nullable(),
});

export interface StoredLink extends UpperLinkSettings {
  id: number;
  createdAt: string;
}

const READ_EVERY_MS = 5000;
/** What the server calls itself upstream (the seat's name comes from the upper invitation). */
const RELAY_NAME = 'Máy chủ chuyển tiếp';

export class CascadeLinks {
  private readonly running = new Map<number, UpperLink>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly db: SqliteStore,
    private readonly now: Clock,
  ) {}

  async add(input: z.input<typeof LinkRequest>): Promise<StoredLink> {
    const parsed = LinkRequest.safeParse(input);
    if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
    const link = parsed.data;
    if (await this.db.get('SELECT 1 FROM cascade_link WHERE local_briefing = ?', [link.localBriefing])) {
      throw new Error(`${link.localBriefing} already relays an upper briefing: remove that link first`);
    }
    const createdAt = this.now().toISOString();
    const { lastID } = await this.db.run(
      'INSERT INTO cascade_link (local_briefing, upper_url, upper_briefing, invite_code, ca_fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [link.localBriefing, link.upperUrl, link.upperBriefing, link.inviteCode, link.caFingerprint, createdAt],
    );
    return { id: lastID, ...link, createdAt };
  }

  async list(): Promise<StoredLink[]> {
    return this.db.all<StoredLink>(
      'SELECT id, local_briefing AS localBriefing, upper_url AS upperUrl, upper_briefing AS upperBriefing, invite_code AS inviteCode, ca_fingerprint AS caFingerprint, created_at AS createdAt FROM cascade_link ORDER BY id',
    );
  }

  async remove(id: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM cascade_link WHERE id = ?', [id])).changes > 0;
  }

  /** The running server keeps one live link per stored one. */
  run(rooms: BriefingDirectory, mediaAddresses: readonly { ip: string; announcedIp?: string }[], documents: ConstructorParameters<typeof UpperLink>[4]): void {
    const match = async () => {
      const stored = await this.list();
      for (const [id, link] of this.running) {
        if (stored.some((s) => s.id === id)) continue;
        link.stop();
        this.running.delete(id);
      }
      for (const s of stored) {
        if (this.running.has(s.id)) continue;
        const link = new UpperLink(s, rooms, mediaAddresses, RELAY_NAME, documents);
        this.running.set(s.id, link);
        link.start();
      }
    };
    const tick = () => void match().catch((error: unknown) => console.error('[cascade] cannot read the relayed briefings:', error));
    tick();
    this.timer = setInterval(tick, READ_EVERY_MS);
    this.timer.unref();
  }

  /** How each live link stands, by its id. */
  states(): Map<number, UpperLink['status']> {
    return new Map([...this.running].map(([id, link]) => [id, link.status]));
  }

  /** Bytes across each live link's pipe, by its id. */
  async pipeBytes(): Promise<Map<number, { received: number; sent: number } | null>> {
    return new Map(await Promise.all([...this.running].map(async ([id, link]) => [id, await link.pipeBytes()] as const)));
  }

  stop(): void {
    clearInterval(this.timer);
    for (const link of this.running.values()) link.stop();
    this.running.clear();
  }
}
