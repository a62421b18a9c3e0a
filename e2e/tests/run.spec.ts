// Running a design as a person does: open an example, press Run, read the failing check and
// its explanation, jump to the event that decided it, then run the fixed design on the same
// seed and see the check pass. Also: a simulator that cannot load gives a clear message, and
// screenshots of the run views in light and dark themes for a look on a projector.
import { test, expect, openExample, playLargeDesign, runLargeDesign } from './fixtures';
import type { Page } from '@playwright/test';

const DUPLICATES = 'Duplicates: the payment handler charges twice';
const FIXED = "Duplicates, fixed: an idempotency record and the provider's idempotency key";

async function runWithSeed(page: Page, seed: string) {
  const field = page.getByLabel('Seed', { exact: true });
  await field.fill(seed);
  await field.press('Enter');
  await expect(field).toHaveValue(seed);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const status = page.getByTestId('run-status');
  await expect(status).toHaveClass(/finished/, { timeout: 20_000 });
  await expect(status).toHaveAttribute('title', new RegExp(`^Seed ${seed}: `));
}

/** The timeline's playhead line is shown, through the middle of the current mark. */
async function expectLineThroughCurrent(page: Page) {
  const timeline = page.getByRole('group', { name: 'Timeline' });
  const line = timeline.locator('.playhead-line');
  await expect(line).not.toHaveAttribute('visibility', 'hidden');
  const middle = async (selector: string) => {
    const box = (await timeline.locator(selector).boundingBox())!;
    return box.x + box.width / 2;
  };
  await expect
    .poll(async () => Math.abs((await middle('.mark[aria-current="true"]')) - (await middle('.playhead-line'))))
    .toBeLessThan(1.5);
}

const checkResult = (page: Page, id: string) =>
  page.getByRole('list', { name: 'Check results' }).getByRole('listitem', { name: id });

/** Opens the duplicates example, runs seed 1 and presses the double charge's "Show where";
 * returns the sequence number of the event it shows. */
async function jumpToDoubleCharge(page: Page) {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  const showWhere = checkResult(page, 'charged-once').getByRole('button', { name: /^Show where/ });
  const seq = /#(\d+)/.exec((await showWhere.textContent()) ?? '')?.[1];
  await showWhere.click();
  return seq;
}

test('a run shows the failing check, where it was decided, and the fix passing', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await expect(page.getByRole('tab', { name: /^Checks/ })).toHaveAttribute('aria-selected', 'true');
  const charged = checkResult(page, 'charged-once');
  await expect(charged).toContainText('fail');
  await expect(charged).toContainText(/acted twice for key o-3/);
  await expect(page.getByTestId('run-status')).toContainText('1 failed');

  const showWhere = charged.getByRole('button', { name: /^Show where/ });
  const seq = /#(\d+)/.exec((await showWhere.textContent()) ?? '')?.[1];
  expect(seq, 'the button names the deciding event').toBeTruthy();
  await showWhere.click();
  await expect(page.getByRole('tab', { name: 'Event log' })).toHaveAttribute('aria-selected', 'true');
  const current = page.getByRole('list', { name: 'Event log' }).locator('[aria-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText(`#${seq}`);
  await expect(current).toContainText('externalEffect');
  await expect(current).toContainText('key=o-3');
  await expect(current).toBeInViewport();
  await expect(page.getByTestId('playhead')).toContainText(`#${seq} ·`);

  await openExample(page, FIXED);
  await expect(page.getByText('design changed')).toBeVisible();
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: /^Checks/ }).click();
  await expect(checkResult(page, 'charged-once')).toContainText('pass');
  await expect(page.getByTestId('run-status')).toContainText('all checks pass');
  await expect(page.getByText('design changed')).toHaveCount(0);
});

