// Electron's main process: a thin shell. Everything it calls runs in plain Node too
// (see main/host for the browser-tab variant), so it stays small and untested by design.
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, shell } from 'electron';
import { API_METHODS, ApiError, apiChannel, encodeApiError } from '../api/contract';
import { CONTENT_SECURITY_POLICY } from '../security';
import { DesktopServices } from '../services/DesktopServices';
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
const rendererFile = path.join(here, '../renderer/index.html');

function isOurPage(url: string): boolean {
  return rendererUrl ? url.startsWith(rendererUrl) : url.startsWith('file://') && url.includes('/renderer/index.html');
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Giao Ban',
    backgroundColor: '#0f1b2d',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  if (rendererUrl) void window.loadURL(rendererUrl);
  else void window.loadFile(rendererFile);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  // No navigation away from the app and no new windows: links open in the system browser.
  contents.on('will-navigate', (event, url) => {
    if (!isOurPage(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(async () => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Camera and microphone are what the app is for; nothing else is granted.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'media'));

  let services: DesktopServices;
  try {
    services = await DesktopServices.open({
      dataDir: app.getPath('userData'),
      openWithSystem: (file) => void shell.openPath(file),
      // Exports go where the user says in the system's save dialog, never where the page says.
      chooseExportFile: async (name) => {
        const window = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
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
  if (services.recovery) {
    const notice = recoveryNotice(services.recovery);
    void dialog.showMessageBox({ type: notice.type, title: notice.title, message: notice.message, detail: notice.detail, buttons: ['Đã hiểu'] });
  }
  for (const method of API_METHODS) {
    ipcMain.handle(apiChannel(method), async (event, input: unknown) => {
      if (!event.senderFrame || !isOurPage(event.senderFrame.url)) throw new Error(encodeApiError(new ApiError('unauthorized', 'not the app page')));
      try {
        return await services.call(method, input);
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('store_failed', String(error));
        throw new Error(encodeApiError(apiError));
      }
    });
  }
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('before-quit', () => void services.close());
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
