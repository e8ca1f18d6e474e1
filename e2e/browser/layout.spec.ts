import { expect, test } from "@/e2e/support/fixtures";
import { saveScreenshot, shopPage } from "@/e2e/support/shop-page";

test.describe("the shop on a phone", () => {
  test.use({ viewport: { width: 375, height: 740 } });

  test("fits the screen, with labelled fields and nothing loaded from elsewhere", async ({ page, shop, baseURL }) => {
    await shop.createProduct({ name: "Phone-width cup" });
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(baseURL ?? "")) foreign.push(request.url());
    });

    await page.goto("/");
    const form = shopPage(page);
    await expect(page).toHaveTitle("Shop · Safe Orders");
    await expect(form.submit).toBeEnabled();
    await expect(form.product).toBeVisible();
    await expect(form.quantity).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(foreign).toEqual([]);
    await saveScreenshot(page, "shop-phone");
  });

  test("a long name without spaces wraps, and the answer is brought into view", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: `Extra${"long".repeat(20)}name` });
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await expect(form.stockOf(product.name)).toBeInViewport(); // not pushed out of the table's view
    await form.submit.click();

    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toBeInViewport({ ratio: 1 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // Opened again, the shop shows that confirmation where it is: no jump to it.
    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toHaveText("Order placed"); // the placed order is back
    await expect(form.status).not.toBeInViewport();
    // React runs the effects of what it has shown before it shows a change the customer
    // makes: once the change is on screen, any jump would have happened.
    await form.quantity.selectOption("2");
    await expect(page.getByText(/^Total:/)).toHaveText("Total: €20.00");
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
  });

  test("the stock, added to the confirmation in view, keeps all of it in view", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Low-fold dripper" });
    const form = shopPage(page);
    await page.setViewportSize({ width: 375, height: 500 }); // the answer lands below the fold
    let releaseStock = () => {};
    const stockHeld = new Promise<void>((resolve) => (releaseStock = resolve));
    await page.goto(`/?product=${product.id}`);
    await page.route("**/api/products", async (route) => {
      await stockHeld;
      await route.continue();
    });

    await form.submit.click();
    await expect(form.another).toBeInViewport({ ratio: 1 }); // brought into view, at the bottom
    releaseStock();
    await expect(form.status).toContainText("left in stock."); // a line longer now
    await expect(form.another).toBeInViewport({ ratio: 1 });
  });

  test("the orders page: a card for each order, with nothing out of view sideways", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Pocket-sized grinder" });
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    const [order] = await shop.ordersFor(product.id);

    await form.status.getByRole("link", { name: "See your orders" }).click();
    const row = page.getByRole("row").filter({ hasText: product.name });
    // Still a table to screen readers, every cell in view without scrolling sideways.
    await expect(row.getByRole("cell", { name: order?.id ?? "no order" })).toBeInViewport({ ratio: 1 });
    await expect(row.getByRole("cell").filter({ has: page.locator("time") })).toBeInViewport({ ratio: 1 });
    const sideways = await page
      .getByRole("region", { name: "Your orders" })
      .evaluate((list) => list.scrollWidth - list.clientWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await saveScreenshot(page, "orders-phone");
  });
});

test("an address the shop does not have: a page that says so, in the shop's own look, with the way back", async ({
  page,
}) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Safe Orders");
  await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: "Go to the shop" }).click();
  await expect(page).toHaveTitle("Shop · Safe Orders");
});

test("a sold-out product is not the one preselected", async ({ page, shop }) => {
  // "!!!" sorts before every other name (other tests' too): this product is listed first.
  const soldOut = await shop.createProduct({ name: "!!!Sold-out first", stock: 0 });
  await shop.createProduct({ name: "In-stock later", stock: 3 });
  const form = shopPage(page);

  await page.goto("/");

  await expect(form.submit).toBeEnabled(); // hydrated
  await expect(form.product).not.toHaveValue(soldOut.id);
  await expect(form.product.getByRole("option").first()).toHaveText(/^!!!Sold-out first .*sold out/);
});

test("the orders page lists the customer's orders", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Listed teapot", stock: 5, priceCents: 2000 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await form.quantity.selectOption("2");
  await form.submit.click();
  await expect(form.status).toContainText("Order confirmed");

  await form.status.getByRole("link", { name: "See your orders" }).click();
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  await expect(page).toHaveTitle("Your orders · Safe Orders");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Your orders" })).toHaveAttribute("aria-current", "page");
  const [order] = await shop.ordersFor(product.id);
  const row = page.getByRole("row").filter({ hasText: "Listed teapot" });
  await expect(row).toContainText(order?.id ?? "no order");
  await expect(row).toContainText("€40.00");
  await expect(row).toContainText("Confirmed");
});