test('the duplicates example fixed by hand: the record written twice, then a conditional write that passes on 200 seeds', async ({ watchedPage: page }) => {
  // The story as an attendee lives it: the double charge, the idempotency record they
  // add first written twice (its item history shows both writes), then the same put made
  // conditional, the same seed passing, and 200 seeds with no failure.
  const inspector = page.getByLabel('Inspector', { exact: true });
  const canvas = page.getByLabel('Design canvas', { exact: true });
  const commit = async (field: import('@playwright/test').Locator, text: string) => {
    await field.fill(text);
    await field.press('Enter');
  };
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await expect(checkResult(page, 'charged-once')).toContainText('fail');
  await checkResult(page, 'charged-once').getByRole('button', { name: /^Show where/ }).click();
  const current = page.getByRole('list', { name: 'Event log' }).locator('[aria-current="true"]');
  await expect(current).toContainText('externalEffect');
  await expect(current).toContainText('key=o-3');

  // An idempotency record: a table keyed by order id, and a put as the handler's first step.
  await page.getByLabel("New node's name").fill('payments-idempotency');
  await page.getByRole('button', { name: 'Add table' }).click();
  await commit(inspector.getByLabel('Partition key', { exact: true }), 'orderId');
  await canvas.locator('[data-node="charge-payment"]').click();
  await inspector.getByLabel('Add a step').selectOption('put');
  await inspector.getByRole('button', { name: 'Move step 3 up' }).click();
  await inspector.getByRole('button', { name: 'Move step 2 up' }).click();
  const put = inspector.getByRole('group', { name: 'Step 1: put' });
  await expect(put.getByLabel('Table')).toHaveValue('payments-idempotency');
  const item = put.getByLabel('Item');
  await item.fill('{"orderId": "$.data.orderId", "status": "charging"}');
  await item.blur();
  await expect(page.getByRole('tab', { name: 'Problems (0)' })).toBeVisible();

  // Unconditional, it changes nothing: both deliveries write the record and charge.
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: /^Checks/ }).click();
  await expect(checkResult(page, 'charged-once')).toContainText('fail');
  await page.getByRole('tab', { name: 'State' }).click();
  await page.getByRole('button', { name: 'History of o-3', exact: true }).click();
  const history = page.getByRole('region', { name: 'Item history' });
  await expect(history).toContainText('History of payments-idempotency orderId=o-3');
  await expect(history.getByRole('listitem').filter({ hasText: '✓ written' })).toHaveCount(2);
  // Asked for from a row further down the table, the history is brought into view.
  await expect(history).toBeInViewport();
  await page.screenshot({ path: '/tmp/run-history-duplicates.png' });
  await history.screenshot({ path: '/tmp/run-history-duplicates-region.png' });

  // The conditional write: the second delivery's put is refused and that invocation stops.
  await canvas.locator('[data-node="charge-payment"]').click();
  await commit(put.getByLabel('Condition expression'), 'attribute_not_exists(orderId)');
  await put.getByLabel('On ConditionalCheckFailed').selectOption('stop');
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: /^Checks/ }).click();
  await expect(checkResult(page, 'charged-once')).toContainText('pass');
  await page.getByRole('tab', { name: 'State' }).click();
  await page.getByRole('button', { name: 'History of o-3', exact: true }).click();
  await expect(history.getByRole('listitem').filter({ hasText: '✓ written' })).toHaveCount(1);
  await expect(history.getByRole('listitem').filter({ hasText: '✗ refused: ConditionalCheckFailedException' })).toHaveCount(1);

  await page.getByRole('tab', { name: /^Checks/ }).click();
  await page.getByLabel('Seeds to explore').selectOption('200');
  await page.getByRole('button', { name: 'Explore 200 seeds from 1' }).click();
  const results = page.getByRole('list', { name: 'Exploration results' });
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results.getByRole('listitem', { name: 'charged-once' })).toContainText('held on 200 of 200 seeds');
});

