// The packaged app's Electron fuses, as the packaging configuration sets them (Electron cannot be
// downloaded here, so no package is built in the tests): what an attacker on the PC could use to
// run code through the signed app is switched off in the binary itself.
import { describe, expect, it } from 'vitest';
import config, { ELECTRON_FUSES } from '../../electron-builder';

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

  it('packages the built app and its resources, not the sources or the tests', () => {
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/**']));
    expect((config.files as string[]).some((f) => /^(tests|sfu-server\/src|main\/|renderer\/src)/.test(f))).toBe(false);
  });
});
