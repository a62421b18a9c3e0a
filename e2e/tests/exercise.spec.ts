// Exercise mode as an attendee meets it: the exercise list on a first visit, an exercise's brief
// and checklist in the left panel, a run that shows the problem, "Check my design" failing with
// the reason, a fix made in the inspector's step editor, the check passing, and the progress
// still there after a reload. Then screenshots of exercises 1, 5 and 8 walked through at
// 1280x800 (the brief must fit without scrolling), written to /tmp like the other specs' pictures.
import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

const canvas = (page: Page) => page.getByLabel('Design canvas', { exact: true });
const node = (page: Page, id: string) => canvas(page).locator(`[data-node="${id}"]`);
const panel = (page: Page) => page.getByRole('region', { name: 'Exercise', exact: true });
const checklist = (page: Page, words: string) =>
  page.getByRole('list', { name: 'Checklist' }).getByRole('listitem', { name: words });
const exerciseList = (page: Page) => page.getByRole('dialog', { name: 'Exercises' });

async function openExercise(page: Page, title: string) {
  await exerciseList(page).getByRole('button', { name: new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).click();
  await expect(exerciseList(page)).toHaveCount(0);
  await expect(panel(page).getByRole('heading', { level: 2 })).toContainText(title);
}

async function run(page: Page) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
}

async function checkDesign(page: Page) {
  await panel(page).getByRole('button', { name: 'Check my design' }).click();
  await expect(panel(page).getByRole('button', { name: 'Check my design' })).toBeVisible({ timeout: 25_000 });
}

/** The brief is whole on screen: its last line is above the bottom of the window. */
async function expectBriefFits(page: Page) {
  const brief = panel(page).locator('.brief');
  const box = await brief.boundingBox();
  expect(box, 'the brief is on screen').toBeTruthy();
  expect(box!.y + box!.height, 'the brief ends inside the 800 px window').toBeLessThanOrEqual(800);
  const scrolled = await page.getByLabel('Exercise and palette', { exact: true }).evaluate((el) => el.scrollTop);
  expect(scrolled).toBe(0);
}