test("the event at the playhead tells its story: the events that caused it and the CloudEvent it carries", async ({ watchedPage: page }) => {
  // "Find out why": at the second charge, the story beside the log walks back to the order
  // that was delivered twice; a cause's button moves the playhead to it, and a delivery shows
  // the EventBridge event with its CloudEvent.
  const charge = await jumpToDoubleCharge(page);
  const story = page.getByRole('complementary', { name: 'Event at the playhead' });
  await expect(story.getByRole('heading', { level: 3 })).toHaveText(new RegExp(`^#${charge} · \\d+ ms · payment-provider · externalEffect$`));
  const causes = story.getByRole('list').getByRole('button');
  await expect(causes.first()).toContainText('checkout produced com.pizza.order.placed.v1');
  await expect(causes.first()).toContainText('key=o-3');
  await expect(story).toContainText('The trace record');
  await expect(story).toContainText('"effectCount": 2');
  await page.screenshot({ path: '/tmp/run-story-effect.png' });

  const delivered = causes.filter({ hasText: ' delivered ' });
  await expect(delivered).toHaveCount(1);
  const seq = /^#(\d+)/.exec((await delivered.textContent()) ?? '')?.[1];
  await delivered.click();
  await expect(page.getByTestId('playhead')).toContainText(`#${seq} ·`);
  await expect(story.getByRole('heading', { level: 3 })).toContainText(`#${seq} · `);
  await expect(story).toContainText('The EventBridge event (its detail is the CloudEvent)');
  await expect(story).toContainText('"specversion": "1.0"');
  await expect(story).toContainText('"orderId": "o-3"');
  await expect(page.getByRole('list', { name: 'Event log' }).locator('[aria-current="true"]')).toContainText(`#${seq}`);
  await page.screenshot({ path: '/tmp/run-story-delivery.png' });
});

test('a share link carries the playhead: a fresh browser opens at the moment of the double charge', async ({ watchedPage: page, browser }) => {
  const seq = await jumpToDoubleCharge(page);
  await expect(page.getByTestId('playhead')).toContainText(`#${seq} ·`);
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link').inputValue();

  const context = await browser.newContext();
  const fresh = await context.newPage();
  const errors: string[] = [];
  fresh.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await fresh.goto(link);
  await expect(fresh.getByTestId('design-name')).toHaveText(DUPLICATES);
  // The link runs the design with its seed and puts the playhead on the same event.
  await expect(fresh.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
  await expect(fresh.getByTestId('playhead')).toContainText(`#${seq} ·`);
  const current = fresh.getByRole('list', { name: 'Event log' }).locator('[aria-current="true"]');
  await expect(current).toContainText('externalEffect');
  await expect(current).toContainText('key=o-3');
  // Edited after the run, the design no longer matches it: its link carries no playhead.
  await page.getByLabel('Seed', { exact: true }).fill('2');
  await page.getByLabel('Seed', { exact: true }).press('Enter');
  await page.getByRole('button', { name: 'Share' }).click();
  const field = page.getByRole('dialog', { name: 'Share link' }).getByLabel('Share link');
  await expect(field).not.toHaveValue(link);
  const plain = await field.inputValue();
  const other = await context.newPage();
  await other.goto(plain);
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('2');
  await expect(other.getByTestId('run-status')).not.toHaveClass(/finished/);
  expect(errors).toEqual([]);
  await context.close();
});

test('the event log filters by text and by correlation id, and a click moves the playhead', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'Event log' }).click();
  const log = page.getByRole('list', { name: 'Event log' });
  const all = await log.getByRole('listitem').count();
  await page.getByLabel('Filter events').fill('key=o-3');
  await expect(log.getByRole('listitem')).not.toHaveCount(all);
  for (const line of await log.getByRole('listitem').allTextContents()) expect(line).toContain('o-3');
  await page.getByLabel('Filter events').fill('');
  await expect(log.getByRole('listitem')).toHaveCount(all);
  await log.getByRole('listitem').nth(4).click();
  await expect(log.locator('[aria-current="true"]')).toContainText('#4');
  await expect(page.getByTestId('playhead')).toContainText('#4 ·');
});

