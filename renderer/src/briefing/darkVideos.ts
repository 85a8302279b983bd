// A video this point asks to flow, from a sender that is sending, of which no packet comes. The
// request that would have started it can fail without anyone seeing (its answer lost on a busy
// link, refused, timed out while the server was making 400 streams for a join) and nothing asks
// again: the stage stays dark all briefing with only the sound going. Such a video is asked for
// again, at the layers it should have, every few seconds until its packets come.

/** How long a video may flow with no packet before it is asked for again, and how often after. */
export const DARK_VIDEO_ASK_AGAIN_MS = 8000;

export interface WatchedVideo {
  consumerId: string;
  /** Shown on this point's screen, its sender not paused: packets should be coming. */
  shouldFlow: boolean;
  /** Video packets received so far (the browser's count). */
  packets: number;
}

export class DarkVideos {
  /** Per video that should flow: its packets when they last moved (or it started to flow), and when. */
  private readonly watched = new Map<string, { packets: number; since: number }>();
  /** Videos already said in the log: a link too narrow for any picture would say it every few seconds. */
  private readonly told = new Set<string>();

  /** The videos to ask for again now; each is said once in the log. */
  due(videos: Iterable<WatchedVideo>, nowMs: number): { consumerId: string; firstTime: boolean }[] {
    const due: { consumerId: string; firstTime: boolean }[] = [];
    const present = new Set<string>();
    const flowing = new Set<string>();
    for (const { consumerId, shouldFlow, packets } of videos) {
      present.add(consumerId);
      if (!shouldFlow) continue;
      flowing.add(consumerId);
      const last = this.watched.get(consumerId);
      if (!last || packets > last.packets) {
        this.watched.set(consumerId, { packets, since: nowMs });
        continue;
      }
      if (nowMs - last.since < DARK_VIDEO_ASK_AGAIN_MS) continue;
      this.watched.set(consumerId, { packets, since: nowMs });
      due.push({ consumerId, firstTime: !this.told.has(consumerId) });
      this.told.add(consumerId);
    }
    // Paused (off screen, its sender's camera off) or gone: watched afresh once it flows again.
    for (const id of this.watched.keys()) if (!flowing.has(id)) this.watched.delete(id);
    for (const id of this.told) if (!present.has(id)) this.told.delete(id);
    return due;
  }
}
