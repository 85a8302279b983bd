// The renderer's only door to the desktop services. In Electron the preload provides
// `window.giaoBan`; in local host mode the same API is called over loopback HTTP with the
// session token the host put in the page address.
import { API_METHODS, ApiError, type ApiMethod, type DesktopApi, decodeApiError } from '../../main/api/contract';

declare global {
  interface Window {
    giaoBan?: DesktopApi;
  }
}

const TOKEN_KEY = 'giao-ban-token';

function sessionToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    // Keep the token out of the visible address and of anything the user copies.
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

function httpApi(): DesktopApi {
  const token = sessionToken();
  const call = async (method: ApiMethod, input?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      const payload = JSON.stringify({ input });
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: payload,
        // A small call (a profile saved as the page closes) outlives the page; a document's bytes
        // are over keepalive's 64 KiB (20,000 characters are at most 60 KB of UTF-8) and need no such thing.
        keepalive: payload.length < 20_000,
      });
    } catch (error) {
      throw new ApiError('unreachable', (error as Error).message);
    }
    const body = (await response.json().catch(() => ({}))) as {
      result?: unknown;
      error?: { code: string; message: string; reason?: string | null };
    };
    if (!response.ok || body.error) {
      const { code = 'store_failed', message = response.statusText, reason } = body.error ?? {};
      throw decodeApiError(new Error(`[${code}${reason ? `:${reason}` : ''}] ${message}`));
    }
    return body.result;
  };
  return Object.fromEntries(API_METHODS.map((m) => [m, (input?: unknown) => call(m, input)])) as DesktopApi;
}

function electronApi(api: DesktopApi): DesktopApi {
  return Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      (input?: unknown) => (api[m] as (i?: unknown) => Promise<unknown>)(input).catch((e: unknown) => Promise.reject(decodeApiError(e))),
    ]),
  ) as DesktopApi;
}

export const desktop: DesktopApi = window.giaoBan ? electronApi(window.giaoBan) : httpApi();
