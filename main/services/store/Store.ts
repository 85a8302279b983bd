// The meeting point's local SQLite database, opened once per app run.
import { SqliteStore } from '../../../sfu-server/src/db/SqliteStore';
import { migrations } from './migrations';

export { SqliteStore as Store, StoreError, type Migration } from '../../../sfu-server/src/db/SqliteStore';

export async function openLocalStore(file: string): Promise<SqliteStore> {
  const store = await SqliteStore.open(file, migrations);
  // Minutes must survive a power cut, not only a crash: every commit reaches the disk.
  await store.exec('PRAGMA synchronous = FULL');
  return store;
}
