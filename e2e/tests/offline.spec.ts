// Once loaded, the site works offline: a person loads it on the venue's Wi-Fi, the network goes
// away, they reload, and the editor still opens designs and edits them.
import { test, expect } from './fixtures';

test('after one visit the site reloads and edits offline', async ({ watchedPage: page, context }) => {
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
  await context.setOffline(false);
});
