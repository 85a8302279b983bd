// Which briefing-server addresses the app will use. A server on another machine is reached only
// over TLS (wss:// and https://): on a shared government network someone may be listening, and
// invite codes, organizer keys and records travel on this link. Plain ws:// is for this PC's own
// server (loopback) only. The page, the desktop services and the Electron CSP all ask this.

export type ServerAddressProblem = 'bad_address' | 'plain_remote';

/** Loopback names and addresses: what never leaves this PC. Not [::1]: a CSP cannot name an
 * IPv6 literal, so the page could not open it anyway (this PC's server is 127.0.0.1). */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Why the app will not use this address, or null when it will. */
export function serverAddressProblem(text: string): ServerAddressProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'bad_address';
  }
  if ((url.protocol !== 'ws:' && url.protocol !== 'wss:') || !url.hostname) return 'bad_address';
  if (url.protocol === 'ws:' && !isLoopback(url.hostname)) return 'plain_remote';
  return null;
}

/** The CSP's connect-src: this page, any server over TLS, and plain WebSocket to loopback only. */
export const CONNECT_SOURCES = ["'self'", 'wss:', 'ws://127.0.0.1:*', 'ws://localhost:*'];
