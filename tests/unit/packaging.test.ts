// The packaged app's Electron fuses, as the packaging configuration sets them (Electron cannot be
// downloaded here, so no package is built in the tests): what an attacker on the PC could use to
// run code through the signed app is switched off in the binary itself.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config, { ELECTRON_FUSES } from '../../electron-builder';
import { cachedWorkerBin, runnablePath } from '../../sfu-server/src/mediasoupLoader';

describe('packaging', () => {
  it('switches off running as Node, NODE_OPTIONS and the inspector, and loads only the integrity-checked archive', () => {
    expect(config.electronFuses).toBe(ELECTRON_FUSES);
    expect(ELECTRON_FUSES).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The integrity fuse means something only with the archive and its embedded hash.
    expect(config.asar).toBe(true);
    expect(JSON.stringify(config)).not.toContain('disableIntegrity');
  });

  it('registers giaoban:// with the operating system, so an invitation link clicked in a mail opens the app', () => {
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['giaoban'] })]);
  });

  it('packages the built app and its resources, not the sources or the tests', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/**']));
    expect((config.files as string[]).some((f) => /^(tests|sfu-server\/src|main\/|renderer\/src)/.test(f))).toBe(false);
  });

  it('ships the mediasoup worker outside the archive, where the host mode can start it', () => {
    const packaged = cachedWorkerBin('/opt/Giao Ban/resources/app.asar');
    expect(runnablePath(packaged)).toBe(packaged.replace('/app.asar/', '/app.asar.unpacked/'));
    expect(runnablePath('C:\\Program Files\\Giao Ban\\resources\\app.asar\\resources\\worker\\w.exe')).toContain('app.asar.unpacked');
    // A development tree is left as it is.
    expect(runnablePath('/work/giao-ban/resources/worker/w')).toBe('/work/giao-ban/resources/worker/w');
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['resources/worker/**']));
    expect(config.files).toEqual(expect.arrayContaining(['resources/**']));
  });

  it('installs without internet: a failed Electron download is a note, not a failed install', () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'giao-ban-electron-cache-'));
    // The download goes to a closed port; another platform's binary is asked for, so a machine
    // where Electron is installed still tries (and fails) the download.
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache, npm_config_platform: 'win32' };
    delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
    const install = spawnSync(process.execPath, ['scripts/fetch-electron.mjs'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(install.status).toBe(0);
    expect(install.stdout).toContain('npm run web');
    // `npm start` (its prestart) stops with the same advice instead of Electron's cryptic error.
    const start = spawnSync(process.execPath, ['scripts/fetch-electron.mjs', '--required'], { env, encoding: 'utf8', timeout: 60_000 });
    expect(start.status).toBe(1);
    expect(start.stdout).toContain('npm run web');
    fs.rmSync(cache, { recursive: true, force: true });
  });
});
