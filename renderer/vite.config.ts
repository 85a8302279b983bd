// The renderer, built for the browser tab of local host mode (out/web) and reused by
// electron.vite.config.ts for the desktop window.
import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';

export const rendererConfig: UserConfig = {
  root: resolve('renderer'),
  base: './',
  // Without the React plugin, Vite's own transform handles JSX with the automatic runtime.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve('out/web'),
    emptyOutDir: true,
    target: 'chrome110',
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { input: resolve('renderer/index.html') },
  },
};

export default defineConfig(rendererConfig);
