// The fault panel as a facilitator uses it: open an example, open "Faults", turn faults off and
// on with the number fields and the sliders, run and see the effect in the checks and the event
// log; add a scripted crash, read it as a sentence, edit its step (a bad step keeps its text and
// says why), remove it; undo restores the previous faults, one step per slider gesture, and a
// reload keeps them. Also: keyboard only, read-only in exercise mode, and screenshots of the
// panel in light and dark themes at 1280x800, written to /tmp like the other specs' pictures.
import { test, expect, openExample } from './fixtures';
import type { Page } from '@playwright/test';

const DUPLICATES = 'Duplicates: the payment handler charges twice';
const SCRIPTED_DUPLICATE = 'Deliver the 3rd com.pizza.order.placed.v1 twice';

const faultsButton = (page: Page) => page.getByRole('button', { name: /^Faults: / });
const panel = (page: Page) => page.getByRole('dialog', { name: 'Faults' });
const scripted = (page: Page) => panel(page).getByRole('list', { name: 'Scripted faults' });

async function openPanel(page: Page) {
  await faultsButton(page).click();
  await expect(panel(page)).toBeVisible();
}

async function run(page: Page) {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByTestId('run-status')).toHaveClass(/finished/, { timeout: 20_000 });
}

/** Types into a field and presses Enter, as a person commits a value. */
async function typeInto(page: Page, label: string, text: string) {
  const field = panel(page).getByLabel(label, { exact: true });
  await field.fill(text);
  await field.press('Enter');
}

test('random faults set in the panel change the run, undo restores them and a reload keeps them', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  // The example has 5% duplicates, up to 40 ms delay and one scripted duplicate.
  await expect(faultsButton(page)).toHaveText('Faults: 3');
  await openPanel(page);
  await expect(panel(page).getByText('5% of deliveries delivered twice (1 in 20)')).toBeVisible();
  await expect(panel(page).getByText('Up to 40 ms extra delay per delivery')).toBeVisible();

  // Turn every fault off: remove the scripted one, type 0, and take the delay slider home.
  await scripted(page).getByRole('listitem', { name: SCRIPTED_DUPLICATE }).getByRole('button', { name: 'Remove' }).click();
  await expect(scripted(page).getByRole('listitem')).toHaveCount(0);
  await typeInto(page, 'Duplicate deliveries in percent', '0');
  const delay = panel(page).getByRole('slider', { name: 'Extra delivery delay' });
  await delay.focus();
  await delay.press('Home');
  await expect(panel(page).getByLabel('Extra delivery delay in milliseconds')).toHaveValue('0');
  await expect(faultsButton(page)).toHaveText('Faults: off');
  // Pressing Run closes the panel, so the run's views are not under it.
  await run(page);
  await expect(panel(page)).toHaveCount(0);
  await expect(page.getByTestId('run-status')).toContainText('all checks pass');

  // Half the deliveries twice: the check fails and the event log shows the duplicates.
  await openPanel(page);
  await typeInto(page, 'Duplicate deliveries in percent', '50');
  await expect(panel(page).getByText('50% of deliveries delivered twice (1 in 2)')).toBeVisible();
  await expect(faultsButton(page)).toHaveText('Faults: 1');
  await run(page);
  await expect(page.getByTestId('run-status')).toContainText('1 failed');
  await page.getByRole('tab', { name: 'Event log' }).click();
  await page.getByLabel('Filter events').fill('is duplicated');
  await expect(page.getByRole('list', { name: 'Event log' }).getByRole('listitem').first()).toContainText('fault');

  // A typed value that is not a percentage keeps its text and says what to type.
  await openPanel(page);
  await typeInto(page, 'Duplicate deliveries in percent', '150');
  await expect(panel(page).getByRole('alert')).toHaveText('Enter a percentage from 0 to 100, such as 2.5.');
  await expect(panel(page).getByLabel('Duplicate deliveries in percent', { exact: true })).toHaveValue('150');
  await expect(faultsButton(page)).toHaveText('Faults: 1');

  // A slider dragged across many values is one undo step.
  const slider = panel(page).getByRole('slider', { name: 'Crash after a step' });
  const box = (await slider.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  for (const share of [0.1, 0.2, 0.3, 0.4]) await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
  await page.mouse.up();
  await expect(panel(page).getByLabel('Crash after a step in percent')).not.toHaveValue('0');
  await expect(faultsButton(page)).toHaveText('Faults: 2');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(panel(page).getByLabel('Crash after a step in percent')).toHaveValue('0');
  await expect(faultsButton(page)).toHaveText('Faults: 1');
  // One more undo takes duplicates back from 50% to 0.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(panel(page).getByLabel('Duplicate deliveries in percent', { exact: true })).toHaveValue('0');
  await expect(faultsButton(page)).toHaveText('Faults: off');
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(faultsButton(page)).toHaveText('Faults: 1');

  // The autosave keeps the faults across a reload.
  await page.reload();
  await expect(page.getByTestId('design-name')).toHaveText(DUPLICATES);
  await expect(faultsButton(page)).toHaveText('Faults: 1');
  await openPanel(page);
  await expect(panel(page).getByLabel('Duplicate deliveries in percent', { exact: true })).toHaveValue('50');
  await expect(scripted(page).getByRole('listitem')).toHaveCount(0);
});

