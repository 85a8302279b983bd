// The Electron shell's decisions, tried with the URLs a compromised page or a hostile link would
// use (Electron itself cannot start on the build machine; the shell only applies these).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, appFileFor, externalLinkAllowed, isAppPage, navigationAllowed, permissionAllowed, windowWebPreferences } from '../../main/electron/shellPolicy';

describe('the app page is an exact origin', () => {
  it('accepts its own pages and nothing that merely looks like them', () => {
    expect(isAppPage(APP_ENTRY)).toBe(true);
    expect(isAppPage('app://giao-ban/assets/index.js')).toBe(true);
    for (const url of [
      'file:///tmp/evil/renderer/index.html',
      'file:///C:/Users/x/Downloads/renderer/index.html',
      'app://giao-ban.evil/index.html',
      'app://evil/index.html',
      'app://user:pw@giao-ban/index.html',
      'https://giao-ban/index.html',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect({ url, ok: isAppPage(url) }).toEqual({ url, ok: false });
    }
  });

  it('in development, exactly the dev server', () => {
    const dev = 'http://localhost:5173';
    expect(isAppPage('http://localhost:5173/', dev)).toBe(true);
    for (const url of ['http://localhost:5173.evil.tld/', 'http://localhost:51730/', 'https://localhost:5173/', 'http://127.0.0.1:5173/', 'http://evil@localhost:5173/']) {
      expect({ url, ok: isAppPage(url, dev) }).toEqual({ url, ok: false });
    }
  });

  it('navigation and redirects stay inside; links go out only to the web', () => {
    expect(navigationAllowed('https://phishing.example/login')).toBe(false);
    expect(navigationAllowed(APP_ENTRY)).toBe(true);
    expect(externalLinkAllowed('https://chinhphu.vn')).toBe(true);
    for (const url of ['file:///etc/passwd', 'smb://10.0.0.1/share', 'javascript:alert(1)', 'ms-msdt:/id', '']) expect(externalLinkAllowed(url)).toBe(false);
  });

  it('grants the camera and microphone to the app page only, and nothing else to anyone', () => {
    expect(permissionAllowed('media', APP_ENTRY)).toBe(true);
    expect(permissionAllowed('media', 'https://evil.example/')).toBe(false);
    // Reminders of assignments due are system notifications, from the app's page only.
    expect(permissionAllowed('notifications', APP_ENTRY)).toBe(true);
    expect(permissionAllowed('notifications', 'https://evil.example/')).toBe(false);
    for (const permission of ['geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial']) expect(permissionAllowed(permission, APP_ENTRY)).toBe(false);
  });

  it('makes an isolated, sandboxed window with no Node', () => {
    expect(windowWebPreferences('/p.cjs')).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false });
  });
});

describe('the app:// scheme serves only the app’s files', () => {
  const root = path.resolve('/opt/giao-ban/out/renderer');
  it('maps a request to a file under the renderer folder', () => {
    expect(appFileFor(root, 'app://giao-ban/')).toBe(path.join(root, 'index.html'));
    expect(appFileFor(root, 'app://giao-ban/assets/app.js')).toBe(path.join(root, 'assets', 'app.js'));
  });
  it('never names a file outside it, however the path is spelled', () => {
    // A literal or dotted "../" is folded by URL parsing itself and stays inside the folder.
    for (const url of ['app://giao-ban/../../etc/passwd', 'app://giao-ban/%2e%2e/%2e%2e/etc/passwd']) {
      expect(appFileFor(root, url)?.startsWith(root + path.sep)).toBe(true);
    }
    // Escaped slashes survive parsing and would climb out; a NUL, a bad escape, another host: refused.
    for (const url of [
      'app://giao-ban/..%2f..%2fetc%2fpasswd',
      'app://giao-ban/assets/..%2f..%2f..%2fetc%2fshadow',
      'app://giao-ban/assets/%00.js',
      'app://giao-ban/%E0%A4%A',
      'app://other/index.html',
    ]) {
      expect({ url, file: appFileFor(root, url) }).toEqual({ url, file: null });
    }
  });
});
