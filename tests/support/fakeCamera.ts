// A picture in front of Chromium's fake camera: a Y4M file Chromium plays in a loop in place of
// its test pattern (`--use-file-for-fake-video-capture`).
import fs from 'node:fs';
import { PNG } from 'pngjs';

/** The PNG (a screenshot of what a user printed) grey-scaled and centred on white at 640×480,
 * scaled up by a whole factor so every module stays a square of pixels. */
export function y4mOfPicture(png: Buffer, file: string, frames = 30): void {
  const picture = PNG.sync.read(png);
  const width = 640;
  const height = 480;
  const scale = Math.max(1, Math.floor(Math.min((width - 40) / picture.width, (height - 40) / picture.height)));
  const luma = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - picture.width * scale) / 2);
  const top = Math.floor((height - picture.height * scale) / 2);
  for (let y = 0; y < picture.height * scale; y++) {
    for (let x = 0; x < picture.width * scale; x++) {
      const at = (Math.floor(y / scale) * picture.width + Math.floor(x / scale)) * 4;
      const grey = 0.299 * picture.data[at] + 0.587 * picture.data[at + 1] + 0.114 * picture.data[at + 2];
      // Studio range, as a camera delivers it.
      luma[(top + y) * width + left + x] = Math.round(16 + (grey * 219) / 255);
    }
  }
  const chroma = Buffer.alloc((width * height) / 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  fs.writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`), ...Array<Buffer>(frames).fill(frame)]));
}
