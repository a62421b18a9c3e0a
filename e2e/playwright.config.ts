// Playwright drives Debian's Chromium (never a downloaded browser) against the built site in
// ../dist, served on 127.0.0.1 only for the duration of the run: at the root, and on the next
// port under a base path (/workshop/eventlab/).
import { defineConfig } from '@playwright/test';

const port = Number(process.env.EVENTLAB_E2E_PORT ?? 4173);
// The built site to serve (default ../dist); another folder lets two builds be tested side by side.
const dist = process.env.EVENTLAB_E2E_DIST ?? '../dist';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: './test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: [
    {
      command: `python3 -m http.server ${port} --bind 127.0.0.1 --directory ${dist}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 20_000,
      // The server's request log would drown the test command's output; failures show in tests.
      stderr: 'ignore',
    },
    {
      // The same site under a base path (tests/base-path.spec.ts).
      command: `python3 base-path-server.py ${port + 1} ${dist}`,
      url: `http://127.0.0.1:${port + 1}/workshop/eventlab/`,
      reuseExistingServer: false,
      timeout: 20_000,
    },
  ],
});