test('a scripted crash is added, read as a sentence, edited, run and removed', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await openPanel(page);
  await scripted(page).getByRole('listitem', { name: SCRIPTED_DUPLICATE }).getByRole('button', { name: 'Remove' }).click();
  await typeInto(page, 'Duplicate deliveries in percent', '0');
  await expect(faultsButton(page)).toHaveText('Faults: 1');

  await panel(page).getByRole('group', { name: 'Add scripted fault' }).getByRole('button', { name: 'Crash a function' }).click();
  const crash = scripted(page).getByRole('listitem', { name: 'Crash charge-payment after step 1 on attempt 1' });
  await expect(crash).toBeVisible();
  await expect(faultsButton(page)).toHaveText('Faults: 2');

  // Step 0 is not a step: the text stays and the field says why; nothing changes.
  const step = crash.getByLabel('After step');
  await step.fill('0');
  await step.press('Enter');
  await expect(crash.getByRole('alert')).toHaveText('Steps start at 1.');
  await expect(step).toHaveValue('0');
  // A step past the handler's end is kept, with a warning on the row.
  await step.fill('5');
  await step.press('Enter');
  const later = scripted(page).getByRole('listitem', { name: 'Crash charge-payment after step 5 on attempt 1' });
  await expect(later).toContainText('charge-payment has 2 steps, so step 5 never runs.');
  await later.getByLabel('After step').fill('2');
  await later.getByLabel('After step').press('Enter');
  const second = scripted(page).getByRole('listitem', { name: 'Crash charge-payment after step 2 on attempt 1' });
  await expect(second).toBeVisible();
  await expect(second.locator('.field-error')).toHaveCount(0);
  // Named by its label alone, not its label and chosen option run together.
  await expect(second.getByRole('combobox', { name: 'Function', exact: true })).toHaveValue('charge-payment');

  // The crash after the charge makes Lambda retry it: the provider charges twice.
  await run(page);
  await expect(page.getByTestId('run-status')).toContainText('1 failed');
  await page.getByRole('tab', { name: 'Event log' }).click();
  await page.getByLabel('Filter events').fill('crashes after step s2');
  await expect(page.getByRole('list', { name: 'Event log' }).getByRole('listitem').first()).toContainText('charge-payment');

  await openPanel(page);
  await second.getByRole('button', { name: 'Remove' }).click();
  await expect(scripted(page).getByRole('listitem')).toHaveCount(0);
  await expect(panel(page).getByText('None.')).toBeVisible();
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(second).toBeVisible();
  await expect(faultsButton(page)).toHaveText('Faults: 2');
});

test('the panel works from the keyboard and Escape gives focus back to the button', async ({ watchedPage: page }) => {
  await page.goto('./');
  await openExample(page, DUPLICATES);
  await faultsButton(page).focus();
  await page.keyboard.press('Enter');
  await expect(panel(page)).toBeVisible();
  await expect(faultsButton(page)).toHaveAttribute('aria-expanded', 'true');
  // The panel follows the button: Tab reaches its Close button, then the first slider.
  await page.keyboard.press('Tab');
  await expect(panel(page).getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Tab');
  const duplicates = panel(page).getByRole('slider', { name: 'Duplicate deliveries' });
  await expect(duplicates).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(panel(page).getByText('5.1% of deliveries delivered twice (about 1 in 20)')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await expect(faultsButton(page)).toBeFocused();
  // The arrow key was one edit.
  await page.getByRole('button', { name: 'Undo' }).click();
  await openPanel(page);
  await expect(panel(page).getByText('5% of deliveries delivered twice (1 in 20)')).toBeVisible();
  // The heading is only words; Close closes and gives focus back to the button.
  await panel(page).getByRole('heading', { name: 'Faults', exact: true }).click();
  await expect(panel(page)).toBeVisible();
  await panel(page).getByRole('button', { name: 'Close' }).click();
  await expect(panel(page)).toHaveCount(0);
  await expect(faultsButton(page)).toBeFocused();
});

test('in exercise mode the faults are shown, not edited', async ({ watchedPage: page }) => {
  await page.goto('./');
  const list = page.getByRole('dialog', { name: 'Exercises' });
  await list.getByRole('button', { name: /Duplicates: charge once/ }).click();
  await expect(page.getByTestId('design-name')).toHaveText('5. Duplicates: charge once');
  await openPanel(page);
  await expect(panel(page).getByRole('note')).toContainText('This exercise fixes its faults');
  await expect(panel(page).getByRole('slider', { name: 'Duplicate deliveries' })).toBeDisabled();
  await expect(panel(page).getByLabel('Duplicate deliveries in percent')).toBeDisabled();
  await expect(panel(page).getByRole('group', { name: 'Add scripted fault' })).toHaveCount(0);
  await expect(scripted(page).getByRole('listitem', { name: SCRIPTED_DUPLICATE })).toBeVisible();
  await expect(scripted(page).getByRole('button')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the fault panel in the ${scheme} theme`, async ({ watchedPage: page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./');
    await openExample(page, DUPLICATES);
    await openPanel(page);
    await page.screenshot({ path: `/tmp/faults-panel-${scheme}.png` });
    await panel(page).getByRole('group', { name: 'Add scripted fault' }).getByRole('button', { name: 'Crash a function' }).click();
    const crash = scripted(page).getByRole('listitem', { name: /^Crash charge-payment/ });
    await crash.getByLabel('After step').fill('0');
    await crash.getByLabel('After step').press('Enter');
    await panel(page).evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.screenshot({ path: `/tmp/faults-scripted-${scheme}.png` });
    await page.keyboard.press('Escape');
    await run(page);
    await page.screenshot({ path: `/tmp/faults-button-${scheme}.png`, clip: { x: 0, y: 0, width: 1280, height: 70 } });
  });
}
