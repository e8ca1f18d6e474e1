// What the customer sees once an order is placed: the confirmation at once, then the
// stock it changed, and pages kept for the Back button that are no longer out of date.
import type { Page, Route } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, pendingLabel, shopPage } from "@/e2e/support/shop-page";

test("the confirmation shows as soon as the order is placed, before the new stock arrives", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Slow-stock grinder", stock: 5 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await expect(form.submit).toBeEnabled();

  // Hold the stock the form asks for after the order.
  let held = true;
  const waiting: (() => void)[] = [];
  await page.route("**/api/products", async (route) => {
    if (held) await new Promise<void>((resolve) => waiting.push(resolve));
    await route.continue();
  });
  await form.submit.click();
  await expect(form.status).toContainText("Order confirmed");
  await expect(form.status).toContainText("1 × Slow-stock grinder for €10.00.");
  await expect(form.status).not.toContainText("left in stock");
  await expect(form.submit).toHaveText("Order placed");

  held = false;
  for (const resume of waiting.splice(0)) resume();
  await expect(form.status).toContainText("1 × Slow-stock grinder for €10.00. 4 left in stock.");
  await expect(form.stockOf("Slow-stock grinder")).toHaveText("4");
});

test("a stock refresh in a shape the page does not know is ignored: the confirmation stays, and the next refresh shows the stock", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Odd-answer tin", stock: 5 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await expect(form.submit).toBeEnabled();
  let refreshes = 0;
  await page.route("**/api/products", async (route) => {
    // The first as a misconfigured cache or proxy might answer: a 200, but no product list.
    if (++refreshes === 1) return route.fulfill({ json: { products: {} } });
    await route.continue();
  });

  await form.submit.click();
  await expect(form.status).toContainText("Order confirmed");
  await expect.poll(() => refreshes).toBe(1);
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange"))); // the tab shown again
  await expect(form.stockOf("Odd-answer tin")).toHaveText("4");
  await expect(form.status).toContainText("1 × Odd-answer tin for €10.00.");
  await expect(form.submit).toHaveText("Order placed");
});

for (const when of ["once the stock after it is shown", "before the stock after it arrives"]) {
  test(`another order after buying the last one starts on a product in stock, ${when}`, async ({ page, shop }) => {
    const product = await shop.createProduct({ name: `Last-one vase (${when})`, stock: 2 });
    await shop.createProduct({ name: "Plenty-left vase", stock: 5 }); // a product in stock, whatever else is listed
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("2");
    let stockComes = () => {};
    if (when.startsWith("before")) {
      const stockHeld = new Promise<void>((resolve) => (stockComes = resolve));
      await page.route("**/api/products", async (route) => {
        await stockHeld;
        await route.continue();
      });
    }
    await form.submit.click();
    await expect(form.status).toContainText(when.startsWith("before") ? "Order confirmed" : "Now sold out.");

    await form.another.click();
    await expect(form.product).not.toHaveValue(product.id);
    await expect(form.quantity).toHaveValue("1");
    await expect(form.submit).toHaveText("Place order");
    // (Before the stock arrives, the form knows only the stock it showed before the
    // order: another test's product, sold out or removed meanwhile, may still be listed
    // as in stock, and be the one chosen.)
    if (when.startsWith("once")) await expect(form.product.locator("option:checked")).not.toContainText("sold out");
    stockComes();
  });
}

test("another order, asked for after a reload, is the same again while the stock lasts", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Reordered vase", stock: 4 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await form.quantity.selectOption("2");
  await form.submit.click();
  await expect(form.status).toContainText("2 left in stock.");

  await page.reload(); // the stock shown is the one after the order now
  await expect(form.stockOf(product.name)).toHaveText("2");
  await form.another.click();
  await expect(form.product).toHaveValue(product.id);
  await expect(form.quantity).toHaveValue("2");
  await expect(form.submit).toHaveText("Place order");
});

