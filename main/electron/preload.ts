// Exposes the desktop API to the sandboxed renderer as plain domain functions; the renderer
// never sees ipcRenderer.
import { contextBridge, ipcRenderer } from 'electron';
import { API_METHODS, apiChannel } from '../api/methods';

const api = Object.fromEntries(
  API_METHODS.map((method) => [method, (input?: unknown) => ipcRenderer.invoke(apiChannel(method), input)]),
);

contextBridge.exposeInMainWorld('giaoBan', api);
