// The browser benchmarks: the same built site, server and Chromium as the tests, but specs that
// print figures instead of asserting times (scripts/check.sh runs them as their own stage).
import { defineConfig } from '@playwright/test';
import tests from './playwright.config';

export default defineConfig({
  ...tests,
  testDir: './bench',
  timeout: 180_000,
});
