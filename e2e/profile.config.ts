// Profiling playback, by hand, never in CI: the same built site, server and Chromium as the
// tests, one spec that records a Chromium trace and CPU profile of three seconds of playback on
// the 100-node design (see profile/README.md).
import { defineConfig } from '@playwright/test';
import tests from './playwright.config';

export default defineConfig({
  ...tests,
  testDir: './profile',
  timeout: 180_000,
});
