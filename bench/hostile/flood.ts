// A lobby flood as its own process (an attacker's PC): N connections from one local address,
// each sending join attempts without a code as fast as the server takes them, reconnecting when
// cut. Runs until killed. Usage: tsx bench/hostile/flood.ts <ws url> <briefing code> <from address> <connections>
import WebSocket from 'ws';

const [url, code, from, count] = process.argv.slice(2);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function pump(n: number): Promise<void> {
  for (let i = 0; ; i++) {
    const ws = new WebSocket(url, { localAddress: from });
    ws.on('error', () => undefined);
    await new Promise((resolve) => ws.once('open', resolve).once('error', resolve).once('close', resolve));
    while (ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({ id: i++, method: 'join', data: { briefingCode: code, displayName: `Xã Giả ${n}-${i}`, rtpCapabilities: {} } }));
      await pause(2);
    }
    await pause(20);
  }
}

for (let n = 0; n < Number(count); n++) void pump(n);