test('the timeline draws lanes and marks, and the scrubber and marks move the playhead', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByRole('group', { name: 'Timeline' });
  await expect(timeline.getByText('charge-payment', { exact: true })).toBeVisible();
  await expect(timeline.getByText('Payment provider', { exact: true })).toBeVisible();
  await expect(timeline.locator('.mark-fault')).toHaveCount(1);
  await expect(timeline.locator('.mark-delivered').first()).toBeVisible();
  await page.getByLabel('Scrub the run').fill('10');
  await expect(page.getByTestId('playhead')).toContainText('#10 · 100 ms · orders-bus · fault');
  // The playhead's mark is the current one (only it), with the playhead line drawn through it.
  const current = timeline.locator('.mark[aria-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveClass(/mark-fault/);
  await expectLineThroughCurrent(page);
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect(page.getByTestId('playhead')).toContainText('#11 ·');
  await expect(current).toHaveCount(1);
  await expect(current.locator('title')).toContainText('#11 ');
  // Clicking a mark moves the playhead to its event.
  await timeline.locator('.mark-fault').click();
  await expect(page.getByTestId('playhead')).toContainText('#10 ·');
  await expect(current).toHaveClass(/mark-fault/);
});

test('playing a long run with the timeline shown keeps the mark of the playhead drawn and current', async ({ watchedPage: page }) => {
  // While playing, the timeline draws a window of the run that moves every 50 events, and a
  // longer one on pause; after both, the playhead's mark must be drawn, current, scrolled into
  // view and under the line.
  await playLargeDesign(page, 'Timeline', 1000);
  const playhead = page.getByTestId('playhead');
  await expect(playhead).toContainText(/^#1(1[6-9]\d|[2-9]\d\d) ·/, { timeout: 10_000 });
  const timeline = page.getByRole('group', { name: 'Timeline' });
  await expect(page.getByText('200 events shown')).toBeVisible();
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const seq = /^#(\d+)/.exec((await playhead.textContent()) ?? '')?.[1];
  await expect(page.getByText('1200 events shown')).toBeVisible();
  const current = timeline.locator('.mark[aria-current="true"]');
  await expect(current).toHaveCount(1);
  await expect(current.locator('title')).toContainText(`#${seq} `);
  // Scrolled sideways to it (lanes stay where the reader put them).
  const shown = await timeline.evaluate((scroller) => {
    const mark = scroller.querySelector('.mark[aria-current="true"]')!.getBoundingClientRect();
    const view = scroller.getBoundingClientRect();
    return mark.left >= view.left && mark.right <= view.right;
  });
  expect(shown).toBe(true);
  await expectLineThroughCurrent(page);
  await page.screenshot({ path: '/tmp/timeline-after-playing.png' });
});

test('playing a long run keeps the current line of the event log in the middle of the list', async ({ watchedPage: page }) => {
  // While playing, the log shows a window of lines placed at their own rows and scrolls by
  // arithmetic rather than measuring; whatever the step, the playhead's line must be the one
  // marked and sit in the middle of what the reader sees, and stay in view after a pause.
  await playLargeDesign(page, 'Event log', 2000);
  const list = page.getByRole('list', { name: 'Event log' });
  const samples: { seq: string; offset: number; height: number }[] = [];
  for (let i = 0; i < 12; i++) {
    await page.waitForTimeout(150);
    samples.push(
      await list.evaluate((ol) => {
        const line = ol.querySelector('[aria-current="true"]')!;
        const view = ol.parentElement!.getBoundingClientRect();
        const at = line.getBoundingClientRect();
        return {
          seq: line.getAttribute('data-seq') ?? '',
          offset: at.top + at.height / 2 - (view.top + view.height / 2),
          height: view.height,
        };
      }),
    );
  }
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  expect(new Set(samples.map((s) => s.seq)).size).toBeGreaterThan(8);
  for (const s of samples) expect(Math.abs(s.offset), JSON.stringify(s)).toBeLessThan(8);
  const seq = /^#(\d+)/.exec((await page.getByTestId('playhead').textContent()) ?? '')?.[1];
  const current = list.locator('[aria-current="true"]');
  await expect(current).toHaveAttribute('data-seq', seq!);
  await expect(current).toBeInViewport();
  await page.screenshot({ path: '/tmp/log-after-playing.png' });
});

test('the event log scrolls through the whole run, drawing only the lines in view', async ({ watchedPage: page }) => {
  // A virtual list: as tall as every line of the 81,000-event run, with only a window of lines
  // in the page. A reader who scrolls far from the playhead sees the lines there, and the
  // playhead's line again once the playhead moves.
  await runLargeDesign(page);
  await page.getByRole('tab', { name: 'Event log' }).click();
  const list = page.getByRole('list', { name: 'Event log' });
  const scroller = page.locator('.log-scroll');
  await expect(page.getByText(/^(\d+) of \1 events$/)).toBeVisible();
  expect(await list.getByRole('listitem').count()).toBeLessThanOrEqual(80);
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight; });
  const last = await page.getByLabel('Scrub the run').getAttribute('max');
  await expect(list.locator(`[data-seq="${last}"]`)).toBeInViewport();
  await scroller.evaluate((el) => { el.scrollTop = el.scrollHeight / 2; });
  // The line drawn in the middle of the view is the run's middle line.
  const atMiddle = () =>
    scroller.evaluate((el) => {
      const view = el.getBoundingClientRect();
      const hit = document.elementFromPoint(view.left + 40, view.top + view.height / 2);
      return Number(hit?.closest('[data-seq]')?.getAttribute('data-seq'));
    });
  await expect.poll(atMiddle).toBeGreaterThan(Number(last) / 2 - 20);
  expect(await atMiddle()).toBeLessThan(Number(last) / 2 + 20);
  expect(await list.getByRole('listitem').count()).toBeLessThanOrEqual(80);
  await page.getByRole('button', { name: 'Previous event' }).click();
  const seq = /^#(\d+)/.exec((await page.getByTestId('playhead').textContent()) ?? '')?.[1];
  await expect(list.locator('[aria-current="true"]')).toHaveAttribute('data-seq', seq!);
  await expect(list.locator('[aria-current="true"]')).toBeInViewport();
});

