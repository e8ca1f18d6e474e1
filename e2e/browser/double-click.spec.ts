import type { Page } from "@playwright/test";
import { expect, test, type Shop } from "@/e2e/support/fixtures";
import { holdOrderPosts, pendingLabel, saveScreenshot, shopPage } from "@/e2e/support/shop-page";

/**
 * Opens the shop on a new product (5 in stock), recording the order requests but
 * holding none: an answer can come back between two clicks or key presses.
 */
async function openWithQuickAnswers(page: Page, shop: Shop, name: string) {
  const product = await shop.createProduct({ name, stock: 5 });
  const posts = await holdOrderPosts(page);
  posts.release();
  await page.goto(`/?product=${product.id}`);
  return { product, posts, form: shopPage(page) };
}

/**
 * After one order: places a second one on purpose, and checks that nothing else was
 * sent before it (requests go out in order): two requests with two keys, two orders.
 */
async function expectOnlyADeliberateSecondOrder(
  { product, posts, form }: Awaited<ReturnType<typeof openWithQuickAnswers>>,
  shop: Shop,
) {
  await form.submit.click();
  await expect(form.status).toContainText("3 left in stock.");
  expect(posts.requests).toHaveLength(2);
  expect(new Set(posts.keys()).size).toBe(2);
  expect(await shop.ordersFor(product.id)).toHaveLength(2);
}