test("a stock refresh that arrives late does not overwrite a newer one", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Overtaken scale", stock: 5 });
  const form = shopPage(page);
  // Counts the stock answers the page has read, and keeps every stock the table showed.
  await page.addInitScript(() => {
    const seen = { read: 0, shown: [] as string[] };
    Object.assign(window, { seen });
    const fetch = window.fetch;
    window.fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes("/api/products")) return response;
      const json = response.json.bind(response);
      return Object.assign(response, {
        json: () => json().finally(() => queueMicrotask(() => seen.read++)),
      });
    };
    new MutationObserver(() => {
      const cell = [...document.querySelectorAll("tr")].find((row) => row.textContent?.startsWith("Overtaken scale"));
      const stock = cell?.lastElementChild?.textContent;
      if (stock && stock !== seen.shown.at(-1)) seen.shown.push(stock);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const seen = () => page.evaluate(() => (window as unknown as { seen: { read: number; shown: string[] } }).seen);
  await page.goto(`/?product=${product.id}`);
  await expect(form.submit).toBeEnabled();

  // The stock fetched after the first order is held until the second order's is shown.
  let releaseFirst: (() => void) | undefined;
  const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let refreshes = 0;
  await page.route("**/api/products", async (route) => {
    const response = await route.fetch(); // the stock as it is now (4 left)...
    if (++refreshes === 1) await firstHeld; // ...delivered after the next order's (3 left)
    await route.fulfill({ response });
  });

  await form.submit.click();
  await expect(form.submit).toHaveText("Order placed");
  await form.another.click();
  await form.submit.click();
  await expect(form.status).toContainText("3 left in stock.");
  await expect(form.stockOf("Overtaken scale")).toHaveText("3");

  releaseFirst?.();
  await expect.poll(async () => (await seen()).read).toBe(2); // the late answer has been read
  // A refresh asked for after that shows the stock as it is now; had the late answer
  // been shown, the table would have shown its 4 in between.
  await shop.setStock(product.id, 2);
  await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
  await expect(form.stockOf("Overtaken scale")).toHaveText("2");
  expect((await seen()).shown).toEqual(["5", "3", "2"]);
  // Nor does it take the stock off the confirmation on screen, the second order's.
  await expect(form.status).toContainText("1 × Overtaken scale for €10.00. 3 left in stock.");
});

/**
 * Orders `quantity` of a product, and while the order is held on its way, goes to
 * "Your orders", in the page (no reload). Returns the hold on the order's request,
 * which, once released, goes to the server (or to `forward`).
 */
async function sendThenOpenTheOrdersPage(
  page: Page,
  productId: string,
  { quantity = 1, forward }: { quantity?: number; forward?: (route: Route) => Promise<void> } = {},
) {
  const posts = await holdOrderPosts(page, forward);
  const form = shopPage(page);
  const nav = page.getByRole("navigation", { name: "Main" });
  await page.goto(`/?product=${productId}`);
  await form.quantity.selectOption(String(quantity));

  await form.submit.click();
  await expect.poll(() => posts.requests.length).toBe(1);
  await nav.getByRole("link", { name: "Your orders" }).click();
  await expect(page.getByRole("heading", { name: "Your orders" })).toBeVisible();
  return posts;
}

/** From the orders page back to the shop, in the page. */
const backToTheShop = (page: Page) =>
  page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Shop" }).click();

test("leaving for the orders page while the order is pending and coming back: shown pending, then placed, once", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Wandering teapot", stock: 5 });
  const form = shopPage(page);
  const posts = await sendThenOpenTheOrdersPage(page, product.id);
  await backToTheShop(page);
  // The form is a new one, but it knows its order is still on its way.
  await expect(form.submit).toHaveText(pendingLabel);
  await expect(form.submit).toBeDisabled();

  posts.release();
  await expect(form.status).toContainText("Order confirmed");
  await expect(form.submit).toHaveText("Order placed");
  await expect(form.submit).toBeDisabled();
  // The stock the order changed, though the form that sent it is gone.
  await expect(form.status).toContainText("1 × Wandering teapot for €10.00. 4 left in stock.");
  await expect(form.stockOf("Wandering teapot")).toHaveText("4");
  expect(posts.requests).toHaveLength(1);
  expect(await shop.ordersFor(product.id)).toHaveLength(1);
});

