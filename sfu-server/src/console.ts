// The operator's console: `npm run sfu -- organizer add "UBND tỉnh …"` and its kin. They work on
// the server's data folder directly, so they run whether or not the server is up (SQLite's
// locking keeps the two apart).
import { parseArgs } from 'node:util';
import { AuditLog } from './access/AuditLog';
import { Organizers } from './access/Organizers';
import { Catalog } from './catalog/Catalog';
import { systemClock } from './clock';
import { DEFAULT_DATA_DIR } from './config';
import { CascadeLinks } from './cascade/CascadeLinks';
import { readRelayInvitation } from './cascade/relayInvitation';

const USAGE = `usage:
  npm run sfu -- organizer add "<host unit name>" [--data-dir DIR]   prints the new key, once
  npm run sfu -- organizer list [--data-dir DIR]
  npm run sfu -- organizer revoke <id> [--data-dir DIR]
  npm run sfu -- audit verify [--data-dir DIR]                       checks the audit log's hash chain
  npm run sfu -- cascade link <local briefing code> "<relay invitation: giaoban://join?…>" [--data-dir DIR]
                                    relays the upper briefing of that invitation to this server's briefing
  npm run sfu -- cascade list [--data-dir DIR]
  npm run sfu -- cascade remove <id> [--data-dir DIR]`;

export const CONSOLE_COMMANDS = ['organizer', 'audit', 'cascade'];

/** Runs a console command; returns the process exit code. */
export async function runConsoleCommand(argv: string[], env: NodeJS.ProcessEnv, print: (line: string) => void = console.log): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' } }, allowPositionals: true, strict: true });
  const dataDir = values['data-dir'] ?? env.SFU_DATA_DIR ?? DEFAULT_DATA_DIR;
  const [command, action, argument] = [positionals.at(0), positionals.at(1), positionals.at(2)];
  const known =
    (command === 'organizer' && ['add', 'list', 'revoke'].includes(action ?? '')) ||
    (command === 'audit' && action === 'verify') ||
    (command === 'cascade' && ['link', 'list', 'remove'].includes(action ?? ''));
  if (!known) {
    print(USAGE);
    return 2;
  }
  const catalog = await Catalog.open(dataDir, systemClock);
  try {
    if (command === 'cascade') return await cascadeCommand(new CascadeLinks(catalog.db, systemClock), action ?? '', positionals.slice(2), print);
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

async function cascadeCommand(links: CascadeLinks, action: string, args: string[], print: (line: string) => void): Promise<number> {
  if (action === 'list') {
    for (const l of await links.list()) print(`${l.id}\t${l.localBriefing} ← ${l.upperBriefing} at ${l.upperUrl}${l.caFingerprint ? ` (CA ${l.caFingerprint})` : ''}\tsince ${l.createdAt}`);
    return 0;
  }
  if (action === 'remove') {
    const id = Number(args[0]);
    if (!Number.isInteger(id)) {
      print(USAGE);
      return 2;
    }
    const removed = await links.remove(id);
    print(removed ? `link ${id} removed: the running server drops it within seconds` : `no link ${id}`);
    return removed ? 0 : 1;
  }
  const [localBriefing, invitation] = args;
  const read = invitation ? readRelayInvitation(invitation) : null;
  if (!localBriefing || !read) {
    print('give this server\'s briefing code and the relay seat\'s invitation link (giaoban://join?server=…&briefing=…&invite=…)');
    return 2;
  }
  try {
    const added = await links.add({ localBriefing, ...read });
    print(`link ${added.id}: ${added.localBriefing} relays ${added.upperBriefing} from ${added.upperUrl}; the running server takes it up within seconds`);
    return 0;
  } catch (error) {
    print(`not linked: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
