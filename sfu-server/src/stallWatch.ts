// A server whose event loop is held up answers nobody meanwhile: pings go unanswered, and the
// meeting points take their link for dead after 7 s and reconnect. A line in the log tells the
// IT officer (and a failed test's reader) that the server went quiet, not the network.

const TICK_MS = 500;

/** Logs each time the event loop was held up for more than `limitMs`; returns the stop. */
export function watchStalls(limitMs = 2000, log: (line: string) => void = (line) => console.warn(line)): () => void {
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - TICK_MS;
    last = now;
    if (late > limitMs) log(`[sfu] the server was held up for ${(late / 1000).toFixed(1)} s and answered no meeting point meanwhile`);
  }, TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
