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
