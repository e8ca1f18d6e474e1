// What the customer sees once an order is placed: the confirmation at once, then the
// stock it changed, and pages kept for the Back button that are no longer out of date.
import { expect, test } from "@/e2e/support/fixtures";
import { shopPage } from "@/e2e/support/shop-page";

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
