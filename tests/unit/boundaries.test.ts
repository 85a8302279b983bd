// The package boundaries the code is organized by: the desktop (main/, renderer/) reaches the
// server only through its public face (sfu-server/index.ts) and the shared protocol; the server
// imports nothing of the desktop; lib/ belongs to neither.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

/** Every module a file imports, resolved to a path from the project root (packages left out). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)[^'"]*from\s+'(\.[^']+)'/gm)].map((m) => path.relative(root, path.resolve(path.dirname(path.join(root, file)), m[1])));
}

describe('package boundaries', () => {
  it('the desktop reaches no file of sfu-server/src', () => {
    const crossing = [...sources('main'), ...sources('renderer')].flatMap((file) => importsOf(file).filter((target) => target.startsWith('sfu-server/src')).map((target) => `${file} → ${target}`));
    expect(crossing).toEqual([]);
  });

  it('the server and lib import nothing of the desktop', () => {
    const crossing = [...sources('sfu-server'), ...sources('lib')].flatMap((file) =>
      importsOf(file).filter((target) => target.startsWith('main') || target.startsWith('renderer')).map((target) => `${file} → ${target}`),
    );
    expect(crossing).toEqual([]);
  });
});
