// A page fixture that fails the test on any console error or uncaught exception, so a broken
// page cannot pass by accident.
import { test as base, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

export const test = base.extend<{ watchedPage: import('@playwright/test').Page }>({
  watchedPage: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

/** Opens an example design from the left panel, as a person does, and waits for its name. */
export async function openExample(page: import('@playwright/test').Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByTestId('design-name')).toHaveText(name);
}

/**
 * Imports the 100-node performance design (designs/perf) on a first visit, runs it and waits for
 * the run to finish, as a person does: close the exercise list, Export → Import design JSON, Run.
 */
export async function runLargeDesign(page: import('@playwright/test').Page) {
  await page.goto('./');
  // A first visit shows the exercise list over the canvas; this is free design work.
  await page.getByRole('dialog', { name: 'Exercises' }).getByRole('button', { name: 'Close' }).click();
  await page.getByText('Export', { exact: true }).click();
  await page.getByLabel('Import design JSON').setInputFiles({
    name: 'large-100-nodes.json',
    mimeType: 'application/json',
    buffer: fs.readFileSync(path.join(__dirname, '..', '..', 'designs', 'perf', 'large-100-nodes.json')),
  });
  await expect(page.getByTestId('design-name')).toHaveText('A 100-node choreography (performance)');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 60_000 });
}

/**
 * Runs the 100-node design (`runLargeDesign`), opens `tab`, puts the playhead at event `from`
 * (or half way through the run) with the scrubber and plays at 60 events a second, as a person
 * does.
 */
export async function playLargeDesign(page: import('@playwright/test').Page, tab: string, from: number | 'half way') {
  await runLargeDesign(page);
  await page.getByRole('tab', { name: tab }).click();
  const scrubber = page.getByLabel('Scrub the run');
  const last = Number(await scrubber.getAttribute('max'));
  await scrubber.fill(String(from === 'half way' ? Math.floor(last / 2) : from));
  await page.getByLabel('Playback speed').selectOption('60');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
}
