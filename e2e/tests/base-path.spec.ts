// The site works when hosted under a base path, as a team would put it beside other pages:
// the page, its styles, the simulator's worker and the offline service worker all load by
// relative URLs, a run finishes, and a share link points back under the same path.
import { test, expect } from './fixtures';

const port = Number(process.env.EVENTLAB_E2E_PORT ?? 4173) + 1;
const base = `http://127.0.0.1:${port}/workshop/eventlab/`;

test('under /workshop/eventlab/ the site edits, runs and shares', async ({ watchedPage: page }) => {
  const outside: string[] = [];
  page.on('response', (response) => {
    if (!response.url().startsWith(base) && !response.url().startsWith('data:')) outside.push(response.url());
  });
  await page.goto(base);
  await expect(page.getByRole('heading', { name: 'EventLab' })).toBeVisible();
  await page.getByRole('button', { name: 'Duplicates: the payment handler charges twice', exact: true }).click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
  await expect(page.getByRole('tab', { name: /^Checks/ })).toBeVisible();
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(base);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link').inputValue();
  expect(link.startsWith(`${base}#v1.`), link).toBe(true);
  expect(outside, 'every request stays under the base path').toEqual([]);
});
