// The design editor as a person uses it: open an example, edit a rule's pattern, undo and
// redo, reload, share a link, open hostile links.
import { test, expect, openExample } from './fixtures';
import type { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const canvas = (page: Page) => page.getByLabel('Design canvas', { exact: true });
const node = (page: Page, name: string) => canvas(page).getByRole('button', { name });

test('opening an example design shows its nodes and edges', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Duplicates: the payment handler charges twice');
  await expect(node(page, 'charge-payment, function')).toBeVisible();
  await expect(node(page, 'orders bus, bus')).toBeVisible();
  await expect(node(page, 'Payment provider, external API')).toBeVisible();
  await expect(canvas(page).getByText('order.placed').first()).toBeVisible();
  await expect(canvas(page).getByText('Payments', { exact: true })).toBeVisible();
});

test('an invalid rule pattern shows EventBridge\'s message under the field', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Duplicates: the payment handler charges twice');
  await node(page, 'orders bus, bus').click();
  const inspector = page.getByLabel('Inspector', { exact: true });
  const pattern = inspector.getByLabel('Event pattern');
  await pattern.fill('{"detail-type": "com.pizza.order.placed.v1"}');
  await expect(inspector.getByRole('alert')).toHaveText(
    /^Event pattern is not valid\. Reason: /,
  );
  await pattern.blur();
  // The design keeps what was typed, and validation lists the problem on the bus.
  await expect(page.getByRole('button', { name: /invalid|not valid/i }).first()).toBeVisible();
  await pattern.fill('{"detail-type": ["com.pizza.order.placed.v1"]}');
  await expect(inspector.getByRole('alert')).toHaveCount(0);
});

test('undo and redo walk back and forth across edits, by button and keyboard', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Duplicates: the payment handler charges twice');
  await node(page, 'charge-payment, function').click();
  const name = page.getByLabel('Inspector', { exact: true }).getByLabel('Name', { exact: true });
  await name.fill('charge-card');
  await name.press('Enter');
  await expect(node(page, 'charge-card, function')).toBeVisible();
  await page.getByLabel('Inspector', { exact: true }).getByRole('button', { name: 'Remove step 2' }).click();
  await expect(page.getByLabel('Inspector', { exact: true }).getByRole('group', { name: /^Step 2/ })).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByLabel('Inspector', { exact: true }).getByRole('group', { name: 'Step 2: emit' })).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(node(page, 'charge-payment, function')).toBeVisible();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(node(page, 'charge-card, function')).toBeVisible();
  await canvas(page).click({ position: { x: 30, y: 30 } });
  await page.keyboard.press('Control+z');
  await expect(node(page, 'charge-payment, function')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect(node(page, 'charge-card, function')).toBeVisible();
});

test('a reload keeps the design and its edits', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Lost update: two handlers read-modify-write one order');
  await node(page, 'orders, table').click();
  const name = page.getByLabel('Inspector', { exact: true }).getByLabel('Name', { exact: true });
  await name.fill('Orders <b>table</b>');
  await name.press('Enter');
  await page.reload();
  await expect(page.getByTestId('design-name')).toHaveText('Lost update: two handlers read-modify-write one order');
  // Markup in a name is shown as text.
  await expect(node(page, 'Orders <b>table</b>, table')).toBeVisible();
});

