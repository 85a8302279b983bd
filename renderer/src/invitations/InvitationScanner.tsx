// "Scan the invitation's QR code" on the pre-join screen, from the camera already previewed there.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invitation } from '../../../main/api/invitation';
import { scanVideo } from './qrScan';

const SCAN_TIMEOUT_MS = 60_000;

type Status = 'scanning' | 'other' | 'timeout' | 'noCamera' | null;

export function InvitationScanner({ stream, onInvitation }: { stream: MediaStream | null; onInvitation: (invitation: Invitation | null, text: string) => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Status>(null);
  const running = useRef<AbortController | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  async function scan() {
    const track = stream?.getVideoTracks()[0];
    if (!track || track.readyState !== 'live') return setStatus('noCamera');
    const controller = new AbortController();
    running.current = controller;
    setStatus('scanning');
    // The raw camera picture: the preview beside it is mirrored, and a mirrored QR code reads as nothing.
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    try {
      await video.play();
      const found = await scanVideo(video, { signal: controller.signal, timeoutMs: SCAN_TIMEOUT_MS, onOther: () => setStatus('other') });
      if (controller.signal.aborted) return;
      if (!found) return setStatus('timeout');
      setStatus(null);
      onInvitation(found.invitation, found.text);
    } catch {
      if (!controller.signal.aborted) setStatus('noCamera');
    } finally {
      video.srcObject = null;
      if (running.current === controller) running.current = null;
    }
  }

  function stop() {
    running.current?.abort();
    setStatus(null);
  }

  const scanning = status === 'scanning' || status === 'other';
  // Until the camera has started there is nothing to scan: the button waits for it.
  const cameraReady = stream?.getVideoTracks()[0]?.readyState === 'live';
  return (
    <div className="qr-scan">
      <button type="button" disabled={!scanning && !cameraReady} onClick={() => (scanning ? stop() : void scan())}>
        {scanning ? t('prejoin.scanStop') : t('prejoin.scanQr')}
      </button>
      {status && (
        <small role="status" className={status === 'scanning' ? 'notice' : 'error'}>
          {t(`prejoin.${status === 'scanning' ? 'scanning' : status === 'other' ? 'scanOther' : status === 'timeout' ? 'scanTimeout' : 'scanNoCamera'}`)}
        </small>
      )}
    </div>
  );
}
