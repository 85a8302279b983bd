// The meeting point's local SQLite database, opened once per app run.
import { SqliteStore } from '../../../sfu-server/src/db/SqliteStore';
import { migrations } from './migrations';

export { SqliteStore as Store, StoreError, type Migration } from '../../../sfu-server/src/db/SqliteStore';

export function openLocalStore(file: string): Promise<SqliteStore> {
  return SqliteStore.open(file, migrations);
}
