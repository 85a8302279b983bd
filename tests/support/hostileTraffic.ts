// What an outsider on the same network throws at the server: malformed HTTP requests, and
// WebSocket messages that look like the protocol (real method names) with wrong shapes, wrong
// types, huge and deeply nested values, and random bytes. Seeded, so a failure can be replayed.
import { methods } from '../../sfu-server/protocol';

/** mulberry32: small, fast and good enough to pick fuzz cases reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Raw HTTP requests, each sent on its own TCP connection. */
export function malformedHttpRequests(): (string | Buffer)[] {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  return [
    'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /catalog/briefings/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /catalog/%ZZ/%%% HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /catalog/documents/../../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /catalog/documents/..%2F..%2Fcatalog.sqlite3 HTTP/1.1\r\nHost: x\r\n\r\n',
    "GET /catalog/briefings/x'%20OR%201=1-- HTTP/1.1\r\nHost: x\r\n\r\n",
    'BREW /health HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET /health HTTP/9.9\r\nHost: x\r\n\r\n',
    'GET /nowhere\r\n\r\n',
    '\x00\x01\x02\x03 / HTTP/1.1\r\n\r\n',
    `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`,
    'GET /health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
    'GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n',
    'POST /catalog/briefings HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nContent-Length: 20\r\n\r\n0123456789',
    'POST /catalog/briefings HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnot chunked\r\n',
    `POST /catalog/briefings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${deep.length}\r\n\r\n${deep}`,
    'POST /catalog/briefings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"__proto__":1',
    'PUT /catalog/documents/00 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc',
    `PUT /catalog/documents/${'a'.repeat(64)} HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nX-Document-Name: %E0%A4%A\r\nContent-Length: 3\r\n\r\nabc`,
    'GET /catalog/documents/aaaa HTTP/1.1\r\nHost: x\r\nRange: bytes=99999999999999999999-\r\n\r\n',
    'GET /catalog/records?point=%00 HTTP/1.1\r\nHost: x\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\n\r\n',
    'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n\r\n',
    Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00]),
  ];
}

const methodNames = Object.keys(methods);

function randomValue(random: () => number, depth = 0): unknown {
  const pick = Math.floor(random() * (depth > 3 ? 6 : 9));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return [0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, Number.MAX_SAFE_INTEGER][Math.floor(random() * 7)];
    case 3:
      return ['', 'a', '__proto__', 'constructor', '../../etc', "'; DROP TABLE credential;--", '\u0000', 'x'.repeat(300)][Math.floor(random() * 8)];
    case 4:
      return 'Xã Tân Lập '.repeat(1 + Math.floor(random() * 5));
    case 5:
      return Math.floor(random() * 1000);
    case 6:
      return Array.from({ length: Math.floor(random() * 6) }, () => randomValue(random, depth + 1));
    default: {
      const keys = ['briefingCode', 'displayName', 'transportId', 'producerId', 'consumerId', 'dtlsParameters', 'rtpCapabilities', 'rtpParameters', 'kind', 'direction', 'index', 'seat', 'credential', 'resume', '__proto__', 'constructor'];
      const object: Record<string, unknown> = {};
      // defineProperty: a key named __proto__ is sent as a key, as JSON.parse on the server sees it.
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        Object.defineProperty(object, keys[Math.floor(random() * keys.length)], { value: randomValue(random, depth + 1), enumerable: true, configurable: true, writable: true });
      }
      return object;
    }
  }
}

/** One WebSocket message: text most of the time, sometimes binary, sometimes not JSON at all. */
export function hostileMessage(random: () => number, index: number): string | Buffer {
  const kind = random();
  if (kind < 0.05) return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
  if (kind < 0.1) return '{"id": 1, "method": "join", "data": {'.slice(0, Math.floor(random() * 38));
  if (kind < 0.12) return `${'['.repeat(5000)}${']'.repeat(5000)}`;
  if (kind < 0.13) return JSON.stringify({ id: index, method: 'join', data: { displayName: 'x'.repeat(70_000) } });
  if (kind < 0.15) return JSON.stringify({ id: index, method: 'createTransport', data: { direction: 'send', pad: Array.from({ length: 2000 }, () => ({ a: [1, 2, 3] })) } });
  const made = ['', 'constructor', '__proto__', 'toString', 'hasOwnProperty', 'JOIN', 'join ', 'x'.repeat(500)];
  const method = random() < 0.9 ? methodNames[Math.floor(random() * methodNames.length)] : made[Math.floor(random() * made.length)];
  const envelope: Record<string, unknown> = { id: random() < 0.9 ? index : randomValue(random), method, data: randomValue(random) };
  if (random() < 0.05) delete envelope.id;
  return JSON.stringify(envelope);
}
