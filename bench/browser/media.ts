// Real VP8 for the browser benchmarks: a moving test pattern encoded once by ffmpeg (Debian's
// package) in the three simulcast layers the app sends, read back frame by frame from IVF files.
// The generator replays these frames, so a browser has real video to decode.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CAMERA_LAYERS } from '../../sfu-server/protocol/rules';
import { type RecordedLayers, TEMPORAL_PATTERN } from '../sfu/rtp';

/** The app's simulcast ladder: its layers of a 1280×720 camera, at their rates. */
const LAYERS = CAMERA_LAYERS.map((layer) => ({
  size: `${1280 / layer.scaleResolutionDownBy}x${720 / layer.scaleResolutionDownBy}`,
  bitrate: `${layer.maxBitrate / 1000}k`,
}));
const SECONDS = 10;

function readIvf(file: string): Buffer[] {
  const data = fs.readFileSync(file);
  if (data.toString('latin1', 0, 4) !== 'DKIF') throw new Error(`${file} is not an IVF file`);
  const frames: Buffer[] = [];
  // 32-byte file header; then each frame: 4-byte size, 8-byte timestamp, the frame.
  for (let offset = data.readUInt16LE(6); offset + 12 <= data.length; ) {
    const size = data.readUInt32LE(offset);
    frames.push(data.subarray(offset + 12, offset + 12 + size));
    offset += 12 + size;
  }
  return frames;
}

export function recordedLayers(): RecordedLayers {
  const dir = path.join(os.tmpdir(), 'giao-ban-bench-vp8');
  fs.mkdirSync(dir, { recursive: true });
  return LAYERS.map(({ size, bitrate }) => {
    const file = path.join(dir, `${size}-${bitrate}-${SECONDS}s-l1t3-key-on-request.ivf`);
    if (!fs.existsSync(file)) {
      try {
        // No frames held back, and no key frame but the first: WebRTC's VP8 encoder makes one
        // only when asked (the generator answers a request by replaying from frame 0) or every
        // 3,000 frames. A key frame every second, as recorded before, added a third to each
        // thumbnail's bytes and made the downlink figures say more than a real sender costs.
        // Three temporal layers in Chromium's pattern and shares of the bitrate (40, 60, 100 %),
        // key frames on the base layer; error resilience keeps the layers above from changing
        // the decoder's probabilities, so the base layer alone decodes to the same pictures, as
        // WebRTC's encoder arranges.
        const kbps = parseInt(bitrate, 10);
        const temporal = [
          'ts_number_layers=3',
          `ts_target_bitrate=${Math.round(kbps * 0.4)},${Math.round(kbps * 0.6)},${kbps}`,
          'ts_rate_decimator=4,2,1',
          `ts_periodicity=${TEMPORAL_PATTERN.length}`,
          `ts_layer_id=${TEMPORAL_PATTERN.join(',')}`,
          'ts_layering_mode=3',
        ].join(':');
        execFileSync('ffmpeg', [
          ...['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=30`, '-t', String(SECONDS)],
          ...['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', bitrate, '-g', '3000', '-auto-alt-ref', '0', '-lag-in-frames', '0'],
          ...['-error-resilient', 'default', '-ts-parameters', temporal],
          `${file}.part.ivf`,
        ]);
      } catch (error) {
        throw new Error(`ffmpeg could not encode the test video (apt-get install ffmpeg): ${(error as Error).message}`, { cause: error });
      }
      fs.renameSync(`${file}.part.ivf`, file);
    }
    const frames = readIvf(file);
    // The replay loops: whole cycles of the temporal pattern keep each frame on its layer.
    return frames.slice(0, frames.length - (frames.length % TEMPORAL_PATTERN.length));
  });
}
