// The test machine set up as the README asks of each meeting point's PC: the server's CA
// certificate installed once. One CA (made by the server's own code) for the e2e servers that
// meeting points reach across a network; Node trusts it through NODE_EXTRA_CA_CERTS and Chromium
// through an NSS database in the HOME its browsers run with.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reachableAddresses } from '../../sfu-server/src/addresses';
import { ensureTlsFiles } from '../../sfu-server/src/tls';

const ROOT = path.join(os.tmpdir(), 'giao-ban-e2e-tls');
/** Where a server's TLS folder is copied from: the CA (with its key, to issue for new addresses). */
const TEMPLATE = path.join(ROOT, 'template');
/** The HOME every test Chromium runs with: its NSS database trusts the test CA. */
export const TEST_BROWSER_HOME = path.join(ROOT, 'home');
export const TEST_CA_FILE = path.join(TEMPLATE, 'ca.crt');

/** Makes the CA for this machine's addresses and `addresses` (the test hosts' ends, made later),
 * as a server's first start would, and trusts it. */
export function prepareTestTls(addresses: string[]): void {
  fs.rmSync(ROOT, { recursive: true, force: true });
  ensureTlsFiles(TEMPLATE, [...reachableAddresses(), ...addresses]);
  const nss = path.join(TEST_BROWSER_HOME, '.pki', 'nssdb');
  fs.mkdirSync(nss, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${nss}`, '--empty-password']);
  execFileSync('certutil', ['-A', '-d', `sql:${nss}`, '-n', 'Giao Ban test CA', '-t', 'C,,', '-i', TEST_CA_FILE]);
}

/** A TLS folder for one server, holding the test CA: the server issues its own certificate from it. */
export function testTlsDir(dataDir: string): string {
  const dir = path.join(dataDir, 'tls');
  if (!fs.existsSync(dir)) fs.cpSync(TEMPLATE, dir, { recursive: true });
  return dir;
}
