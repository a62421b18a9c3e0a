// Time to first paint of a shared link: a person opens a link a neighbour sent (the pizza
// choreography) in a fresh browser (empty cache, no service worker), and the time is taken from
// navigation start to the moment the design's nodes are on the canvas, as the page itself sees
// it (a MutationObserver installed before any script runs).
import { test, expect } from '@playwright/test';
import { report, summary } from './common';

const PIZZA = 'Pizza orders: a choreography';
const REPEATS = 7;

test('first paint of a shared link', async ({ browser, page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: PIZZA, exact: true }).click();
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link').inputValue();
  expect(link).toContain('#v1.');

  const drawn: number[] = [];
  const contentful: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.addInitScript(() => {
      const seen = () => document.querySelector('[aria-label="Design canvas"] [role="button"]');
      const observer = new MutationObserver(() => {
        if (seen()) {
          (window as unknown as { firstNodesMs: number }).firstNodesMs = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
    await fresh.goto(link);
    await expect(fresh.getByTestId('design-name')).toHaveText(PIZZA);
    const figures = await fresh.evaluate(() => ({
      nodes: (window as unknown as { firstNodesMs?: number }).firstNodesMs ?? NaN,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    }));
    drawn.push(figures.nodes);
    contentful.push(figures.fcp);
    await context.close();
  }
  report(`first paint of a shared link (pizza, ${link.length} characters), nodes drawn: ${summary(drawn)}`);
  report(`first paint of a shared link, first contentful paint: ${summary(contentful)}`);
});
