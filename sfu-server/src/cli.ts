// Standalone SFU: `npm run sfu -- --port 7080 --media-ip 0.0.0.0@203.0.113.5 --media-ip :: --media-port 40000`
// or a console command: `npm run sfu -- organizer add "UBND tỉnh …"` (see console.ts).
import { z } from 'zod';
import { CONSOLE_COMMANDS, runConsoleCommand } from './console';
import { defaultMediaAddresses, reachableAddresses } from './addresses';
import { type SfuConfig, readCommandLine } from './config';
import { startSfuServer } from './SfuServer';

// One failing connection must not end every briefing on the server: whatever escapes the
// handlers' own boundaries is logged, and the server goes on.
process.on('unhandledRejection', (reason) => console.error('[sfu] unhandled rejection (the server goes on):', reason));
process.on('uncaughtException', (error) => console.error('[sfu] uncaught exception (the server goes on):', error));

async function main(): Promise<void> {
  if (CONSOLE_COMMANDS.includes(process.argv[2] ?? '')) {
    process.exit(await runConsoleCommand(process.argv.slice(2), process.env));
  }
  let read: ReturnType<typeof readCommandLine>;
  try {
    read = readCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    const detail = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    console.error(`[sfu] bad settings:\n${detail}`);
    process.exit(2);
  }
  let config: SfuConfig = read.config;
  // Addresses the IT officer named are used as named (a wrong one fails loudly); left to the
  // default, an address the machine lists but cannot use must not stop the server.
  if (!read.mediaAddressesNamed) {
    const { usable, left } = await defaultMediaAddresses(reachableAddresses());
    for (const { ip, why } of left) console.warn(`[sfu] media not served on ${ip} (${why}); name the addresses to use with --media-ip`);
    if (usable.length > 0) config = { ...config, mediaAddresses: usable.map((ip) => ({ ip })) };
  }
  const server = await startSfuServer(config);
  const ports = server.pool.mediaPorts();
  console.log(`[sfu] signaling on ${config.host}:${server.port} (${server.url})`);
  if (server.tls?.caCertFile) {
    console.log(`[sfu] TLS: install ${server.tls.caCertFile} on each meeting point's PC (SHA-256 ${server.tls.caFingerprint})`);
  }
  console.log(`[sfu] media on ${config.mediaAddresses.map((a) => a.announcedIp ? `${a.ip}→${a.announcedIp}` : a.ip).join(', ')} UDP+TCP port(s) ${ports.join(', ')}`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[sfu] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
