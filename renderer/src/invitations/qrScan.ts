// Reading an invitation's QR code off the camera the pre-join screen already shows: the operator
// holds the printed invitation up, instead of typing three codes and a fingerprint.
import jsQR from 'jsqr';
import { type Invitation, readInvitation } from '../../../main/api/invitation';
import { readEnrolmentLink } from '../../../main/api/enrolmentLink';

export type ScanResult = { found: 'invitation'; invitation: Invitation; text: string } | { found: 'enrolment'; text: string } | { found: 'other'; text: string } | null;

/** One frame, as RGBA pixels: an invitation, another QR code, or nothing readable. */
export function scanFrame(rgba: Uint8ClampedArray, width: number, height: number): ScanResult {
  const code = jsQR(rgba, width, height, { inversionAttempts: 'dontInvert' });
  if (!code) return null;
  const invitation = readInvitation(code.data);
  if (invitation) return { found: 'invitation', invitation, text: code.data };
  return readEnrolmentLink(code.data) ? { found: 'enrolment', text: code.data } : { found: 'other', text: code.data };
}

/** Large enough for a QR code held at arm's length, small enough for an old PC every 300 ms. */
const MAX_SIDE = 800;

/** Scans the video until an invitation or an enrolment link is read, the time is up or the caller aborts. A QR code
 * that is not an invitation is reported once and scanning goes on. */
export async function scanVideo(
  video: HTMLVideoElement,
  options: { signal: AbortSignal; timeoutMs: number; onOther: (text: string) => void },
): Promise<{ invitation: Invitation | null; text: string } | null> {
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return null;
  const deadline = Date.now() + options.timeoutMs;
  let reported = '';
  while (!options.signal.aborted && Date.now() < deadline) {
    if (video.videoWidth > 0) {
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const result = scanFrame(context.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height);
      if (result?.found === 'invitation') return { invitation: result.invitation, text: result.text };
      if (result?.found === 'enrolment') return { invitation: null, text: result.text };
      if (result?.found === 'other' && result.text !== reported) {
        reported = result.text;
        options.onOther(result.text);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  return null;
}