test("the orders page, opened while an order is on its way, says so, and lists the order once it is placed", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Awaited kettle", stock: 5 });
  const posts = await sendThenOpenTheOrdersPage(page, product.id);

  const orderRow = page.getByRole("row").filter({ hasText: "Awaited kettle" });
  await expect(page.getByRole("status")).toHaveText(
    "Your order of 1 × Awaited kettle is being placed. It is listed here once the shop confirms it.",
  );
  await expect(orderRow).toHaveCount(0);
  await expect(page.getByText("You have not placed any orders yet.")).toBeHidden(); // it is being placed

  // The list comes a moment after the answer (the page is refreshed): held here, to see that moment.
  let listComes = () => {};
  const listHeld = new Promise<void>((resolve) => (listComes = resolve));
  await page.route(
    (url) => url.pathname === "/orders" && url.searchParams.has("_rsc"),
    async (route) => {
      await listHeld;
      await route.continue();
    },
  );
  posts.release();
  await expect
    .poll(() => page.evaluate(() => JSON.parse(sessionStorage.getItem("order-draft") ?? "{}").placed?.id))
    .toBeTruthy(); // the answer is in
  await expect(page.getByRole("status")).toHaveText(
    "Your order of 1 × Awaited kettle is placed. It is listed here in a moment.",
  );
  await expect(orderRow).toHaveCount(0);

  listComes();
  await expect(orderRow).toBeVisible();
  await expect(page.getByRole("status")).toBeEmpty();
  expect(await shop.ordersFor(product.id)).toHaveLength(1);
});

test("the orders page, opened while an order is on its way, says when it was not confirmed, and the shop retries it", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Stranded kettle", stock: 5 });
  const form = shopPage(page);
  let lost = true;
  // The first attempt is placed, but its answer is lost on the way back.
  const posts = await sendThenOpenTheOrdersPage(page, product.id, {
    forward: async (route) => {
      if (!lost) return route.continue();
      lost = false;
      await route.fetch();
      await route.abort("connectionreset");
    },
  });
  await expect(page.getByRole("status")).toContainText("Your order of 1 × Stranded kettle is being placed.");

  posts.release();
  const notice =
    "Your order of 1 × Stranded kettle, sent from this tab, was not confirmed, so it may or may not have been placed (if it was, it is listed here once this page is loaded again). Retry it from the shop: if it was placed, you get its confirmation, and it will not be placed twice.";
  await expect(page.getByRole("status")).toHaveText(notice);
  await expect(page.getByRole("status")).toHaveAttribute("aria-live", "polite"); // news: read out
  await expect(page.getByText("You have not placed any orders yet.")).toBeHidden(); // it may have been

  // The shop did place it: the list, loaded again, has it, and the notice still holds.
  await page.reload();
  await expect(page.getByRole("row").filter({ hasText: "Stranded kettle" })).toBeVisible();
  await expect(page.getByRole("status")).toHaveText(notice);
  await expect(page.getByRole("status")).toHaveAttribute("aria-live", "off"); // found on loading: not news
  await page.getByRole("status").getByRole("link", { name: "Retry it from the shop" }).click();
  await form.retry.click();
  await expect(form.status).toContainText("Order confirmed");
  expect(new Set(posts.keys())).toHaveProperty("size", 1);
  expect(await shop.ordersFor(product.id)).toHaveLength(1);
});

test("an order for a product taken off the shop meanwhile is refused plainly, and the form offers the products still sold", async ({
  page,
  shop,
  db,
}) => {
  const gone = await shop.createProduct({ name: "Withdrawn vase", stock: 5 });
  await shop.createProduct({ name: "Still-sold jug", stock: 5 });
  const form = shopPage(page);
  await page.goto(`/?product=${gone.id}`);
  await expect(form.submit).toBeEnabled();
  await db.product.delete({ where: { id: gone.id } });

  await form.submit.click();
  await expect(form.status).toContainText("Order not placed");
  await expect(form.status).toContainText("Withdrawn vase is no longer sold. Choose another product.");
  // The product is gone from the list and from the form, which shows one it can send.
  await expect(page.getByRole("rowheader", { name: "Withdrawn vase" })).toHaveCount(0);
  await expect(form.product).not.toHaveValue(gone.id);
  await expect(page.getByText(/^Total:/)).toHaveText(/^Total: €\d/); // the total of a product listed
  await expect(form.submit).toHaveText("Place order");
});

