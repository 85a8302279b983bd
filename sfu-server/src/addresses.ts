import dgram from 'node:dgram';
import { messageOf } from '../../lib/errors';
import os from 'node:os';

/** Addresses meeting points may reach this machine at: every non-internal interface (IPv4 and
 * global IPv6), plus loopback so a meeting point on the same PC always connects. */
export function reachableAddresses(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
    .filter((a) => !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')))
    .map((a) => a.address);
  return [...new Set([...addresses, '127.0.0.1'])];
}

/** Of listed addresses, those media can be received on now. An interface may list an address
 * it cannot yet (or no longer) use: an IPv6 address still checked for duplicates or found taken
 * by another machine, a VPN or Wi-Fi address going away. Host mode serves on the others rather
 * than not at all; `left` says which were left out and why, for the log. */
export async function bindableAddresses(addresses: readonly string[]): Promise<{ usable: string[]; left: { ip: string; why: string }[] }> {
  const tried = await Promise.all(
    addresses.map(
      (ip) =>
        new Promise<{ ip: string; why: string | null }>((resolve) => {
          const socket = dgram.createSocket(ip.includes(':') ? 'udp6' : 'udp4');
          socket.once('error', (error) => {
            socket.close();
            resolve({ ip, why: messageOf(error) });
          });
          socket.bind(0, ip, () => socket.close(() => resolve({ ip, why: null })));
        }),
    ),
  );
  return {
    usable: tried.filter((t) => t.why === null).map((t) => t.ip),
    left: tried.flatMap((t) => (t.why === null ? [] : [{ ip: t.ip, why: t.why }])),
  };
}
