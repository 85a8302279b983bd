import dgram from 'node:dgram';
import os from 'node:os';
import { messageOf } from '../../lib/errors';

/** A mediasoup 3.12 worker's WebRtcServer listens on at most 8 sockets, and each media address
 * takes two (UDP, and TCP for networks that block UDP). */
export const MAX_MEDIA_ADDRESSES = 4;

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1';

/** Addresses meeting points may reach this machine at: every non-internal interface (IPv4 first,
 * a government LAN's usual address, then global IPv6), plus loopback last so a meeting point on
 * the same PC always connects and a remote one tries it last. */
export function reachableAddresses(): string[] {
  const addresses = Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
    .filter((a) => !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80')))
    .sort((a, b) => Number(a.family === 'IPv6') - Number(b.family === 'IPv6'))
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

/** As many of `addresses` as one media port listens on, in their order, loopback always among
 * them (last, where a remote point tries it last). */
export function withinOnePort(addresses: readonly string[]): { chosen: string[]; beyond: string[] } {
  const loopback = addresses.filter(isLoopback);
  const others = addresses.filter((ip) => !isLoopback(ip));
  const room = MAX_MEDIA_ADDRESSES - Math.min(1, loopback.length);
  return { chosen: [...others.slice(0, room), ...loopback.slice(0, 1)], beyond: [...others.slice(room), ...loopback.slice(1)] };
}

/** The addresses to serve media on when nobody named them: of those listed, the ones usable now,
 * as many as one media port listens on. A PC with a VPN, a Docker bridge and IPv6 privacy
 * addresses lists more than four; serving on the first beats refusing to start. */
export async function defaultMediaAddresses(listed: readonly string[]): Promise<{ usable: string[]; left: { ip: string; why: string }[] }> {
  const { usable, left } = await bindableAddresses(listed);
  const { chosen, beyond } = withinOnePort(usable);
  return { usable: chosen, left: [...left, ...beyond.map((ip) => ({ ip, why: `beyond the ${MAX_MEDIA_ADDRESSES} addresses one media port listens on` }))] };
}
