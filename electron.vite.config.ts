// Builds the desktop app: Electron main process, sandboxed preload (CommonJS, as Electron's
// sandbox requires) and the renderer. The main process keeps its dependencies external (the
// electron-vite default); the preload needs none but Electron.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './renderer/vite.config';

export default defineConfig({
  main: {
    build: { outDir: 'out/main', rolldownOptions: { input: { index: resolve('main/electron/index.ts') } } },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('main/electron/preload.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: { ...rendererConfig, build: { ...rendererConfig.build, outDir: resolve('out/renderer') } },
});
