// Which of the camera's simulcast layers a page's browser is encoding, read from its own sender:
// what "send only what someone receives" (the server's Dynacast) has left switched on.
import type { Page } from '@playwright/test';

/** Added to a page before its scripts run: keeps every peer connection the page makes. */
export const KEEP_PEER_CONNECTIONS = `
  window.__pcs = [];
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native { constructor(...a) { super(...a); window.__pcs.push(this); } };
`;

/** Whether each camera layer is being encoded, lowest first (empty while no camera is sent). */
export async function encodedLayers(page: Page): Promise<boolean[]> {
  return page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const camera = pcs.flatMap((pc) => pc.getSenders()).find((s) => s.track?.kind === 'video');
    return camera ? camera.getParameters().encodings.map((e) => e.active !== false) : [];
  });
}
