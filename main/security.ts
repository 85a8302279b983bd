import { CONNECT_SOURCES } from './api/serverAddress';
// One Content Security Policy for the renderer, in Electron and in local host mode.
// No remote code; signaling goes to a server the operator enters, over TLS unless it is this PC's.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  `connect-src ${CONNECT_SOURCES.join(' ')}`,
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
