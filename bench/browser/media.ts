// Real VP8 for the browser benchmarks: a meeting room (or the busiest test pattern, see
// scene.ts) encoded once by ffmpeg (Debian's package) in the three simulcast layers the app sends,
// read back frame by frame from IVF files.
// The generator replays these frames, so a browser has real video to decode.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CAMERA_LAYERS } from '../../sfu-server/protocol/rules';
import { type RecordedLayers, TEMPORAL_PATTERN } from '../sfu/rtp';
import { type Scene, sceneGraph } from './scene';

/** The app's simulcast ladder: its layers of a 1280×720 camera, at their rates. */
const LAYERS = CAMERA_LAYERS.map((layer) => ({
  width: 1280 / layer.scaleResolutionDownBy,
  height: 720 / layer.scaleResolutionDownBy,
  kbps: layer.maxBitrate / 1000,
}));
/** Whole cycles of the temporal pattern, so the replay's loop keeps each frame on its layer. */
const SECONDS = 10;
const FPS = 30;

/** Chromium's VP8 encoder settings (WebRTC's libvpx_vp8_encoder.cc and simulcast adapter), so each
 * recorded layer holds its rate the way the app's camera does: constant bitrate with its buffer
 * sizes, quantizer 2–56 (45 on the lowest simulcast layer above 20 frames/s), and frames dropped
 * when the buffer runs low. ffmpeg's defaults (variable bitrate, no dropping) carried the 320×180
 * layer of the busy test pattern at 108 kbps against the ladder's 80, and every thumbnail in the
 * downlink figures with it. Speed -4 below CIF and -6 above, as WebRTC sets on a desktop. */
function webrtcRateControl(layer: (typeof LAYERS)[number], lowest: boolean): string[] {
  const rate = `${layer.kbps}k`;
  return [
    ...['-b:v', rate, '-minrate', rate, '-maxrate', rate, '-bufsize', rate, '-rc_init_occupancy', `${layer.kbps / 2}k`],
    ...['-undershoot-pct', '100', '-overshoot-pct', '15', '-qmin', '2', '-qmax', lowest ? '45' : '56'],
    ...['-drop-threshold', '30', '-max-intra-rate', '900', '-cpu-used', layer.width * layer.height < 352 * 288 ? '-4' : '-6'],
  ];
}

/** An IVF file's frames by their slot at FPS: a frame the encoder dropped leaves its slot empty. */
function readIvf(file: string, slotCount: number): (Buffer | null)[] {
  const data = fs.readFileSync(file);
  if (data.toString('latin1', 0, 4) !== 'DKIF') throw new Error(`${file} is not an IVF file`);
  // 32-byte file header (time base at 16: denominator, then numerator); then each frame: 4-byte
  // size, 8-byte timestamp in that time base, the frame.
  if (data.readUInt32LE(16) !== FPS || data.readUInt32LE(20) !== 1) throw new Error(`${file} is not in 1/${FPS} s time base`);
  const slots: (Buffer | null)[] = [];
  for (let offset = data.readUInt16LE(6); offset + 12 <= data.length; ) {
    const size = data.readUInt32LE(offset);
    const slot = Number(data.readBigUInt64LE(offset + 4));
    // A frame out of order or past the loop's end would replay on the wrong temporal layer.
    if (slot < slots.length || slot >= slotCount) throw new Error(`${file}: frame at slot ${slot} out of order or past ${slotCount}`);
    while (slots.length < slot) slots.push(null);
    slots.push(data.subarray(offset + 12, offset + 12 + size));
    offset += 12 + size;
  }
  while (slots.length < slotCount) slots.push(null);
  return slots;
}

export function recordedLayers(scene: Scene = 'meeting-room'): RecordedLayers {
  const dir = path.join(os.tmpdir(), 'giao-ban-bench-vp8');
  fs.mkdirSync(dir, { recursive: true });
  return LAYERS.map((layer, index) => {
    const size = `${layer.width}x${layer.height}`;
    // No frames held back, and no key frame but the first: WebRTC's VP8 encoder makes one only
    // when asked (the generator answers a request by replaying from frame 0) or every 3,000
    // frames. A key frame every second, as recorded before, added a third to each thumbnail's
    // bytes and made the downlink figures say more than a real sender costs.
    // Three temporal layers in Chromium's pattern and shares of the bitrate (40, 60, 100 %), key
    // frames on the base layer; error resilience keeps the layers above from changing the
    // decoder's probabilities, so the base layer alone decodes to the same pictures, as WebRTC's
    // encoder arranges. ffmpeg steps through the pattern once per input frame, a dropped one too,
    // so a frame's 30 fps slot gives its temporal layer.
    const temporal = [
      'ts_number_layers=3',
      `ts_target_bitrate=${Math.round(layer.kbps * 0.4)},${Math.round(layer.kbps * 0.6)},${layer.kbps}`,
      'ts_rate_decimator=4,2,1',
      `ts_periodicity=${TEMPORAL_PATTERN.length}`,
      `ts_layer_id=${TEMPORAL_PATTERN.join(',')}`,
      'ts_layering_mode=3',
    ].join(':');
    const encoding = [
      ...['-f', 'lavfi', '-i', sceneGraph(scene, layer.width, layer.height), '-t', String(SECONDS)],
      ...['-c:v', 'libvpx', '-deadline', 'realtime', ...webrtcRateControl(layer, index === 0), '-g', '3000', '-auto-alt-ref', '0', '-lag-in-frames', '0'],
      ...['-error-resilient', 'default', '-ts-parameters', temporal],
    ];
    // Named by its settings: a recording kept from a run with other settings is never replayed.
    const settings = createHash('sha256').update(encoding.join(' ')).digest('hex').slice(0, 12);
    const file = path.join(dir, `${size}-${layer.kbps}k-${settings}.ivf`);
    if (!fs.existsSync(file)) {
      try {
        execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...encoding, `${file}.part.ivf`]);
      } catch (error) {
        throw new Error(`ffmpeg could not encode the test video (apt-get install ffmpeg): ${(error as Error).message}`, { cause: error });
      }
      fs.renameSync(`${file}.part.ivf`, file);
    }
    return readIvf(file, SECONDS * FPS);
  });
}
