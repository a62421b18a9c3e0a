// Records three seconds of playback on the 100-node design, played from half way at 60 events a
// second, as a Chromium trace (PROF_OUT.trace.json) and a CPU profile (PROF_OUT.cpuprofile),
// and prints the frame intervals. Options by environment: PROF_OUT (path prefix), PROF_CSS (a
// style sheet added first, to see what hiding or changing something costs), PROF_JS (a
// script run first), PROF_TAB (a tab to open once playing), PROF_CATS (trace categories;
// add disabled-by-default-devtools.timeline.invalidationTracking to see what was invalidated),
// PROF_SHOT (a screenshot at the end). profile/phases.py sums the main thread's phases.
import { test, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

test('profile playback', async ({ page }) => {
  await page.goto('./');
  await page.getByRole('dialog', { name: 'Exercises' }).getByRole('button', { name: 'Close' }).click();
  await page.getByText('Export', { exact: true }).click();
  await page.getByLabel('Import design JSON').setInputFiles({
    name: 'large-100-nodes.json', mimeType: 'application/json',
    buffer: fs.readFileSync(path.join(__dirname, '..', '..', 'designs', 'perf', 'large-100-nodes.json')),
  });
  await expect(page.getByTestId('design-name')).toHaveText('A 100-node choreography (performance)');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Event log' }).click();
  if (process.env.PROF_CSS) await page.addStyleTag({ content: process.env.PROF_CSS });
  if (process.env.PROF_JS) await page.evaluate(process.env.PROF_JS);
  const scrubber = page.getByLabel('Scrub the run');
  const last = Number(await scrubber.getAttribute('max'));
  await scrubber.fill(String(Math.floor(last / 2)));
  await page.getByLabel('Playback speed').selectOption('60');
  const client = await page.context().newCDPSession(page);
  await client.send('Profiler.enable');
  await client.send('Profiler.setSamplingInterval', { interval: 200 });
  const traceChunks: any[] = [];
  client.on('Tracing.dataCollected', (e: any) => traceChunks.push(...e.value));
  const traceDone = new Promise<void>((r) => client.once('Tracing.tracingComplete', () => r()));
  await client.send('Tracing.start', { categories: process.env.PROF_CATS ?? 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await client.send('Profiler.start');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  if (process.env.PROF_TAB) await page.getByRole('tab', { name: process.env.PROF_TAB }).click();
  const frames: number[] = await page.evaluate(async () => {
    const intervals: number[] = [];
    let last = performance.now();
    const end = last + 3000;
    await new Promise<void>((resolve) => {
      const tick = (now: number) => { intervals.push(now - last); last = now; if (now < end) requestAnimationFrame(tick); else resolve(); };
      requestAnimationFrame(tick);
    });
    return intervals;
  });
  if (process.env.PROF_SHOT) await page.screenshot({ path: process.env.PROF_SHOT });
  const { profile } = await client.send('Profiler.stop');
  await client.send('Tracing.end');
  await traceDone;
  if (!process.env.PROF_TAB) await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const out = process.env.PROF_OUT ?? '/tmp/frames-prof/run';
  fs.writeFileSync(out + '.cpuprofile', JSON.stringify(profile));
  fs.writeFileSync(out + '.trace.json', JSON.stringify(traceChunks));
  const sorted = [...frames].sort((a, b) => a - b);
  process.stdout.write(`frames ${frames.length} longest ${sorted[sorted.length - 1].toFixed(1)} p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)}\n`);
});
