// The pictures the benchmarks' senders replay, as ffmpeg filter graphs (lavfi) of a 1280×720
// camera at 30 frames/s, scaled to each simulcast layer as a browser scales its camera.
//
// A meeting point's camera shows a room: a fixed camera on a wall with a banner, officials seated
// behind a table, the one speaking moving his head and hands, the others shifting a little, and
// the sensor's noise over all of it: little of the frame changes from one to the next, the picture
// video-conferencing encoders are made for. `testsrc2`, the benchmarks' picture until 5 Dec 2026, moves
// every pixel of every frame (a scrolling gradient, moving text and shapes); its 320×180 layer kept
// about 5 frames a second within 80 kbps where the room keeps all 30. It stays as the busiest
// picture, for the figures that say what the app does with it (bench/weakLink.ts).
export type Scene = 'meeting-room' | 'test-pattern';

/** One official behind the table: where (share of the width), jacket or shirt, and how he moves
 * (sway as a share of the width, over `periodS`). The fourth is the one speaking. */
const OFFICIALS = [
  { x: 0.12, wear: '1f2d4a', sway: 0.003, periodS: 5.3 },
  { x: 0.25, wear: 'e9e9e4', sway: 0.004, periodS: 4.1 },
  { x: 0.38, wear: '2a2a2a', sway: 0.003, periodS: 6.7 },
  { x: 0.5, wear: '1f2d4a', sway: 0.012, periodS: 2.9 },
  { x: 0.62, wear: 'efefe8', sway: 0.004, periodS: 5.9 },
  { x: 0.75, wear: '3b4a2c', sway: 0.003, periodS: 4.7 },
  { x: 0.88, wear: 'e6e6e0', sway: 0.005, periodS: 3.7 },
];

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

const box = (x: string, y: string, w: number, h: number, color: string) => `drawbox=x=iw*(${x}):y=ih*(${y}):w=iw*${w}:h=ih*${h}:color=0x${color}:t=fill`;

function meetingRoom(): string[] {
  const filters = [
    // The wall, with the plaster's grain (noise fixed in place), the banner and two flags.
    'color=c=0xa39478:s=1280x720:r=30',
    'noise=alls=18:allf=u',
    box('0.1', '0.03', 0.8, 0.13, 'b5161b'),
    `drawtext=fontfile=${FONT}:text='HỘI NGHỊ GIAO BAN TRỰC TUYẾN':fontcolor=0xf5d142:fontsize=h*0.06:x=(w-text_w)/2:y=h*0.06`,
    box('0.02', '0.2', 0.07, 0.35, '7a1414'),
    box('0.91', '0.2', 0.07, 0.35, '7a1414'),
  ];
  OFFICIALS.forEach(({ x, wear, sway, periodS }, i) => {
    const swaying = `${sway}*sin(2*PI*t/${periodS}+${i})`;
    const nodding = `${sway * 0.6}*sin(2*PI*t/${(periodS * 0.7).toFixed(2)}+${i})`;
    filters.push(
      box(`${x}-0.045+0.5*${swaying}`, '0.47', 0.09, 0.25, wear),
      box(`${x}-0.022+${swaying}`, `0.33+${nodding}`, 0.044, 0.13, 'd6a27a'),
      box(`${x}-0.024+${swaying}`, `0.315+${nodding}`, 0.048, 0.035, '1c1a18'),
    );
  });
  // The table, its papers, and the hands on it (the speaker's move as he talks).
  filters.push(box('0', '0.7', 1, 0.3, '6b4526'));
  OFFICIALS.forEach(({ x, sway, periodS }, i) => {
    filters.push(box(`${x}-0.03`, '0.74', 0.06, 0.08, 'f4f4f0'), box(`${x}-0.04+${2 * sway}*sin(2*PI*t/${(periodS * 0.45).toFixed(2)}+${i})`, '0.7', 0.025, 0.03, 'd6a27a'));
  });
  // The sensor's noise, new in every frame.
  filters.push('noise=alls=4:allf=t+u');
  return filters;
}

/** The filter graph of `scene` at `width`×`height`, for ffmpeg's `-f lavfi -i`. */
export function sceneGraph(scene: Scene, width: number, height: number): string {
  if (scene === 'test-pattern') return `testsrc2=size=${width}x${height}:rate=30`;
  return [...meetingRoom(), `scale=${width}:${height}`].join(',');
}
