// The key belongs to the order intent (components/order-draft.ts): the same order keeps
// its key until the server gives a final answer; a different order gets a new one.
import { expect, test, type Shop } from "@/e2e/support/fixtures";
import { shopPage } from "@/e2e/support/shop-page";
import type { Page } from "@playwright/test";

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Records the key of every order POST; the attempts listed in `lose` never get an answer. */
async function recordKeys(page: Page, lose: { reachingServer: boolean; attempts: number[] }) {
  const keys: string[] = [];
  await page.route("**/api/orders", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    keys.push(route.request().headers()["idempotency-key"] ?? "");
    if (!lose.attempts.includes(keys.length)) return route.continue();
    if (lose.reachingServer) await route.fetch(); // the server places the order, the answer is lost
    await route.abort("connectionreset");
  });
  return keys;
}

/**
 * Opens the shop on a new product and orders `quantity` of it once: the order reaches
 * the server, but its answer is lost. `keys` goes on recording every later attempt.
 */
async function orderWithLostAnswer(page: Page, shop: Shop, product: { name: string; stock: number; quantity: number }) {
  const created = await shop.createProduct({ name: product.name, stock: product.stock });
  const keys = await recordKeys(page, { reachingServer: true, attempts: [1] });
  const form = shopPage(page);
  await page.goto(`/?product=${created.id}`);
  await form.quantity.selectOption(String(product.quantity));
  await form.submit.click();
  await expect(form.status).toContainText("Order not confirmed");
  return { product: created, keys, form };
}

test.describe("the order's key", () => {
  test("an order changed after an unconfirmed attempt gets a new key, with a warning that the first may have gone through", async ({
    page,
    shop,
  }) => {
    const { product, keys, form } = await orderWithLostAnswer(page, shop, {
      name: "Second-thoughts mill",
      stock: 5,
      quantity: 1,
    });

    await form.quantity.selectOption("2");
    await expect(form.status).toContainText("Your earlier order of 1 × Second-thoughts mill was sent");
    await expect(form.status.getByRole("link", { name: "your orders" })).toBeVisible();
    await expect(form.submit).toHaveText("Place order");
    await form.submit.click();

    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("2 × Second-thoughts mill");
    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    // Both went through, as the customer was warned: the first did reach the server.
    expect((await shop.ordersFor(product.id)).map((order) => order.quantity).sort()).toEqual([1, 2]);
  });

  test("changing the order and changing it back keeps the unconfirmed order's key", async ({ page, shop }) => {
    const { product, keys, form } = await orderWithLostAnswer(page, shop, {
      name: "Undecided scale",
      stock: 5,
      quantity: 1,
    });
    await form.quantity.selectOption("3");
    await form.quantity.selectOption("1");
    await expect(form.retry).toBeVisible();
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("going back to the unconfirmed order restores it, its key, and the focus on Retry", async ({ page, shop }) => {
    const { product, keys, form } = await orderWithLostAnswer(page, shop, {
      name: "Returning grinder",
      stock: 5,
      quantity: 2,
    });
    await form.quantity.selectOption("4");
    await form.status.getByRole("button", { name: "Go back to that order" }).click();

    await expect(form.quantity).toHaveValue("2");
    await expect(form.retry).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("2 × Returning grinder");
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("an unconfirmed order that took the last units is offered again without a stock warning", async ({
    page,
    shop,
  }) => {
    const { keys, form } = await orderWithLostAnswer(page, shop, {
      name: "Last-pair cups",
      stock: 2,
      quantity: 2,
    });
    await page.reload();

    // The page now shows 0 left: that order took them. Retry is still the way forward.
    await expect(form.stockOf("Last-pair cups")).toHaveText("0");
    await expect(form.retry).toBeEnabled();
    await expect(form.quantity).toHaveAccessibleDescription("");
    await form.retry.click();
    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toEqual([keys[0], keys[0]]);
  });

  test("after out of stock, the same order goes out with a new key: refused again, then placed after a restock", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Restocked kettle", stock: 1 });
    const keys = await recordKeys(page, { reachingServer: false, attempts: [] });
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("2");
    await form.submit.click();
    await expect(form.status).toContainText("Only 1 × Restocked kettle left in stock; you asked for 2.");
    // Asked again, and refused again: the answer says so, or the click would seem to do nothing.
    await form.submit.click();
    await expect(form.status).toContainText("you asked for 2. (2 attempts.)");

    await shop.setStock(product.id, 5);
    await form.submit.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3); // an old key would replay "out of stock" for a day
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("without crypto.randomUUID (plain http), the key is still a random UUID and Retry keeps it", async ({
    page,
    shop,
  }) => {
    await page.addInitScript(() => Object.defineProperty(Crypto.prototype, "randomUUID", { value: undefined }));
    const product = await shop.createProduct({ name: "Insecure-origin cup", stock: 5 });
    const keys = await recordKeys(page, { reachingServer: false, attempts: [1] });
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    expect(await page.evaluate(() => typeof crypto.randomUUID)).toBe("undefined");
    await form.submit.click();
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(keys[0]).toMatch(uuidV4);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("when sessionStorage refuses to store the draft, Retry still sends the same key", async ({ page, shop }) => {
    await page.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    const product = await shop.createProduct({ name: "Full-storage jug", stock: 5 });
    const keys = await recordKeys(page, { reachingServer: true, attempts: [1] });
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a stored draft the shop could not take (an older version's, say) is not offered as an order", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Old-draft jar", stock: 5 });
    const keys = await recordKeys(page, { reachingServer: true, attempts: [] });
    await page.addInitScript((productId) => {
      sessionStorage.setItem("order-draft", JSON.stringify({ key: "old-key", productId, quantity: 25 }));
    }, product.id);
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toHaveText("Place order");
    await expect(form.quantity).toHaveValue("1");
    await expect(form.status).toBeEmpty();
    await form.submit.click();
    await expect(form.status).toContainText("1 × Old-draft jar for €10.00.");
    expect(keys).toHaveLength(1);
    expect(keys[0]).not.toBe("old-key");
  });

  test("a new order after a confirmed one gets a new key", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Two-intent tamper", stock: 5 });
    const keys = await recordKeys(page, { reachingServer: false, attempts: [] });
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.status).toContainText("1 × Two-intent tamper for €10.00. 4 left in stock.");
    await form.another.click();
    await form.submit.click();
    await expect(form.status).toContainText("1 × Two-intent tamper for €10.00. 3 left in stock.");

    expect(keys).toHaveLength(2);
    expect(keys[1]).not.toBe(keys[0]);
    expect(await shop.ordersFor(product.id)).toHaveLength(2);
  });
});
