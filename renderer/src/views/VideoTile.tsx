import { ownName } from '../../../main/api/hostLevel';
import { useEffect, useRef } from 'react';

interface Props {
  track: MediaStreamTrack | null;
  label: string;
  className: string;
  muted?: boolean;
  mirrored?: boolean;
  badges?: string[];
  testId?: string;
  data?: Record<string, string | number>;
  /** The point's link as the server measures it: a coloured dot and its figures. */
  quality?: { level: string; text: string };
}

export function VideoTile({ track, label, className, mirrored, badges = [], testId, data = {}, quality }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (!video.current) return;
    video.current.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);
  const dataAttributes = Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k}`, String(v)]));
  return (
    <figure className={`tile ${className}`} data-testid={testId} {...dataAttributes}>
      {track ? (
        <video ref={video} autoPlay playsInline muted className={mirrored ? 'mirrored' : undefined} />
      ) : (
        <div className="tile-placeholder" aria-hidden="true">
          {ownName(label).slice(0, 1).toUpperCase()}
        </div>
      )}
      <figcaption>
        {quality && <span className={`link-dot link-${quality.level}`} title={quality.text} data-link={quality.level} aria-label={quality.text} />}
        <span className="tile-name">{label}</span>
        {badges.map((b) => (
          <span key={b} className="badge">
            {b}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** Plays a remote meeting point's sound; separate from the video so thumbnails stay silent-safe. */
export function RemoteAudio({ track }: { track: MediaStreamTrack | null }) {
  const audio = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    if (audio.current) audio.current.srcObject = track ? new MediaStream([track]) : null;
  }, [track]);
  return <audio ref={audio} autoPlay />;
}
