// Everything behind the renderer's API, in plain Node: Electron's main process and the local
// host mode both create one of these and route API calls through `call`.
import path from 'node:path';
import { z } from 'zod';
import { ApiError, apiInputs, type ApiMethod, type DesktopApi } from '../api/contract';
import { BriefingHistory } from './BriefingHistory';
import { EmbeddedSfu } from './EmbeddedSfu';
import { MeetingPoint } from './MeetingPoint';
import { openLocalStore, type Store } from './store/Store';

export interface DesktopServicesOptions {
  /** Folder for the meeting point's database and files. */
  dataDir: string;
  /** Ports of the embedded SFU in host mode. */
  hostPort?: number;
  hostMediaPort?: number;
}

export class DesktopServices {
  readonly api: DesktopApi;

  private constructor(
    private readonly store: Store,
    private readonly sfu: EmbeddedSfu,
  ) {
    const meetingPoint = new MeetingPoint(store);
    const history = new BriefingHistory(store);
    this.api = {
      getProfile: () => meetingPoint.profile(),
      saveProfile: (profile) => meetingPoint.save(profile),
      hostBriefing: () =>
        sfu.start().catch((error: Error) => {
          throw new ApiError('host_failed', error.message);
        }),
      stopHosting: async () => {
        await sfu.stop();
        return null;
      },
      briefingJoined: async (entry) => ({ historyId: await history.joined(entry) }),
      briefingPresence: async ({ historyId, points }) => {
        await history.present(historyId, points);
        return null;
      },
      briefingLeft: async ({ historyId }) => {
        await history.left(historyId);
        return null;
      },
      listBriefingHistory: () => history.list(),
    };
  }

  static async open(options: DesktopServicesOptions): Promise<DesktopServices> {
    const store = await openLocalStore(path.join(options.dataDir, 'giao-ban.sqlite3'));
    return new DesktopServices(store, new EmbeddedSfu({ dataDir: path.join(options.dataDir, 'host'), port: options.hostPort, mediaPort: options.hostMediaPort }));
  }

  /** The one entry point for calls from outside the process: validates, then dispatches. */
  async call(method: string, input: unknown): Promise<unknown> {
    if (!Object.hasOwn(apiInputs, method)) throw new ApiError('unknown_method', `unknown API method "${method}"`);
    const parsed = apiInputs[method as ApiMethod].safeParse(input ?? undefined);
    if (!parsed.success) throw new ApiError('bad_input', `${method}: ${z.prettifyError(parsed.error)}`);
    const fn = this.api[method as ApiMethod] as (input: unknown) => Promise<unknown>;
    try {
      return await fn(parsed.data);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('store_failed', (error as Error).message);
    }
  }

  async close(): Promise<void> {
    await this.sfu.stop();
    await this.store.close();
  }
}
