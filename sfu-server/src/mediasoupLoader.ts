// Loads mediasoup with the worker binary this project built offline.
// mediasoup reads MEDIASOUP_WORKER_BIN once, when it is first imported, so the variable is set
// here before a dynamic import rather than by every caller.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Mediasoup = typeof import('mediasoup');

const require = createRequire(import.meta.url);

export function mediasoupVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(require.resolve('mediasoup/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Where scripts/build-mediasoup-worker.mjs caches the worker for this platform. */
export function cachedWorkerBin(projectRoot: string): string {
  return path.join(
    projectRoot,
    'resources',
    'worker',
    `${process.platform}-${process.arch}`,
    `mediasoup-worker-${mediasoupVersion()}`,
  );
}

/** In the packaged app the worker is unpacked beside the archive (a program cannot run from
 * inside app.asar): the same path with `app.asar.unpacked` in place of `app.asar`. */
export function runnablePath(file: string): string {
  return file.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}

function findProjectRoot(): string {
  // node_modules/mediasoup/package.json -> project root, wherever this file was bundled to.
  return path.resolve(path.dirname(require.resolve('mediasoup/package.json')), '..', '..');
}

export class WorkerBinaryMissingError extends Error {}

let loaded: Promise<Mediasoup> | undefined;

export function loadMediasoup(): Promise<Mediasoup> {
  loaded ??= (async () => {
    if (!process.env.MEDIASOUP_WORKER_BIN) {
      const bin = runnablePath(cachedWorkerBin(findProjectRoot()));
      if (!fs.existsSync(bin)) {
        throw new WorkerBinaryMissingError(
          `mediasoup worker not found at ${bin}. Build it with \`npm run worker:build\` ` +
            '(needs Debian packages: see README), or set MEDIASOUP_WORKER_BIN.',
        );
      }
      process.env.MEDIASOUP_WORKER_BIN = bin;
    }
    const mod = (await import('mediasoup')) as Mediasoup & { default?: Mediasoup };
    return mod.default ?? mod;
  })();
  return loaded;
}
