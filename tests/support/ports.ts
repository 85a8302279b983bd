// A port nobody listens on now: for a server that is down, or one a test is about to start.
import net from 'node:net';

/** A loopback port nothing listens on: a server that is down. */
export async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
