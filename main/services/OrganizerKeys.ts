// The organizer key of each server this PC publishes on: typed once by the host unit's
// secretary (checked with the server before it is kept), or made by the embedded server in host
// mode. The key never goes back to the renderer; only the host unit's name does.
import { callCatalog, catalogBase } from './catalog/CatalogClient';
import type { Store } from './store/Store';

export class OrganizerKeyError extends Error {
  constructor(
    readonly code: 'not_organizer',
    message: string,
  ) {
    super(message);
  }
}

export class OrganizerKeys {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  /** Checks the key with the server and keeps it; returns the host unit it belongs to. */
  async enter(serverUrl: string, key: string): Promise<{ organizer: string }> {
    const { caller } = await callCatalog(serverUrl, 'listBriefings', { params: {}, token: key });
    if (caller.kind !== 'organizer') throw new OrganizerKeyError('not_organizer', 'this is an invite code of a meeting point, not an organizer key');
    await this.keep(serverUrl, key, caller.organizer);
    return { organizer: caller.organizer };
  }

  async keep(serverUrl: string, key: string, organizer: string): Promise<void> {
    await this.store.run(
      `INSERT INTO organizer_key (server, key, organizer, saved_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (server) DO UPDATE SET key = excluded.key, organizer = excluded.organizer, saved_at = excluded.saved_at`,
      [catalogBase(serverUrl), key, organizer, this.now().toISOString()],
    );
  }

  async keyFor(serverUrl: string): Promise<string | undefined> {
    return (await this.store.get<{ key: string }>('SELECT key FROM organizer_key WHERE server = ?', [catalogBase(serverUrl)]))?.key;
  }

  async organizerFor(serverUrl: string): Promise<{ organizer: string } | null> {
    const row = await this.store.get<{ organizer: string }>('SELECT organizer FROM organizer_key WHERE server = ?', [catalogBase(serverUrl)]);
    return row ?? null;
  }
}
