// `npm run web`: the app in a browser tab, for a PC where Electron cannot be installed.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DesktopServices } from '../services/DesktopServices';
import { startLocalHost } from './LocalHost';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const dataDir = process.env.GIAOBAN_DATA_DIR ?? path.join(os.homedir(), '.local', 'share', 'giao-ban');
  const services = await DesktopServices.open({ dataDir });
  // `npm run web -- "giaoban://join?…"`: the page opens with that invitation filled in.
  services.openedWith(process.argv.slice(2));
  const host = await startLocalHost({
    services,
    webRoot: path.join(root, 'out', 'web'),
    port: Number(process.env.GIAOBAN_WEB_PORT ?? 5180),
  });
  console.log(`Giao Ban is running. Open this address in Chromium or Chrome:\n\n  ${host.url}\n`);
  console.log(`(data: ${dataDir}; stop with Ctrl+C)`);
  if (process.env.DISPLAY && !process.env.CI) {
    spawn('xdg-open', [host.url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  }
  const stop = async () => {
    await host.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Giao Ban could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
