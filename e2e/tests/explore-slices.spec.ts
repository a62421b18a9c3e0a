// Exploring on several workers: the run worker splits the seeds between helper workers, merges
// their slices and shrinks the failures. The report must be the one the native CLI makes for
// the same design and seeds, byte for byte, whether the seeds are split or not.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from './fixtures';

const designs = join(__dirname, '..', '..', 'designs');
const cli = process.env.EVENTLAB_CLI;

for (const name of ['duplicates', 'lost-update', 'photo-aggregator']) {
  test(`exploring ${name} on one, two and three workers reports what the CLI reports`, async ({ watchedPage: page }) => {
    expect(cli, 'EVENTLAB_CLI must point at the native eventlab binary').toBeTruthy();
    const file = join(designs, `${name}.json`);
    // Exit 1 when a check fails; the report is on stdout either way.
    const native = JSON.parse(spawnSync(cli!, ['explore', file, '--seeds', '150']).stdout.toString());
    await page.goto('./');
    const design = readFileSync(file, 'utf8');
    for (const slices of [1, 2, 3]) {
      const answer = await page.evaluate(
        ([design, slices]) =>
          new Promise<{ text?: string; error?: string; progress: number }>((resolve) => {
            const worker = new Worker('run-worker.js');
            let progress = 0;
            worker.onmessage = (message) => {
              const reply = message.data;
              if (reply.progress) progress += 1;
              else {
                worker.terminate();
                resolve({ text: reply.text, error: reply.error, progress });
              }
            };
            worker.postMessage({ id: 1, kind: 'explore', design, seed: '1', seeds: 150, slices });
          }),
        [design, slices] as const,
      );
      expect(answer.error, `${name} on ${slices}`).toBeUndefined();
      expect(answer.progress, 'progress is reported as it goes').toBeGreaterThan(1);
      expect(JSON.parse(answer.text ?? '{}'), `${name} on ${slices} workers`).toEqual(native);
    }
  });
}
