import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

test.describe("retrying an order", () => {
  test("a lost response: Retry resends the same key and shows the order the server placed", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Lost-response grinder", stock: 5, priceCents: 4500 });
    const form = shopPage(page);
    const sent: string[] = [];
    let firstReplayed: string | undefined;
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      const response = await route.fetch(); // the server does the work...
      if (sent.length === 1) return route.abort("connectionreset"); // ...and the answer is lost
      firstReplayed = response.headers()["idempotent-replayed"];
      await route.fulfill({ response });
    });

    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("2");
    await form.submit.click();

    await expect(form.status).toContainText("Order not confirmed");
    expect(await shop.ordersFor(product.id)).toHaveLength(1); // it was placed all the same
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("2 × Lost-response grinder for €90.00. 3 left in stock.");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(firstReplayed).toBe("true");
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a server error: Retry resends the same key and places the order once", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Server-error filter", stock: 5 });
    const form = shopPage(page);
    const sent: string[] = [];
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      // The first attempt dies at a gateway before reaching the app.
      if (sent.length === 1) {
        return route.fulfill({ status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>" });
      }
      await route.continue();
    });

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.retry).toBeVisible();
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(sent).toEqual([sent[0], sent[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a key still in use: the form waits for Retry-After and asks again", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "In-use dripper", stock: 5 });
    const form = shopPage(page);
    const body = { productId: product.id, quantity: 1 };
    let attempts = 0;
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      attempts++;
      const key = route.request().headers()["idempotency-key"] ?? "";
      const customerId = (await page.context().cookies()).find((c) => c.name === "customer_id")?.value ?? "";
      // As if an earlier attempt with this key were still being processed,
      // which has given the key back by the time the form asks again.
      if (attempts === 1) await shop.holdKey(customerId, key, body);
      else await shop.releaseKey(customerId, key);
      await route.continue();
    });

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.submit).toHaveText("Still placing your order…");
    await expect(form.status).toContainText("Order confirmed");
    expect(attempts).toBe(2);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a reload while the order is pending, then submit again: one order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Reload scale", stock: 5 });
    const form = shopPage(page);
    const sent: string[] = [];
    let processed!: () => void;
    const serverDone = new Promise<void>((resolve) => (processed = resolve));
    let reloaded!: () => void;
    const afterReload = new Promise<void>((resolve) => (reloaded = resolve));
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      if (sent.length > 1) return route.continue();
      await route.fetch(); // the server places the order...
      processed();
      await afterReload; // ...and the page is reloaded before it hears of it
      await route.abort().catch(() => {}); // that page is gone
    });

    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("3");
    await form.submit.click();
    await expect(form.submit).toBeDisabled();
    await serverDone;
    await page.reload();
    reloaded();

    // The draft came back with the page: same product, same quantity, same key.
    await expect(form.submit).toBeEnabled();
    await expect(form.quantity).toHaveValue("3");
    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("3 × Reload scale");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a changed order is a new intent: it gets a new key and a second order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Two-intent tamper", stock: 5 });
    const form = shopPage(page);
    const posts = await holdOrderPosts(page);
    posts.release();

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    await form.quantity.selectOption("2");
    await form.submit.click();
    await expect(form.status).toContainText("2 × Two-intent tamper");

    const keys = posts.keys();
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect(await shop.ordersFor(product.id)).toHaveLength(2);
  });
});
