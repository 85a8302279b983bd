// How the desktop app is packaged for meeting points' PCs (`npm run dist`, on a machine that can
// download Electron: this one cannot). The fuses are Electron's own switches baked into the
// binary, so a packaged app cannot be turned into a general Node runtime or made to load code
// from outside its signed archive, whatever the environment or command line on the PC says.
import type { Configuration } from 'electron-builder';

/** Electron's fuses, as electron-builder flips them after packaging and before signing. */
export const ELECTRON_FUSES = {
  // ELECTRON_RUN_AS_NODE would make the app's signed binary run any script.
  runAsNode: false,
  // NODE_OPTIONS (--require, --import) and --inspect would inject code into the main process.
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  // The archive's hash is embedded in the binary and checked when it loads (Windows, macOS).
  enableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar, never a loose app/ folder someone drops beside it.
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  // The renderer is served from app://; file:// needs nothing extra.
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
} as const;

const config: Configuration = {
  appId: 'vn.giaoban.desktop',
  productName: 'Giao Ban',
  directories: { output: 'dist' },
  files: ['out/main/**', 'out/preload/**', 'out/renderer/**', 'resources/**', 'seeds/**', 'package.json'],
  asar: true,
  // Native code cannot run from inside the archive: the SQLite and PKCS#11 bindings, and
  // mediasoup's worker (a program the host mode starts).
  asarUnpack: ['**/*.node', 'node_modules/mediasoup/worker/out/Release/mediasoup-worker', 'resources/worker/**'],
  electronFuses: ELECTRON_FUSES,
  // A giaoban://join… link clicked in a mail or a chat opens the app with the invitation filled in
  // (the .deb's and AppImage's desktop entry, NSIS's registry keys, macOS's Info.plist).
  protocols: [{ name: 'Giấy mời Giao Ban', schemes: ['giaoban'] }],
  win: { target: ['nsis'] },
  linux: { target: ['deb', 'AppImage'], category: 'Office' },
};

export default config;
