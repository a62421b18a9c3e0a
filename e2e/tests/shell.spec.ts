// The app shell: the page loads, shows its title and every layout region, and follows the
// system's colour scheme.
import { test, expect } from './fixtures';

test('the site opens with the EventLab title and all layout regions', async ({ watchedPage: page }) => {
  await page.goto('./');
  await expect(page).toHaveTitle('EventLab');
  await expect(page.getByRole('heading', { name: 'EventLab' })).toBeVisible();
  for (const region of ['Top bar', 'Exercise and palette', 'Design canvas', 'Inspector', 'Timeline and checks']) {
    await expect(page.getByLabel(region, { exact: true })).toBeVisible();
  }
});

test('the dark theme applies when the browser prefers dark', async ({ watchedPage: page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'EventLab' })).toBeVisible();
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(15, 18, 24)');
  await page.emulateMedia({ colorScheme: 'light' });
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(light).toBe('rgb(244, 245, 248)');
});
