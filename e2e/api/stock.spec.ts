import { randomUUID } from "node:crypto";
import { expect, test } from "@/e2e/support/fixtures";

test.describe("stock under contention", () => {
  test("more concurrent buyers than stock: exactly `stock` orders, the rest out of stock, stock ends at 0", async ({
    shop,
  }) => {
    const stock = 5;
    const product = await shop.createProduct({ stock });
    const customers = await Promise.all(Array.from({ length: 4 }, () => shop.newCustomer()));
    // 20 buyers: each of 4 customers sends 5 orders with keys of their own, all at once.
    const buyers = customers.flatMap((customer) => Array.from({ length: 5 }, () => customer));

    const responses = await Promise.all(
      buyers.map((customer) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: 1 })),
    );

    const statuses = responses.map((response) => response.status());
    expect(statuses.filter((status) => status === 201)).toHaveLength(stock);
    const refused = responses.filter((response) => response.status() !== 201);
    for (const response of refused) {
      expect(response.status()).toBe(409);
      expect((await response.json()).type).toMatch(/\/out-of-stock$/);
    }
    expect(await shop.ordersFor(product.id)).toHaveLength(stock);
    expect(await shop.stockOf(product.id)).toBe(0);
  });
});
