// This PC as the host unit's server: started on request, kept across restarts (a hosting PC that
// was hosting when the app closed hosts again at the same loopback address when it opens), and
// stopped only on request. The demo briefing is published on it to be tried at once.
import { messageOf } from '../../lib/errors';
import { ListenError } from '../../sfu-server';
import { ApiError, type HostInfo } from '../api/contract';
import { BriefingDraft } from '../../sfu-server/protocol/briefing';
import type { Briefings } from './Briefings';
import type { EmbeddedSfu } from './EmbeddedSfu';
import type { OrganizerKeys } from './OrganizerKeys';
import type { Store } from './store/Store';

const HOSTING_FLAG = 'hosting';
/** The demo briefing of seeds/demo-briefing.json. */
export const DEMO_CODE = 'mau-giao-ban-tuan';

export class Hosting {
  constructor(
    private readonly store: Store,
    private readonly sfu: EmbeddedSfu,
    private readonly organizerKeys: OrganizerKeys,
    private readonly briefings: Briefings,
    private readonly now: () => Date,
  ) {}

  async start(): Promise<HostInfo> {
    const started = await this.sfu.start().catch((error: unknown) => {
      // The server says why it could not start (port_in_use…), for the UI to word.
      throw new ApiError('host_failed', messageOf(error), error instanceof ListenError ? error.code : undefined);
    });
    // A PC hosting its own briefings is its own organizer; the key stays in the main process.
    await this.organizerKeys.keep(started.info.serverUrl, started.organizerKey, started.organizerName);
    await this.store.run('INSERT OR REPLACE INTO app_flag (name, set_at) VALUES (?, ?)', [HOSTING_FLAG, this.now().toISOString()]);
    return started.info;
  }

  /** What this PC serves now, or null when it does not host. */
  status(): HostInfo | null {
    return this.sfu.running?.info ?? null;
  }

  async stop(): Promise<void> {
    await this.store.run('DELETE FROM app_flag WHERE name = ?', [HOSTING_FLAG]);
    await this.sfu.stop();
  }

  /** At the app's start: hosts again if it was hosting when it closed. */
  async resume(): Promise<HostInfo | null> {
    if (!(await this.store.get('SELECT 1 FROM app_flag WHERE name = ?', [HOSTING_FLAG]))) return null;
    return this.start();
  }

  /** Publishes the demo briefing on this PC's own server, starting now, to be joined at once. */
  async demo(): Promise<{ serverUrl: string; briefingCode: string; pointName: string }> {
    const briefing = await this.briefings.get(DEMO_CODE);
    if (!briefing) throw new ApiError('not_found', 'the demo briefing is not on this PC');
    const { serverUrl } = await this.start();
    const startsAt = new Date(this.now().getTime() + 7 * 3600_000).toISOString().slice(0, 19) + '+07:00';
    // The published version's own fields (version, changes) are not a draft's: parsing drops them.
    await this.briefings.publish(serverUrl, BriefingDraft.parse({ ...briefing, startsAt, regular: false }));
    return { serverUrl, briefingCode: DEMO_CODE, pointName: briefing.hostUnit };
  }
}
