// Every state of the shop and the orders page, checked against WCAG 2.1 A and AA
// with axe (contrast, labels, roles, names, landmarks): on a desktop and on a phone.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

/**
 * The rules the page breaks, with the elements that break them: empty when all is well.
 * A contrast that axe cannot work out counts as broken: it would otherwise go unchecked.
 * (The tables' scroll shadows are gradients, which axe cannot see through: they are
 * taken away for the check, and the text is checked against the card beneath.)
 */
async function violationsOn(page: Page) {
  // After an order the form refreshes the page's data (router.refresh), and Next puts
  // the title back once the refreshed page has arrived: check the page as it then is.
  await expect(page).toHaveTitle(/ · Safe Orders$/);
  await page.addStyleTag({ content: ".table-scroll { background: var(--surface) !important; }" });
  const { violations, incomplete } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const unsure = incomplete.filter((result) => result.id === "color-contrast");
  return [...violations, ...unsure].map(({ id, help, nodes }) => ({
    id,
    help,
    targets: nodes.map((node) => node.target.join(" ")),
  }));
}

// An axe run takes seconds on two busy cores, and a test here makes up to five.
test.describe.configure({ timeout: 90_000 });

for (const { device, viewport } of [
  { device: "a desktop", viewport: { width: 1280, height: 800 } },
  { device: "a phone", viewport: { width: 375, height: 740 } },
]) {
  test.describe(`on ${device}`, () => {
    test.use({ viewport });

    test("the shop, an order pending, placed, and the orders page", async ({ page, shop }) => {
      const product = await shop.createProduct({ name: `Accessible kettle (${device})`, stock: 3 });
      const form = shopPage(page);
      const posts = await holdOrderPosts(page);
      await page.clock.install();
      await page.goto(`/?product=${product.id}`);
      await expect(form.submit).toBeEnabled();
      expect(await violationsOn(page)).toEqual([]);

      await form.quantity.selectOption("5"); // more than the stock: a hint says so
      await expect(form.quantity).toHaveAccessibleDescription("Only 3 left in stock.");
      expect(await violationsOn(page)).toEqual([]);

      await form.quantity.selectOption("1");
      // Time stands still while the pending state is read (it says more after five
      // seconds), and moves again for axe, which needs timers: once, on the state after
      // five seconds, which looks the same but for the words, and then shows them.
      await page.clock.pauseAt(Date.now() + 60_000);
      await form.submit.click();
      await expect(form.submit).toHaveText("Placing order…");
      // Read out by the status region (a disabled button's new label is not), but not
      // shown a second time.
      await expect(form.status).toHaveText("Placing your order…");
      await expect(form.status).toHaveAttribute("aria-live", "polite");
      expect(await form.status.getByText("Placing your order…").boundingBox()).toMatchObject({ width: 1, height: 1 });

      await page.clock.fastForward(5_000); // a slow answer: said on screen
      await expect(form.status).toHaveText("The shop is taking longer than usual to answer. Still waiting…");
      await page.clock.resume();
      expect(await violationsOn(page)).toEqual([]);

      posts.release();
      await expect(form.status).toContainText("2 left in stock.");
      expect(await violationsOn(page)).toEqual([]);

      await form.status.getByRole("link", { name: "See your orders" }).click();
      await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
      await expect(page.getByRole("row").filter({ hasText: product.name })).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);
    });

    test("an order refused, an order not confirmed, and an empty orders page", async ({ page, shop }) => {
      const soldOut = await shop.createProduct({ name: `Accessible sold-out mug (${device})`, stock: 0 });
      const form = shopPage(page);
      await page.route("**/api/orders", (route) =>
        route.request().method() === "POST" ? route.abort("connectionreset") : route.fallback(),
      );
      await page.goto("/orders");
      await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);

      await page.goto(`/?product=${soldOut.id}`);
      await form.submit.click();
      await expect(form.status).toContainText("Order not confirmed");
      await expect(form.retry).toBeEnabled();
      expect(await violationsOn(page)).toEqual([]);

      await page.unroute("**/api/orders");
      await form.retry.click();
      await expect(form.status).toContainText(`${soldOut.name} is sold out.`);
      expect(await violationsOn(page)).toEqual([]);
    });

    test("the shop with the client guard off, and the page for an address that does not exist", async ({ page }) => {
      await page.goto("/?guard=off");
      await expect(page.getByText("Client guard off.")).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);

      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      expect(await violationsOn(page)).toEqual([]);
    });
  });
}
