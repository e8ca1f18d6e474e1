import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

test("two tabs of one customer buy the last unit: one order, the other tab is told it is sold out", async ({
  context,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Last-unit carafe", stock: 1 });
  const tabs = [await context.newPage(), await context.newPage()];
  const held = await Promise.all(tabs.map((tab) => holdOrderPosts(tab)));
  for (const tab of tabs) {
    await tab.goto(`/?product=${product.id}`);
    await expect(shopPage(tab).stockOf("Last-unit carafe")).toHaveText("1");
  }

  // Both orders are in flight before either reaches the server.
  for (const tab of tabs) await shopPage(tab).submit.click();
  for (const posts of held) await expect.poll(() => posts.requests.length).toBe(1);
  for (const posts of held) posts.release();

  const statuses = tabs.map((tab) => shopPage(tab).status);
  for (const status of statuses) await expect(status).toContainText(/Order confirmed|Order not placed/);
  const texts = await Promise.all(statuses.map((status) => status.textContent()));
  expect(texts.filter((text) => text?.includes("Order confirmed"))).toHaveLength(1);
  expect(texts.filter((text) => text?.includes("Last-unit carafe is sold out."))).toHaveLength(1);

  for (const tab of tabs) {
    await tab.reload();
    await expect(shopPage(tab).stockOf("Last-unit carafe")).toHaveText("0");
  }
  expect(await shop.ordersFor(product.id)).toHaveLength(1);
});