test.describe("the client guard", () => {
  test("a double click sends one request and places one order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Double-click mug", stock: 5, priceCents: 1200 });
    const posts = await holdOrderPosts(page);
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toBeEnabled(); // hydrated
    await saveScreenshot(page, "shop");

    await form.submit.dblclick();
    await expect(form.submit).toBeDisabled();
    await expect(form.submit).toHaveText(pendingLabel);
    await expect(form.form).toHaveAttribute("aria-busy", "true");
    await saveScreenshot(page, "pending");

    posts.release();
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("1 × Double-click mug for €12.00. 4 left in stock.");
    await expect(form.stockOf("Double-click mug")).toHaveText("4");
    await expect(form.submit).toHaveText("Order placed");
    // A keyboard user is taken to the answer; pressing a key again there does nothing.
    await expect(form.status.getByRole("heading", { name: "Order confirmed" })).toBeFocused();
    await saveScreenshot(page, "confirmation");

    expect(posts.requests).toHaveLength(1);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a second click that lands after the answer places no second order", async ({ page, shop }) => {
    const opened = await openWithQuickAnswers(page, shop, "Quick-answer jar");
    const { form } = opened;

    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    // Where the second click of the double click lands, the button stays disabled...
    await expect(form.submit).toBeDisabled();
    // ...and a submit that gets past it (as one could, in the moment before React
    // disables it) is ignored.
    await form.form.evaluate((element: HTMLFormElement) => element.requestSubmit());

    // Ordering the same again takes a deliberate step, and is a new order with a new key.
    await form.another.click();
    await expect(form.product).toBeFocused();
    await expectOnlyADeliberateSecondOrder(opened, shop);
  });

  test("a key pressed again and again after the answer places no second order", async ({ page, shop }) => {
    const opened = await openWithQuickAnswers(page, shop, "Keyboard-held grinder");
    const { form } = opened;

    await form.submit.focus();
    await page.keyboard.press("Enter");
    await expect(form.status).toContainText("Order confirmed");
    // Where the next presses land: on the answer, with the button behind it shut.
    await expect(form.status.getByRole("heading", { name: "Order confirmed" })).toBeFocused();
    await expect(form.submit).toBeDisabled();
    for (let i = 0; i < 3; i++) await page.keyboard.press("Enter");
    await page.keyboard.press("Space");

    await expect(form.status).toContainText("Order confirmed"); // still there, not cleared
    await form.another.click();
    await expectOnlyADeliberateSecondOrder(opened, shop);
  });

  test("a browser that leaves the focus on the disabled button still takes the keyboard user to the answer", async ({
    page,
    shop,
  }) => {
    // Chromium moves the focus off a button that is disabled; other browsers leave it
    // there, where keys do nothing. Make this one report it so.
    await page.addInitScript(() => {
      let focused: Element | null = null;
      document.addEventListener("focusin", (event) => (focused = event.target as Element), true);
      const real = Object.getOwnPropertyDescriptor(Document.prototype, "activeElement")?.get;
      Object.defineProperty(Document.prototype, "activeElement", {
        get(this: Document) {
          const active = real?.call(this) as Element | null;
          return active === this.body && focused instanceof HTMLButtonElement && focused.disabled ? focused : active;
        },
      });
    });
    const { form } = await openWithQuickAnswers(page, shop, "Focus-keeping kettle");

    await form.submit.focus();
    await page.keyboard.press("Enter");
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status.getByRole("heading", { name: "Order confirmed" })).toBeFocused();
  });

  test("a key pressed twice on 'Place another order' starts a new order, and does not place it", async ({
    page,
    shop,
  }) => {
    const opened = await openWithQuickAnswers(page, shop, "Twice-pressed cup");
    const { form } = opened;
    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");

    await form.another.focus();
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await expect(form.product).toBeFocused(); // where the next order is made up
    await expect(form.submit).toHaveText("Place order");
    await expectOnlyADeliberateSecondOrder(opened, shop);
  });

  test("changing the order after a confirmation makes the button place it", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Second-choice scale", stock: 5 });
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);

    await form.submit.click();
    await expect(form.submit).toHaveText("Order placed");
    await form.quantity.selectOption("2");
    await expect(form.status).toBeEmpty();
    await form.submit.click();
    await expect(form.status).toContainText("2 × Second-choice scale");
    expect((await shop.ordersFor(product.id)).map((order) => order.quantity).sort()).toEqual([1, 2]);
  });

  test("two submits in the same instant, before React re-renders the button, send one request", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Same-frame cup", stock: 5 });
    const posts = await holdOrderPosts(page);
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toBeEnabled();

    // Both submits run in one task, so the button is still enabled for the second.
    await form.form.evaluate((element: HTMLFormElement) => {
      element.requestSubmit();
      element.requestSubmit();
    });
    posts.release();

    await expect(form.status).toContainText("Order confirmed");
    expect(posts.requests).toHaveLength(1);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("ten rapid clicks, the first ones before hydration, place one order and never submit natively", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Rapid-click kettle", stock: 5 });
    const posts = await holdOrderPosts(page);
    const form = shopPage(page);

    // Hold the page's JavaScript, so React cannot hydrate until we let it.
    const scripts: (() => void)[] = [];
    let scriptsReleased = false;
    await page.route("**/_next/static/**/*.js", async (route) => {
      if (!scriptsReleased) await new Promise<void>((resolve) => scripts.push(resolve));
      await route.continue();
    });
    const documentRequests: string[] = [];
    page.on("request", (request) => {
      if (request.isNavigationRequest()) documentRequests.push(`${request.method()} ${request.url()}`);
    });

    await page.goto(`/?product=${product.id}`, { waitUntil: "domcontentloaded" });
    const shopUrl = page.url();
    for (let i = 0; i < 5; i++) await form.submit.click({ force: true, noWaitAfter: true });
    // The fields wait too: React would reset a choice made now, and send another order.
    await expect(form.quantity).toBeDisabled();
    await expect(form.product).toBeDisabled();
    await expect(form.submit).toHaveAccessibleDescription("Loading the shop…"); // and the page says why

    scriptsReleased = true;
    for (const resume of scripts.splice(0)) resume();
    await expect(form.submit).toBeEnabled();
    await expect(page.getByText("Loading the shop…")).toBeHidden();
    for (let i = 0; i < 5; i++) await form.submit.click({ force: true, noWaitAfter: true });

    posts.release();
    await expect(form.status).toContainText("Order confirmed");
    expect(posts.requests).toHaveLength(1);
    expect(documentRequests).toEqual([`GET ${shopUrl}`]); // no native submission loaded the page again
    expect(page.url()).toBe(shopUrl);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });
});
