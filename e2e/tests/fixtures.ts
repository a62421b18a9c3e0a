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
