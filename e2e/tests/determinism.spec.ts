// Determinism across platforms: every example design, run on 5 seeds in the wasm build inside
// Chromium, gives the same trace hash as the native CLI for the same design and seed.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';

const designs = join(__dirname, '..', '..', 'designs');
const cli = process.env.EVENTLAB_CLI;

test('wasm and native runs give the same trace hashes', async ({ watchedPage: page }) => {
  expect(cli, 'EVENTLAB_CLI must point at the native eventlab binary').toBeTruthy();
  await page.goto('./');
  // The simulator's bundle (the one the run worker loads), loaded into the page for the test.
  await page.addScriptTag({ url: 'eventlab-worker.js' });
  // The no-modules bundle declares a global `wasm_bindgen` binding (not a window property).
  await page.evaluate(async () => {
    // @ts-ignore: defined by eventlab-worker.js
    await wasm_bindgen({ module_or_path: 'eventlab-worker_bg.wasm' });
  });
  const files = readdirSync(designs).filter((name) => name.endsWith('.json')).sort();
  expect(files.length).toBeGreaterThanOrEqual(10);
  for (const file of files) {
    const text = readFileSync(join(designs, file), 'utf8');
    for (let seed = 1; seed <= 5; seed++) {
      const native = JSON.parse(
        execFileSync(cli!, ['run', join(designs, file), '--seed', String(seed), '--format', 'json'], {
          maxBuffer: 256 * 1024 * 1024,
        }).toString(),
      ).trace_hash;
      const wasm = await page.evaluate(
        // @ts-ignore: defined by eventlab-worker.js
        ([design, s]) => wasm_bindgen.eventlabTraceHash(design, s),
        [text, seed] as const,
      );
      expect(wasm, `${file} seed ${seed}`).toBe(native);
    }
  }
});
