#!/usr/bin/env node
// Fetches Electron's binary when this machine can, instead of letting Electron's own install step
// fail `npm install` on a PC without internet (the browser-tab mode, `npm run web`, needs no
// Electron at all).
//
// Usage: node scripts/fetch-electron.mjs [--required]
//   (default, from postinstall): a failed download is a note, and the install goes on.
//   --required (before `npm start`): a missing binary stops with what to do instead.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const required = process.argv.includes('--required');

const NOTE = [
  "[giao-ban] Electron's binary could not be downloaded (no internet, or its download host is blocked).",
  '[giao-ban] Everything else is installed. Run the app in a browser tab:   npm run web',
  '[giao-ban] For the desktop app, on a machine with internet run:          node scripts/fetch-electron.mjs --required',
].join('\n');

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && !required) {
  console.log('[giao-ban] ELECTRON_SKIP_BINARY_DOWNLOAD is set: Electron\'s binary was not downloaded; `npm run web` runs the app in a browser tab.');
  process.exit(0);
}

let installScript;
try {
  installScript = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
} catch {
  console.log('[giao-ban] Electron is not among the installed packages; `npm run web` runs the app in a browser tab.');
  process.exit(required ? 1 : 0);
}

// Electron's own installer: it returns at once when the binary is already there. A download that
// hangs on a network that drops packets is given up after two minutes.
const env = { ...process.env };
delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
const result = spawnSync(process.execPath, [installScript], { stdio: ['ignore', 'inherit', 'pipe'], env, timeout: 120_000 });
if (result.status === 0) process.exit(0);
console.log(NOTE);
const detail = result.stderr?.toString().trim().split('\n').find((line) => /Error|error/.test(line));
if (detail) console.log(`[giao-ban] (${detail.trim()})`);
process.exit(required ? 1 : 0);