test('condition failures and retries get their own marks on the timeline', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Lost update, fixed: a version condition, retried on conflict');
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByRole('group', { name: 'Timeline' });
  await expect(timeline.locator('.mark-condition').first()).toBeVisible();
  expect(await timeline.locator('.mark-condition').count()).toBeGreaterThan(0);
  expect(await timeline.locator('.mark-retry').count()).toBeGreaterThan(0);
  await timeline.locator('.mark-condition').first().click();
  await expect(page.getByTestId('playhead')).toContainText('conditionFailed');
  await page.screenshot({ path: '/tmp/run-timeline-retries.png' });
});

test('the state tab shows the selected table\'s items at the playhead', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, FIXED);
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'State' }).click();
  const table = page.getByRole('region', { name: 'Table payments-idempotency' });
  await expect(table).toBeVisible();
  await expect(table.getByRole('heading')).not.toHaveText(/: 0 items/);
  await expect(table.getByRole('row').nth(1)).toContainText('o-1');
  await page.getByRole('button', { name: 'First event' }).click();
  await expect(page.getByText(/^Just after #0 /)).toBeVisible();
  // Before anything was written the table is empty.
  await expect(table.getByRole('heading')).toHaveText(/: 0 items/);
});

test('exploring seeds reports how often a check fails and its smallest failing case', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await page.getByRole('button', { name: 'Explore 100 seeds from 1' }).click();
  const results = page.getByRole('list', { name: 'Exploration results' });
  const charged = results.getByRole('listitem', { name: 'charged-once' });
  await expect(charged).toContainText('failed in 100 of 100 seeds', { timeout: 25_000 });
  await expect(charged).toContainText(/seed 1 fails with its one injected fault, which it needs: duplicate:/);
  await page.getByLabel('Seed', { exact: true }).fill('7');
  await page.getByLabel('Seed', { exact: true }).press('Enter');
  await charged.getByRole('button', { name: 'Run seed 1' }).click();
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('1');
  await expect(page.getByTestId('run-status')).toHaveAttribute('title', /^Seed 1: /);
});