test("asking for more than the stock shown says so before the order is sent", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Scarce filter", stock: 3 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);

  await form.quantity.selectOption("4");
  await expect(form.quantity).toHaveAccessibleDescription("Only 3 left in stock.");
  await form.quantity.selectOption("3");
  await expect(form.quantity).toHaveAccessibleDescription("");

  // Beside the confirmation of the last three, no warning that it is now sold out.
  await form.submit.click();
  await expect(form.status).toContainText("Order confirmed");
  await expect(form.stockOf("Scarce filter")).toHaveText("0");
  await expect(form.quantity).toHaveAccessibleDescription("");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the shop says that it needs it", async ({ page }) => {
    await page.goto("/");
    // (getByText does not look inside <noscript>; getByRole does.)
    await expect(page.getByRole("paragraph").filter({ hasText: "This shop needs JavaScript" })).toBeVisible();
    await expect(shopPage(page).submit).toBeDisabled();
    await expect(page.getByText("Loading the shop…")).toBeHidden(); // it never will
    await expect(shopPage(page).submit).toHaveAccessibleDescription(
      "Placing orders needs JavaScript, which is turned off in this browser.",
    );
  });
});

test("scripts that never arrive: after a while the page says to reload", async ({ page }) => {
  await page.route("**/_next/static/**/*.js", (route) => route.abort("connectionreset"));
  await page.goto("/");
  const form = shopPage(page);
  await expect(page.getByText("Loading the shop…")).toBeVisible();
  await expect(page.getByText("Taking long? Reload the page.")).toBeHidden();
  await expect(form.submit).toHaveAccessibleDescription("Loading the shop…");

  // Ten seconds later, as the page's clock goes (the hint is a CSS animation's end).
  await page.evaluate(() => document.getAnimations().forEach((animation) => animation.finish()));
  await expect(page.getByText("Taking long? Reload the page.")).toBeVisible();
  await expect(form.submit).toHaveAccessibleDescription("Loading the shop… Taking long? Reload the page.");
  await expect(form.submit).toBeDisabled();
});

test.describe("a browser that refuses cookies", () => {
  // As Chromium reports it when the customer blocks cookies for the site. (Playwright
  // cannot block them in Chromium; the page goes by navigator.cookieEnabled alone.)
  test.beforeEach(async ({ page }) => {
    await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "cookieEnabled", { get: () => false }));
  });

  test("is told that the shop needs them, and cannot send an order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Cookieless mug" });
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);

    await expect(form.product).toBeEnabled(); // hydrated
    await expect(form.submit).toBeDisabled();
    await expect(form.submit).toHaveAccessibleDescription(/^This shop needs cookies to place orders/);
    // A submit that does not come from the button. The form would call fetch within it.
    const fetched = await form.form.evaluate((element: HTMLFormElement) => {
      let calls = 0;
      const fetch = window.fetch;
      window.fetch = (...args) => (calls++, fetch(...args));
      element.requestSubmit();
      window.fetch = fetch;
      return calls;
    });
    expect(fetched).toBe(0);
    await expect(form.status).toBeEmpty();
    expect(await shop.ordersFor(product.id)).toHaveLength(0);
  });
});

test("the preselected product stays when a refresh shows it sold out", async ({ page, shop }) => {
  // "!!" sorts before every other name but sold-out "!!!…": this product is the first one in stock.
  const first = await shop.createProduct({ name: "!!Preselected kettle", stock: 1 });
  await shop.createProduct({ name: "In-stock later", stock: 3 });
  const form = shopPage(page);
  await page.goto("/");
  await expect(form.submit).toBeEnabled(); // hydrated
  await expect(form.product).toHaveValue(first.id);

  // Someone else buys it; the page refreshes its stock when the tab is shown again.
  await shop.setStock(first.id, 0);
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect(form.stockOf("!!Preselected kettle")).toHaveText("0");

  await expect(form.product).toHaveValue(first.id); // not switched under the customer's eyes
});

test.describe("a customer in India", () => {
  test.use({ timezoneId: "Asia/Kolkata", locale: "en-GB" });

  test("sees when an order was placed in their own time", async ({ page, shop, db }) => {
    const product = await shop.createProduct({ name: "Timed teapot" });
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");

    await page.goto("/orders");
    const { createdAt } = await db.order.findFirstOrThrow({
      where: { productId: product.id },
      select: { createdAt: true },
    });
    // India is 5 h 30 min ahead of UTC: the minutes differ too.
    const local = createdAt.toLocaleTimeString("en-GB", {
      timeZone: "Asia/Kolkata",
      hour: "2-digit",
      minute: "2-digit",
    });
    // The "Placed" column.
    const placed = page.getByRole("row").filter({ hasText: "Timed teapot" }).getByRole("cell").nth(3);
    await expect(placed).toContainText(local);
    await expect(placed).not.toContainText("UTC");
  });
});
