// Once loaded, the site works offline: a person loads it on the venue's Wi-Fi, the network goes
// away, they reload, and the editor still opens designs, edits, validates and runs them.
import { test, expect } from './fixtures';

test('after one visit the site reloads, edits and runs offline', async ({ watchedPage: page, context }) => {
  await page.goto('./');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  // The first visit installed the worker; this load goes through it and fills its cache.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'EventLab' })).toBeVisible();
  await page.evaluate(async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'EventLab' })).toBeVisible();
  // Editing works offline: add a function from the palette and see it on the canvas.
  await page.getByRole('textbox', { name: "New node's name" }).fill('charge-card');
  await page.getByRole('button', { name: 'Add function' }).click();
  const canvas = page.getByLabel('Design canvas', { exact: true });
  await expect(canvas.getByRole('button', { name: 'charge-card, function' })).toBeVisible();
  // Validation (in the simulator's worker, from the cache) still answers.
  await expect(page.getByText('No problems found in this design.')).toBeVisible();
  // And a run works: open an example and run it.
  await page.getByRole('button', { name: 'Duplicates: the payment handler charges twice', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
  await expect(page.getByTestId('run-status')).toContainText('failed');
  await context.setOffline(false);
});
