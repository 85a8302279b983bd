// Temporary folders a test makes, removed together when it ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDirs(): { temp: (name: string) => string; removeAll: () => void } {
  const dirs: string[] = [];
  return {
    temp: (name) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `giao-ban-${name}-`));
      dirs.push(dir);
      return dir;
    },
    removeAll: () => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })),
  };
}
