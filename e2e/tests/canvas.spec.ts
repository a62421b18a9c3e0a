// Working on the canvas with mouse and keyboard: a drag is one undo step, a rubber band
// selects, Delete and Ctrl+D act on the selection, and a problem in the list selects its node.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

const canvas = (page: Page) => page.getByLabel('Design canvas', { exact: true });
const node = (page: Page, id: string) => canvas(page).locator(`[data-node="${id}"]`);

async function openDuplicates(page: Page) {
  await page.goto('./');
  await page.getByRole('button', { name: 'Duplicates: the payment handler charges twice', exact: true }).click();
  await page.getByRole('button', { name: 'Dismiss message' }).click();
}

test('dragging a node moves it on the grid as one undo step', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  const box = (await node(page, 'payment-provider').locator('.node-box').boundingBox())!;
  const before = await node(page, 'payment-provider').getAttribute('transform');
  await page.mouse.move(box.x + 40, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 40, box.y + 160, { steps: 10 });
  await page.mouse.up();
  const after = await node(page, 'payment-provider').getAttribute('transform');
  expect(after).not.toEqual(before);
  const [, x, y] = after!.match(/translate\((-?\d+) (-?\d+)\)/)!.map(Number);
  expect(x % 24).toBe(0);
  expect(y % 24).toBe(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'payment-provider')).toHaveAttribute('transform', before!);
});

test('a rubber band selects nodes; Delete removes them and Ctrl+D duplicates', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  await node(page, 'payment-provider').click();
  await page.keyboard.press('Control+d');
  await expect(node(page, 'payment-provider-copy')).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(node(page, 'payment-provider-copy')).toHaveCount(0);
  // Shift-drag over the whole canvas selects every node.
  const area = (await canvas(page).boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(area.x + 5, area.y + 5);
  await page.mouse.down();
  await page.mouse.move(area.x + area.width - 5, area.y + area.height - 80, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(page.getByRole('heading', { name: '4 nodes selected' })).toBeVisible();
  await page.keyboard.press('Delete');
  await expect(canvas(page).locator('[data-node]')).toHaveCount(0);
  await page.keyboard.press('Control+z');
  await expect(canvas(page).locator('[data-node]')).toHaveCount(4);
});

test('clicking a problem selects the node at fault', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  await node(page, 'orders-bus').click();
  const pattern = page.getByLabel('Inspector', { exact: true }).getByLabel('Event pattern');
  await pattern.fill('{"source": [{"prefix": 5}]}');
  await pattern.blur();
  await canvas(page).click({ position: { x: 20, y: 20 } });
  await expect(node(page, 'orders-bus')).toHaveAttribute('aria-pressed', 'false');
  const problem = page.getByRole('list', { name: 'Problems' }).getByRole('button').first();
  await expect(problem).toContainText('Event pattern is not valid. Reason: ');
  await problem.click();
  await expect(node(page, 'orders-bus')).toHaveAttribute('aria-pressed', 'true');
  await expect(
    page.getByLabel('Inspector', { exact: true }).getByRole('list', { name: 'Problems of this node' }),
  ).toContainText('Event pattern is not valid');
});

test('a step\'s condition expression is checked as it is typed, with DynamoDB\'s message', async ({ watchedPage: page }) => {
  await page.goto('./');
  await page.getByRole('button', { name: 'Lost update: two handlers read-modify-write one order', exact: true }).click();
  await node(page, 'payment-handler').click();
  const step = page.getByLabel('Inspector', { exact: true }).getByRole('group', { name: /^Step 2: put/ });
  const condition = step.getByLabel('Condition expression');
  await condition.fill('attribute_not_exists(orderId) AND');
  await expect(step.getByRole('alert')).toHaveText(/^Invalid ConditionExpression: Syntax error; token: "<EOF>"/);
  await condition.fill('version = :missing');
  await expect(step.getByRole('alert')).toHaveText(/^Invalid ConditionExpression: .*:missing/);
  await condition.fill('attribute_not_exists(orderId)');
  await expect(step.getByRole('alert')).toHaveCount(0);
});

test('nodes are reachable by keyboard: Tab to a node, Enter selects, arrows move it', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  const provider = node(page, 'payment-provider');
  await provider.focus();
  await page.keyboard.press('Enter');
  await expect(provider).toHaveAttribute('aria-pressed', 'true');
  const before = await provider.getAttribute('transform');
  await page.keyboard.press('ArrowDown');
  await expect(provider).not.toHaveAttribute('transform', before!);
  await page.keyboard.press('Control+z');
  await expect(provider).toHaveAttribute('transform', before!);
});