test('exercise 5 is completed through the UI and its progress survives a reload', async ({ watchedPage: page }) => {
  await page.goto('./');
  // A first visit opens the exercise list, every exercise not started.
  await expect(exerciseList(page).getByRole('listitem')).toHaveCount(13);
  const item = exerciseList(page).getByRole('listitem', { name: 'Duplicates: charge once' });
  await expect(item).toContainText('Not started');
  await openExercise(page, 'Duplicates: charge once');
  await expect(page.getByTestId('design-name')).toHaveText('5. Duplicates: charge once');
  await expectBriefFits(page);
  await expect(panel(page)).toContainText('EventBridge delivers at least once');
  await expect(checklist(page, 'no order is charged twice')).toHaveAttribute('data-mark', 'mark-open');

  // Run: the design's own check shows the double charge.
  await run(page);
  await expect(page.getByRole('list', { name: 'Check results' }).getByRole('listitem', { name: 'charged-once' })).toContainText('fail');

  // Check: the locked checks on ten seeds; the brief's check fails with its reason.
  await checkDesign(page);
  const charged = checklist(page, 'no order is charged twice');
  await expect(charged).toHaveAttribute('data-mark', 'mark-failed');
  await expect(charged).toContainText(/failed on \d+ of 10 seeds/);
  await expect(charged).toContainText(/Payment provider acted twice for key o-\d+/);
  await expect(checklist(page, 'every order leads to a PaymentCharged')).toHaveAttribute('data-mark', 'mark-passed');
  await expect(page.getByTestId('next-step')).toContainText('checks hold');

  // The failing seed opens in the run views.
  const open = charged.getByRole('button', { name: /^Open seed \d+'s run$/ });
  const seed = /seed (\d+)/.exec((await open.textContent()) ?? '')?.[1];
  await open.click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('title', new RegExp(`^Seed ${seed}: `), { timeout: 20_000 });
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue(seed!);

  // A hint, one at a time.
  await panel(page).getByRole('button', { name: 'Show a hint (1 of 3)' }).click();
  await expect(panel(page).getByRole('listitem', { name: 'Hint 1' })).toContainText('delivered twice');
  await expect(panel(page).getByRole('listitem', { name: 'Hint 2' })).toHaveCount(0);

  // The fix, as an attendee makes it: the order id as the payment call's idempotency key.
  await node(page, 'charge-payment').click();
  const call = page.getByLabel('Inspector', { exact: true }).getByRole('group', { name: 'Step 1: call' });
  const key = call.getByLabel('Idempotency key');
  await key.fill('$.data.orderId');
  await key.press('Tab');
  await expect(page.getByTestId('next-step')).toContainText('again');

  await checkDesign(page);
  for (const words of ['no order is charged twice', 'every order is charged, once', 'every order leads to a PaymentCharged']) {
    await expect(checklist(page, words)).toHaveAttribute('data-mark', 'mark-passed');
  }
  const learned = panel(page).getByRole('region', { name: 'What you learned' });
  await expect(learned).toContainText('idempotencyKey');
  await expect(learned.getByRole('button', { name: 'Next: 6. Lost update: two writers, one item' })).toBeVisible();
  await expect(panel(page).getByRole('heading', { level: 2 })).toContainText('Done');

  // After a reload: still in the exercise, with the fix, and done in the list.
  await page.reload();
  await expect(panel(page).getByRole('heading', { level: 2 })).toContainText('Duplicates: charge once');
  await expect(panel(page).getByRole('heading', { level: 2 })).toContainText('Done');
  await expect(panel(page).getByRole('listitem', { name: 'Hint 1' })).toBeVisible();
  await node(page, 'charge-payment').click();
  await expect(page.getByLabel('Inspector', { exact: true }).getByRole('group', { name: 'Step 1: call' }).getByLabel('Idempotency key')).toHaveValue('$.data.orderId');
  await page.getByRole('button', { name: 'Exercises', exact: true }).click();
  await expect(exerciseList(page).getByRole('listitem', { name: 'Duplicates: charge once' })).toContainText('Done');
  await expect(exerciseList(page).getByRole('listitem', { name: 'Lean events: carry what you own' })).toContainText('Not started');
});

test('a design without its faults and checks still fails the exercise', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExercise(page, 'Duplicates: charge once');
  // The starting design with its faults and checks removed, imported as an attendee could.
  const start = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'exercises', '05-duplicates', 'start.json'), 'utf8'));
  start.scenario.faults = {};
  start.scenario.scripted = [];
  start.checks = [];
  await page.getByText('Export', { exact: true }).click();
  await page.getByLabel('Import design JSON').setInputFiles({
    name: 'tampered.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(start)),
  });
  await expect(page.getByRole('status')).toContainText('Imported');
  await checkDesign(page);
  await expect(checklist(page, 'no order is charged twice')).toHaveAttribute('data-mark', 'mark-failed');
  await page.getByRole('button', { name: 'Exercises', exact: true }).click();
  await expect(exerciseList(page).getByRole('listitem', { name: 'Duplicates: charge once' })).toContainText('Started');
});

for (const [order, title] of [
  [1, 'Lean events: carry what you own'],
  [5, 'Duplicates: charge once'],
  [8, 'Aggregator: three events, one PhotoReady'],
] as const) {
  test(`walk-through screenshots of exercise ${order}`, async ({ watchedPage: page }) => {
    const shot = (step: string) => page.screenshot({ path: `/tmp/exercise-${order}-${step}.png` });
    await page.goto('./');
    // The list as a person first sees it once it has loaded (it comes from the worker).
    await expect(exerciseList(page).getByRole('button').filter({ hasText: title })).toBeVisible();
    await shot('0-list');
    await openExercise(page, title);
    await expectBriefFits(page);
    await shot('1-opened');
    await run(page);
    await shot('2-run');
    await checkDesign(page);
    await expect(page.getByTestId('next-step')).toContainText('checks hold');
    await shot('3-checked');
    await panel(page).getByRole('button', { name: /^Show a hint/ }).click();
    await shot('4-hint');
    await panel(page).getByRole('button', { name: 'Show the solution…' }).click();
    await shot('5-confirm');
    await panel(page).getByRole('button', { name: 'Replace my design with the solution' }).click();
    await expect(page.getByRole('status')).toContainText('reference solution replaced your design');
    await checkDesign(page);
    await expect(panel(page).getByRole('region', { name: 'What you learned' })).toBeVisible();
    await shot('6-solved');
  });
}