test('a share link opened in a fresh browser shows the same design', async ({ watchedPage: page, browser }) => {
  await page.goto('./');
  await openExample(page, 'Duplicates: the payment handler charges twice');
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link').inputValue();
  expect(link).toMatch(/#v1\.[A-Za-z0-9_-]+$/);
  const context = await browser.newContext();
  const fresh = await context.newPage();
  const errors: string[] = [];
  fresh.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await fresh.goto(link);
  await expect(fresh.getByTestId('design-name')).toHaveText('Duplicates: the payment handler charges twice');
  await expect(node(fresh, 'charge-payment, function')).toBeVisible();
  await expect(fresh.getByRole('status')).toContainText('Opened a shared design');
  // The fragment is consumed: a reload continues in the link's own slot.
  await fresh.reload();
  await expect(node(fresh, 'charge-payment, function')).toBeVisible();
  expect(errors).toEqual([]);
  await context.close();
});

test('saved links of every format version keep opening', async ({ watchedPage: page }) => {
  const folder = path.join(__dirname, '..', 'links');
  for (const file of fs.readdirSync(folder).filter((f) => f.endsWith('.json'))) {
    const saved = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    for (const entry of saved.links) {
      await page.goto('./#' + entry.link);
      await expect(page.getByTestId('design-name')).toHaveText(entry.designName);
      await expect(canvas(page).locator('[data-node]')).toHaveCount(entry.nodes);
    }
  }
});

const hostile: [string, string, RegExp][] = [
  ['broken', 'v1.!!!not-base64!!!', /damaged: it contains characters/],
  ['truncated', '', /incomplete/],
  ['future version', 'v9.eNqrVgpLzClNVbJSSs7PS8tMVaoFAD+TBsU', /newer EventLab \(link format v9\)/],
  ['not a link', 'hello-world', /not an EventLab design link/],
];

for (const [kind, given, message] of hostile) {
  test(`a ${kind} link shows its message and keeps the autosaved design`, async ({ watchedPage: page }) => {
    await page.goto('./');
    await openExample(page, 'Lost update: two handlers read-modify-write one order');
    let link = given;
    if (kind === 'truncated') {
      const saved = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'links', 'v1.json'), 'utf8'));
      const whole: string = saved.links[0].link;
      link = whole.slice(0, Math.floor(whole.length / 2));
    }
    await page.goto('./#' + link);
    await expect(page.getByRole('status')).toHaveText(message);
    await expect(page.getByTestId('design-name')).toHaveText('Lost update: two handlers read-modify-write one order');
    await page.reload();
    await expect(page.getByTestId('design-name')).toHaveText('Lost update: two handlers read-modify-write one order');
  });
}

test('a decompression bomb is refused without hanging the page', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Lost update: two handlers read-modify-write one order');
  const bomb = fs.readFileSync(path.join(__dirname, 'data', 'bomb-link.txt'), 'utf8').trim();
  await page.goto('./#' + bomb);
  await expect(page.getByRole('status')).toHaveText(/unpacks to more than 1024 KiB/);
  await expect(page.getByTestId('design-name')).toHaveText('Lost update: two handlers read-modify-write one order');
});

test('screenshots in both themes at projector sizes', async ({ watchedPage: page }) => {
  for (const theme of ['light', 'dark'] as const) {
    for (const [width, height] of [[1280, 800], [1920, 1080]]) {
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width, height });
      await page.goto('./');
      await openExample(page, 'Duplicates: the payment handler charges twice');
      await page.getByRole('button', { name: 'Fit' }).click();
      await node(page, 'orders bus, bus').click();
      await page.screenshot({ path: `/tmp/eventlab-${theme}-${width}.png` });
    }
  }
});

test("a function's exported TypeScript handler shows beside its steps and follows edits", async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Duplicates: the payment handler charges twice');
  await node(page, 'charge-payment, function').click();
  const inspector = page.getByLabel('Inspector', { exact: true });
  await inspector.getByRole('button', { name: /Show the TypeScript handler/ }).click();
  const code = inspector.getByLabel('Exported TypeScript handler');
  await expect(code).toContainText('export async function handler(event: EventBridgeEvent<string, unknown>)');
  // Editing the steps changes the export too: remove step 2 (the emit).
  await expect(code).toContainText('events.send(new PutEventsCommand');
  await inspector.getByRole('button', { name: 'Remove step 2' }).click();
  await expect(code).not.toContainText('events.send(new PutEventsCommand');
  await page.screenshot({ path: '/tmp/editor-typescript.png' });
});

test('a save the page cannot read strictly is repaired by the tolerant loader, and kept aside until then', async ({ watchedPage: page }) => {
  await page.goto('./');
  // A save from an older EventLab: no schema version, an unknown field, one unreadable node.
  const old = JSON.stringify({
    name: 'An old save',
    colour: 'teal',
    nodes: [{ id: 'orders', kind: 'queue' }, { id: 7 }],
  });
  await page.evaluate((text) => {
    localStorage.setItem('eventlab/v1/slot/free', text);
    localStorage.setItem('eventlab/v1/current', 'free');
  }, old);
  await page.reload();
  await expect(page.getByTestId('design-name')).toHaveText('An old save');
  await expect(page.getByRole('status')).toContainText('repaired on opening');
  await expect(node(page, 'orders, queue')).toBeVisible();
  // Repaired and saved again, canonical: the aside copy is gone and a reload reads it strictly.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('eventlab/v1/unreadable/free'))).toBeNull();
  await page.reload();
  await expect(page.getByTestId('design-name')).toHaveText('An old save');
  await expect(page.getByRole('status')).toHaveCount(0);
});