test('the design exports as JSON, SVG and PNG and imports back', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  await page.getByText('Export', { exact: true }).click();
  const [svg] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download SVG picture' }).click(),
  ]);
  const picture = require('fs').readFileSync(await svg.path(), 'utf8');
  expect(picture).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  expect(picture).toContain('charge-payment');
  // The menu closes once an item is chosen.
  await expect(page.getByRole('button', { name: 'Download PNG picture' })).toBeHidden();
  await page.getByText('Export', { exact: true }).click();
  const [png] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download PNG picture' }).click(),
  ]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  await page.getByText('Export', { exact: true }).click();
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download design JSON' }).click(),
  ]);
  const file = await json.path();
  await page.getByRole('button', { name: 'New design' }).click();
  await expect(page.getByTestId('design-name')).toHaveText('Untitled design');
  await page.getByText('Export', { exact: true }).click();
  await page.getByLabel('Import design JSON').setInputFiles({
    name: 'design.json', mimeType: 'application/json', buffer: require('fs').readFileSync(file),
  });
  await expect(page.getByTestId('design-name')).toHaveText('Duplicates: the payment handler charges twice');
  await expect(node(page, 'charge-payment')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Download design JSON' })).toBeHidden();
});

test('a wide canvas hides the left panel and draws the design larger, for a projector', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  await page.getByRole('button', { name: 'Fit' }).click();
  const zoom = page.getByRole('toolbar', { name: 'Canvas view' }).locator('.zoom-level');
  const percent = async () => Number((await zoom.textContent())?.replace('%', ''));
  const before = await percent();
  await page.getByRole('button', { name: 'Wide canvas' }).click();
  await expect(page.locator('[data-region="left-panel"]')).toBeHidden();
  await expect.poll(percent).toBeGreaterThan(before);
  // At 1280 wide the four-node design reads at three quarters of its size or more.
  expect(await percent()).toBeGreaterThanOrEqual(70);
  await page.getByRole('button', { name: 'Show panel' }).click();
  await expect(page.locator('[data-region="left-panel"]')).toBeVisible();
});

test('the fitted view follows the canvas when a run opens its panels, unless it was moved', async ({ watchedPage: page }) => {
  await openDuplicates(page);
  const toolbar = page.getByRole('toolbar', { name: 'Canvas view' });
  // Every node is drawn inside the canvas and clear of the view toolbar.
  const allClear = async () => {
    const area = (await canvas(page).boundingBox())!;
    const bar = (await toolbar.boundingBox())!;
    for (const id of ['checkout', 'orders-bus', 'charge-payment', 'payment-provider']) {
      const box = (await node(page, id).locator('.node-box').boundingBox())!;
      expect(box.y, `${id} inside the canvas`).toBeGreaterThanOrEqual(area.y);
      expect(box.y + box.height, `${id} inside the canvas`).toBeLessThanOrEqual(area.y + area.height);
      const underBar = box.x + box.width > bar.x && box.y + box.height > bar.y;
      expect(underBar, `${id} clear of the toolbar`).toBe(false);
    }
  };
  await allClear();
  const before = (await canvas(page).boundingBox())!;
  // A run opens the run views below, and the canvas gets shorter: the view fits it again.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/);
  expect((await canvas(page).boundingBox())!.height).toBeLessThan(before.height);
  await expect.poll(async () => {
    try {
      await allClear();
      return true;
    } catch {
      return false;
    }
  }).toBe(true);
  // Zoomed by hand, the view stays as it was put when the canvas changes size again.
  await toolbar.getByRole('button', { name: 'Zoom in' }).click();
  const zoomed = await toolbar.locator('.zoom-level').textContent();
  await page.setViewportSize({ width: 1200, height: 760 });
  await page.waitForTimeout(200);
  await expect(toolbar.locator('.zoom-level')).toHaveText(zoomed!);
});

test("the bottom panel's edge drags up for a taller timeline, steps with the arrow keys and resets", async ({ watchedPage: page }) => {
  // On a projector neither the canvas nor the run views fit well at once: the reader moves
  // the edge between them. The canvas refits to what is left.
  await openDuplicates(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const panel = page.getByRole('region', { name: 'Timeline and checks' });
  const canvas = page.getByLabel('Design canvas', { exact: true });
  const height = async () => (await panel.boundingBox())!.height;
  const before = await height();
  const canvasBefore = (await canvas.boundingBox())!.height;
  const edge = page.getByRole('separator', { name: /Resize the bottom panel/ });
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 200, { steps: 6 });
  await page.mouse.up();
  await expect.poll(height).toBeGreaterThan(before + 190);
  expect(await height()).toBeLessThan(before + 210);
  expect((await canvas.boundingBox())!.height).toBeLessThan(canvasBefore - 190);
  await page.screenshot({ path: '/tmp/bottom-panel-taller.png' });
  // The arrow keys move the edge, not the playhead.
  const taller = await height();
  const playhead = await page.getByTestId('playhead').textContent();
  await edge.focus();
  await page.keyboard.press('ArrowDown');
  await expect.poll(height).toBeLessThan(taller - 30);
  await expect(page.getByTestId('playhead')).toHaveText(playhead!);
  // It never leaves the canvas less than a strip, however far it is dragged.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, 0, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await canvas.boundingBox())!.height).toBeGreaterThanOrEqual(119);
  await edge.dblclick();
  await expect.poll(height).toBeLessThan(before + 2);
});
