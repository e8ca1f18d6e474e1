import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

test("with the client guard off, a double click sends two requests and the server still places one order", async ({
  page,
  shop,
}) => {
  const product = await shop.createProduct({ name: "Unguarded jug", stock: 5 });
  const posts = await holdOrderPosts(page);
  const form = shopPage(page);

  await page.goto(`/?product=${product.id}&guard=off`);
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