test.describe('without the simulator', () => {
  // The offline service worker would fetch the bundle itself, past the blocked route.
  test.use({ serviceWorkers: 'block' });
  test('a simulator that cannot load says so instead of failing silently', async ({ page }) => {
    // This test uses the plain page: the blocked download itself logs a console error.
    await page.route('**/eventlab-worker_bg.wasm', (route) => route.abort());
    await page.goto('./');
    // The examples live in the simulator's bundle too: the list says why it is empty.
    await expect(page.getByRole('list', { name: 'Examples' })).toContainText(/could not be loaded/, { timeout: 20_000 });
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('run-status')).toContainText(/could not be loaded/, { timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of a run in the ${scheme} theme`, async ({ watchedPage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    await openExample(page, DUPLICATES);
    await runWithSeed(page, '1');
    await page.screenshot({ path: `/tmp/run-checks-${scheme}.png` });
    await page.getByRole('tab', { name: 'Timeline' }).click();
    await expect(page.getByRole('group', { name: 'Timeline' })).toBeVisible();
    await page.getByLabel('Scrub the run').fill('37');
    await page.screenshot({ path: `/tmp/run-timeline-${scheme}.png` });
    await page.getByRole('tab', { name: 'Event log' }).click();
    await page.screenshot({ path: `/tmp/run-log-${scheme}.png` });
    await page.getByRole('tab', { name: 'State' }).click();
    await expect(page.getByText(/^Just after #37 /)).toBeVisible();
    await page.screenshot({ path: `/tmp/run-state-${scheme}.png` });
    await page.getByRole('tab', { name: /^Checks/ }).click();
    await page.getByRole('button', { name: 'Explore 100 seeds from 1' }).click();
    await expect(page.getByRole('list', { name: 'Exploration results' })).toBeVisible({ timeout: 25_000 });
    await page.screenshot({ path: `/tmp/run-explore-${scheme}.png` });
  });
}

test('playback moves the playhead over the canvas, with badges, failures and keys', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'Event log' }).click();
  const playhead = page.getByTestId('playhead');
  // Play from the start at the fastest speed, then pause: the playhead has moved on.
  await page.getByLabel('Playback speed').selectOption('60');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await expect(playhead).toContainText(/^#([1-9]\d*) ·/);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const paused = await playhead.textContent();
  await page.waitForTimeout(300);
  await expect(playhead).toHaveText(paused ?? '');
  // The canvas rings the node of the playhead's event.
  const canvas = page.getByLabel('Design canvas', { exact: true });
  await expect(canvas.locator('.playhead-ring')).toHaveCount(1);
  // From the start, Next failure jumps to trouble: here the injected duplicate, flashed in red.
  await page.getByRole('button', { name: 'First event' }).click();
  await page.getByRole('button', { name: 'Next failure' }).click();
  await expect(playhead).toHaveText('#10 · 100 ms · orders-bus · fault');
  await expect(canvas.locator('.playhead-ring.failure')).toHaveCount(1);
  // Just after #3 (its first invocation started) the payment function has one in flight.
  await page.getByLabel('Scrub the run').fill('3');
  await expect(canvas.locator('[data-badges-for="charge-payment"]')).toContainText('▶1');
  // Every message on its way at the playhead is drawn: at the first event, the orders the
  // producer published are travelling to the bus.
  await page.getByRole('button', { name: 'First event' }).click();
  await expect(canvas.locator('.flight-dots')).toHaveAttribute('data-in-flight', /^[1-9]\d*$/);
  await page.getByLabel('Scrub the run').fill('3');
  await page.screenshot({ path: '/tmp/run-playback.png' });
  await page.getByRole('button', { name: 'Last event' }).click();
  // Keys: the arrow steps back one event; ? lists the shortcuts; Escape closes the list.
  await page.getByRole('tab', { name: 'Event log' }).click();
  const before = Number(/#(\d+)/.exec((await playhead.textContent()) ?? '')?.[1]);
  await page.locator('body').press('ArrowLeft');
  await expect(playhead).toContainText(`#${before - 1} ·`);
  await page.locator('body').press('?');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Jump to the next / previous failure');
  await page.screenshot({ path: '/tmp/run-keys.png' });
  await page.locator('body').press('Escape');
  await expect(page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
});

test("an item's history shows both writes of a lost update, and the version check refusing the loser", async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Lost update: two handlers read-modify-write one order');
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'State' }).click();
  await page.getByRole('button', { name: 'History of o-1', exact: true }).click();
  const history = page.getByRole('region', { name: 'Item history' });
  await expect(history).toContainText('History of orders orderId=o-1');
  // Both handlers wrote the version they read: two unconditional puts after the first.
  await expect(history.getByRole('listitem').filter({ hasText: 'payment-handler' })).toContainText('✓ written');
  await expect(history.getByRole('listitem').filter({ hasText: 'kitchen-handler' })).toContainText('✓ written');
  await page.screenshot({ path: '/tmp/run-history-lost.png' });

  await openExample(page, 'Lost update, fixed: a version condition, retried on conflict');
  await runWithSeed(page, '1');
  await page.getByRole('tab', { name: 'State' }).click();
  await page.getByRole('button', { name: 'History of o-1', exact: true }).click();
  const refused = history.getByRole('listitem').filter({ hasText: '✗ refused: ConditionalCheckFailedException' });
  await expect(refused.first()).toBeVisible();
  await expect(refused.first()).toContainText('if ');
  // A click on a write moves the playhead to it.
  const seq = /#(\d+)/.exec((await refused.first().textContent()) ?? '')?.[1];
  await refused.first().getByRole('button').click();
  await expect(page.getByTestId('playhead')).toContainText(`#${seq} ·`);
  await page.screenshot({ path: '/tmp/run-history-fixed.png' });
});

test('the aggregator timeline filtered to one photo shows its three results and exactly one PhotoReady', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, 'Photo aggregator: wait for three events, publish PhotoReady once');
  await runWithSeed(page, '1');
  // The first upload's correlation id, read from the event log as a person would copy it.
  await page.getByRole('tab', { name: 'Event log' }).click();
  await page.locator('.log-scroll').evaluate((el) => { el.scrollTop = 0; });
  const first = page.getByRole('list', { name: 'Event log' }).locator('[data-seq="0"]');
  const correlation = /correlation (\S+)/.exec((await first.getAttribute('title')) ?? '')?.[1];
  expect(correlation, 'the first event has a correlation id').toBeTruthy();
  await page.getByRole('tab', { name: 'Timeline' }).click();
  await page.getByLabel('Filter the timeline').fill(correlation!);
  const timeline = page.getByRole('group', { name: 'Timeline' });
  const published = (type: string) =>
    timeline.locator('.mark-published title').filter({ hasText: new RegExp(`published ${type.replace(/\./g, '\\.')} `) });
  await expect(published('com.photo.thumbnail.created.v1')).toHaveCount(1);
  await expect(published('com.photo.labels.detected.v1')).toHaveCount(1);
  await expect(published('com.photo.moderation.passed.v1')).toHaveCount(1);
  await expect(published('com.photo.ready.v1')).toHaveCount(1);
  // Nothing of the other photos: its upload, the three results and PhotoReady are all published.
  await expect(timeline.locator('.mark-published')).toHaveCount(5);
  await page.screenshot({ path: '/tmp/run-timeline-one-photo.png' });
});

test('the fixed duplicates design passes on 200 explored seeds', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, FIXED);
  await runWithSeed(page, '1');
  await page.getByLabel('Seeds to explore').selectOption('200');
  await page.getByRole('button', { name: 'Explore 200 seeds from 1' }).click();
  const results = page.getByRole('list', { name: 'Exploration results' });
  await expect(results).toBeVisible({ timeout: 60_000 });
  await expect(results.getByRole('listitem', { name: 'charged-once' })).toContainText('held on 200 of 200 seeds');
});
