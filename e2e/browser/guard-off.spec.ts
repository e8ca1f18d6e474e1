import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

test.describe("with the client guard off", () => {
  test("a double click sends two requests and the server still places one order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Unguarded jug", stock: 5 });
    const posts = await holdOrderPosts(page);
    const form = shopPage(page);

    await page.goto(`/?product=${product.id}&guard=off`);
    await expect(page.getByText("Client guard off.")).toBeVisible(); // the demo says what it is
    await expect(form.submit).toBeEnabled();
    await form.submit.dblclick();
    await expect.poll(() => posts.requests.length).toBe(2); // the browser let both through
    posts.release();

    await expect(form.status).toContainText("Order confirmed");
    const keys = posts.keys();
    expect(keys[1]).toBe(keys[0]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(4);
  });

  test("a second click after the answer sends the same key, and the server replays the order", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Unguarded carafe", stock: 5 });
    const posts = await holdOrderPosts(page);
    posts.release();
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}&guard=off`);

    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    const orderNumber = await form.status.getByText("Order number").textContent();
    const replay = page.waitForResponse((response) => response.request().method() === "POST");
    await form.submit.click(); // still enabled: nothing in the browser stops it
    expect((await replay).headers()["idempotent-replayed"]).toBe("true");

    await expect(form.status.getByText("Order number")).toHaveText(orderNumber ?? "");
    const keys = posts.keys();
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });
});
