import { defineConfig } from '@playwright/test';
import { TEST_BROWSER_HOME } from './tests/support/testTls';

// Debian's Chromium, launched the way a loopback-only CI machine needs it.
export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--disable-gpu',
  '--no-first-run',
  '--no-sandbox',
];

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Two cores: one browser scenario at a time keeps the media pipelines from starving.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  // The test CA, installed the way the README asks of every meeting point's PC.
  globalSetup: './tests/e2e/globalSetup.ts',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, env: { ...process.env, HOME: TEST_BROWSER_HOME } },
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
