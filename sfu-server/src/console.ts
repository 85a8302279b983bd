// The operator's console: `npm run sfu -- organizer add "UBND tỉnh …"` and its kin. They work on
// the server's data folder directly, so they run whether or not the server is up (SQLite's
// locking keeps the two apart).
import { parseArgs } from 'node:util';
import { AuditLog } from './access/AuditLog';
import { Organizers } from './access/Organizers';
import { Catalog } from './catalog/Catalog';
import { systemClock } from './clock';
import { DEFAULT_DATA_DIR } from './config';

const USAGE = `usage:
  npm run sfu -- organizer add "<host unit name>" [--data-dir DIR]   prints the new key, once
  npm run sfu -- organizer list [--data-dir DIR]
  npm run sfu -- organizer revoke <id> [--data-dir DIR]
  npm run sfu -- audit verify [--data-dir DIR]                       checks the audit log's hash chain`;

export const CONSOLE_COMMANDS = ['organizer', 'audit'];

/** Runs a console command; returns the process exit code. */
export async function runConsoleCommand(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  const dataDir = values['data-dir'] ?? env.SFU_DATA_DIR ?? DEFAULT_DATA_DIR;
  const [command, action, argument] = [positionals.at(0), positionals.at(1), positionals.at(2)];
  const known = (command === 'organizer' && ['add', 'list', 'revoke'].includes(action ?? '')) || (command === 'audit' && action === 'verify');
  if (!known) {
    print(USAGE);
    return 2;
  }
  const catalog = await Catalog.open(dataDir, systemClock);
  try {
    if (command === 'audit') {
      const check = await new AuditLog(catalog.db, systemClock).verify();
      if (check.ok) print(`audit log intact: ${check.rows} rows, newest hash ${check.head}`);
      else print(`audit log BROKEN at row ${check.brokenAt} (after ${check.rows} good rows): ${check.reason}`);
      return check.ok ? 0 : 1;
    }
    const organizers = new Organizers(catalog.db, systemClock);
    if (action === 'add') {
      if (!argument?.trim()) {
        print(USAGE);
        return 2;
      }
      const added = await organizers.add(argument);
      print(`organizer ${added.id}: ${added.name}`);
      print(`key (shown this once; give it to the host unit's secretary): ${added.key}`);
      return 0;
    }
    if (action === 'list') {
      for (const o of await organizers.list()) print(`${o.id}\t${o.name}\tcreated ${o.createdAt}${o.revokedAt ? `\trevoked ${o.revokedAt}` : ''}`);
      return 0;
    }
    const id = Number(argument);
    if (!Number.isInteger(id)) {
      print(USAGE);
      return 2;
    }
    const revoked = await organizers.revoke(id);
    print(revoked ? `organizer ${id} revoked: its key no longer works` : `no organizer ${id} with a valid key`);
    return revoked ? 0 : 1;
  } finally {
    await catalog.close();
  }
}
