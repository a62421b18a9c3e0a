// A page fixture that fails the test on any console error or uncaught exception, so a broken
// page cannot pass by accident.
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ watchedPage: import('@playwright/test').Page }>({
  watchedPage: async ({ page }, use) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
    await use(page);
    expect(problems, 'the page logged errors').toEqual([]);
  },
});

export { expect };

/** Opens an example design from the left panel, as a person does, and waits for its name. */
export async function openExample(page: import('@playwright/test').Page, name: string) {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByTestId('design-name')).toHaveText(name);
}