test("an unconfirmed order for a product taken off the shop meanwhile: not offered for Retry, and the customer is told to check the orders", async ({
  page,
  shop,
  db,
}) => {
  const gone = await shop.createProduct({ name: "Vanishing bowl", stock: 5 });
  await shop.createProduct({ name: "Staying bowl", stock: 5 });
  const form = shopPage(page);
  const posts = await holdOrderPosts(page, (route) => route.abort("connectionreset"));
  await page.goto(`/?product=${gone.id}`);
  await form.submit.click();
  await expect.poll(() => posts.requests.length).toBe(1);
  await db.product.delete({ where: { id: gone.id } });
  posts.release(); // no answer: the order may or may not have been placed

  // Once the stock refreshed after the failure shows the product gone:
  await expect(page.getByRole("rowheader", { name: "Vanishing bowl" })).toHaveCount(0);
  const notice = "An order you sent was not confirmed, and the shop no longer sells its product";
  await expect(form.status).toContainText(notice);
  await expect(form.status).not.toContainText("Press Retry"); // there is nothing to retry
  await expect(form.submit).toHaveText("Place order");
  await expect(form.status.getByRole("link", { name: "your orders" })).toBeVisible();
  // Nor is it forgotten on a reload, nor on the orders page, where no Retry is offered either.
  await page.reload();
  await expect(form.status).toContainText(notice);
  await page.goto("/orders");
  await expect(page.getByRole("status")).toHaveText(
    "An order sent from this tab was not confirmed, and its product is no longer sold, so it cannot be sent again. It may have been placed all the same.",
  );
});

test("leaving for the orders page while the order is pending and coming back: a refusal is still shown", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Wandering cup", stock: 5 });
  const form = shopPage(page);
  const posts = await sendThenOpenTheOrdersPage(page, product.id, { quantity: 2 });
  await backToTheShop(page);
  await expect(form.submit).toHaveText(pendingLabel);

  await shop.setStock(product.id, 0); // someone else bought them all meanwhile
  posts.release();
  await expect(form.status).toContainText("Order not placed");
  await expect(form.status).toContainText("Wandering cup is sold out.");
  // The form still shows the order that was refused, and its stock as it is now.
  await expect(form.product).toHaveValue(product.id);
  await expect(form.quantity).toHaveValue("2");
  await expect(form.stockOf("Wandering cup")).toHaveText("0");
  await expect(form.submit).toHaveText("Place order"); // a final answer: sending it again is a new order
  expect(await shop.ordersFor(product.id)).toHaveLength(0);
});

test("a reload after the confirmation still shows the order as placed", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Reloaded kettle", stock: 5 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await form.submit.click();
  await expect(form.status).toContainText("Order confirmed");

  await expect(form.status).toHaveAttribute("aria-live", "polite"); // read out as it came

  await page.reload();
  await expect(form.status).toContainText("Order confirmed");
  await expect(form.status).toContainText("1 × Reloaded kettle for €10.00.");
  // Shown again, but not news: a screen reader does not read it out as if it had just come.
  await expect(form.status).toHaveAttribute("aria-live", "off");
  await expect(form.submit).toHaveText("Order placed");
  await expect(form.submit).toBeDisabled();
  await form.another.click();
  await expect(form.submit).toHaveText("Place order");
  expect(await shop.ordersFor(product.id)).toHaveLength(1);
});

test("Back and Forward after an order show the orders and the stock as they are now", async ({ page, shop }) => {
  const product = await shop.createProduct({ name: "Back-button teapot", stock: 5 });
  const form = shopPage(page);
  await page.goto(`/?product=${product.id}`);
  await expect(form.submit).toBeEnabled();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your orders" }).click();
  await expect(page.getByText("You have not placed any orders yet.")).toBeVisible();
  await page.goBack();

  await form.submit.click();
  await expect(form.status).toContainText("4 left in stock.");

  await page.goForward(); // the orders page seen before the order
  await expect(page.getByRole("row").filter({ hasText: "Back-button teapot" })).toBeVisible();
  await page.goBack(); // the shop as it was first shown
  await expect(form.stockOf("Back-button teapot")).toHaveText("4");
});
