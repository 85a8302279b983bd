// Electron's main process: a thin shell. Everything it calls runs in plain Node too
// (see main/host for the browser-tab variant), so it stays small and untested by design.
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell } from 'electron';
import { API_METHODS, ApiError, apiChannel, encodeApiError } from '../api/contract';
import { CONTENT_SECURITY_POLICY } from '../security';
import { DesktopServices } from '../services/DesktopServices';
import { pinnedChainAccepts } from '../services/trust/pinning';
import { APP_ENTRY, APP_SCHEME, INVITATION_SCHEME, appFileFor, externalLinkAllowed, isAppPage, navigationAllowed, permissionAllowed, windowWebPreferences } from './shellPolicy';
import { recoveryNotice, startFailureNotice } from './startupNotice';

// The district's server may use its own CA, installed in the operating system by the operator.
// Chromium (the window) trusts the system's store already; the services' fetch (Node) is told to
// as well, where Electron's Node can (22.19 and later).
const nodeTls = tls as typeof tls & { getCACertificates?: (which: string) => string[]; setDefaultCACertificates?: (certs: string[]) => void };
if (nodeTls.getCACertificates && nodeTls.setDefaultCACertificates) {
  nodeTls.setDefaultCACertificates([...nodeTls.getCACertificates('default'), ...nodeTls.getCACertificates('system')]);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL; // set by electron-vite in development
const rendererRoot = path.join(here, '../renderer');

const isOurPage = (url: string) => isAppPage(url, rendererUrl);

// Chromium draws date and time pickers in its UI language, not the page's: Vietnamese, so a
// date reads dd/mm/yyyy on a PC installed in English.
app.commandLine.appendSwitch('lang', 'vi');

// The renderer is served from app://giao-ban (a standard, secure scheme): the CSP applies and the
// origin is exact, where file:// would make every local file the app's origin.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

// giaoban://join… links open this app. One app per PC: a link clicked while it runs starts a
// second one that hands its command line to the first (second-instance) and quits.
if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(INVITATION_SCHEME, process.execPath, [path.resolve(process.argv[1])]);
else app.setAsDefaultProtocolClient(INVITATION_SCHEME);
const primaryInstance = app.requestSingleInstanceLock();
if (!primaryInstance) app.quit();
let services: DesktopServices | null = null;
/** Links that arrived before the services were open. */
const earlyLinks: string[] = [];
function openedWith(args: readonly string[]): void {
  if (!services) return void earlyLinks.push(...args);
  if (!services.openedWith(args)) return;
  // The page takes the invitation when its window gets the focus.
  const window = BrowserWindow.getAllWindows().at(0);
  if (window?.isMinimized()) window.restore();
  window?.focus();
}
app.on('second-instance', (_event, argv) => openedWith(argv));
app.on('open-url', (event, url) => {
  event.preventDefault();
  openedWith([url]);
});

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Giao Ban',
    backgroundColor: '#0f1b2d',
    webPreferences: windowWebPreferences(path.join(here, '../preload/index.cjs')),
  });
  void window.loadURL(rendererUrl ?? APP_ENTRY);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  // No navigation away from the app and no new windows: links open in the system browser.
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  // A second start only handed its link to the first (second-instance) and is quitting.
  if (!primaryInstance) return;
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, (request) => {
    const file = appFileFor(rendererRoot, request.url);
    return file ? net.fetch(pathToFileURL(file).toString()) : new Response('not found', { status: 404 });
  });
  // Camera and microphone are what the app is for, for the app's own page; nothing else is granted.
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) => callback(permissionAllowed(permission, contents.getURL(), rendererUrl)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin) => permissionAllowed(permission, origin, rendererUrl));

  let opened: DesktopServices;
  try {
    opened = await DesktopServices.open({
      dataDir: app.getPath('userData'),
      openWithSystem: (file) => void shell.openPath(file),
      // Exports go where the user says in the system's save dialog, never where the page says.
      chooseExportFile: async (name) => {
        const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows().at(0);
        const options = { title: 'Lưu biên bản', defaultPath: path.join(app.getPath('documents'), name) };
        const answer = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
        return answer.canceled || !answer.filePath ? null : answer.filePath;
      },
    });
  } catch (error) {
    const notice = startFailureNotice(error, app.getPath('userData'));
    await dialog.showMessageBox({ type: notice.type, title: notice.title, message: notice.message, detail: notice.detail, buttons: ['Đóng'] });
    app.quit();
    return;
  }
  services = opened;
  services.openedWith([...process.argv, ...earlyLinks]);
  // A server pinned from its invitation: its certificate is accepted when the pinned CA issued it
  // for that host, though the operating system does not hold that CA (no root to install).
  // -3 leaves every other certificate to Chromium's own verdict.
  session.defaultSession.setCertificateVerifyProc((request, callback) => {
    const pinnedCaPem = opened.serverTrust.pinnedFor(request.hostname);
    if (request.errorCode === 0 || !pinnedCaPem) return callback(-3);
    callback(pinnedChainAccepts({ leafPem: request.certificate.data, hostname: request.hostname, pinnedCaPem, now: new Date() }) ? 0 : -3);
  });
  if (opened.recovery) {
    const notice = recoveryNotice(opened.recovery);
    void dialog.showMessageBox({ type: notice.type, title: notice.title, message: notice.message, detail: notice.detail, buttons: ['Đã hiểu'] });
  }
  for (const method of API_METHODS) {
    ipcMain.handle(apiChannel(method), async (event, input: unknown) => {
      if (!event.senderFrame || !isOurPage(event.senderFrame.url)) throw new Error(encodeApiError(new ApiError('unauthorized', 'not the app page')));
      try {
        return await opened.call(method, input);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('store_failed', String(error));
        // Electron passes only the message across to the page: the code and reason ride in it.
        throw new Error(encodeApiError(apiError), { cause: error });
      }
    });
  }
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => void opened.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
