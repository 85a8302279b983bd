// The Electron shell's security decisions, as pure functions so they are tested without
// Electron (which cannot start on the build machine): which page is the app's own (an exact
// origin, not "a file named index.html somewhere"), where it may navigate, what it may be
// granted, how its window is made, and which file the app:// scheme serves for a request.
import path from 'node:path';

/** The renderer is served from this privileged custom scheme, so the CSP applies and the origin
 * is exact; `file://` would make every local file the same origin. */
export const APP_SCHEME = 'app';
/** The scheme of invitation links (giaoban://join?…), registered with the operating system. */
export const INVITATION_SCHEME = 'giaoban';
export const APP_HOST = 'giao-ban';
export const APP_ENTRY = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** True only for the app's own pages: app://giao-ban/…, or, in development, exactly the dev
 * server's scheme, host and port (`http://localhost:5173.evil.tld` is not `localhost:5173`). */
export function isAppPage(url: string, devServerUrl?: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devServerUrl) {
    const dev = new URL(devServerUrl);
    return parsed.protocol === dev.protocol && parsed.hostname === dev.hostname && parsed.port === dev.port && !parsed.username && !parsed.password;
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
}

/** Navigation and redirects stay inside the app; anything else is refused. */
export const navigationAllowed = isAppPage;

/** Links the app may hand to the system browser: the web, nothing local or scripted. */
export function externalLinkAllowed(url: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

/** Camera and microphone, and notifications (reminders of assignments due), for the app's own
 * page; nothing else, for no one else. */
export function permissionAllowed(permission: string, requestingUrl: string, devServerUrl?: string): boolean {
  return (permission === 'media' || permission === 'notifications') && isAppPage(requestingUrl, devServerUrl);
}

/** The window's web preferences: an isolated, sandboxed page with no Node and no way around the
 * browser's own checks. */
export function windowWebPreferences(preload: string) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  } as const;
}

/** The file under `root` that an app:// request names, or null for anything outside it (a
 * `..` in any spelling, another host, a bad escape). */
export function appFileFor(root: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let relative: string;
  try {
    relative = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (relative.includes('\0')) return null;
  const file = path.resolve(root, `.${relative === '/' ? '/index.html' : relative}`);
  return file.startsWith(path.resolve(root) + path.sep) ? file : null;
}
