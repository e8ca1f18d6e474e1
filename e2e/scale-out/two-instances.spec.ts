// Two app instances (two `next start` processes) on one PostgreSQL database: every
// protection lives in the database, so it holds across processes, not just within one.
import { randomUUID } from "node:crypto";
import type { APIResponse } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";

/** Which instances answered: the requests did go to both. */
const portsOf = (responses: APIResponse[]) => new Set(responses.map((response) => new URL(response.url()).port));

test.describe("two app instances on one PostgreSQL", () => {
  test.beforeEach(({ instances }) => expect(instances).toHaveLength(2));

  test("100 requests with one key, split across both instances, make exactly one order", async ({
    shop,
    instances,
  }) => {
    const product = await shop.createProduct({ stock: 100 });
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 3 };

    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => customer.placeOrder(key, body, { instance: instances[i % 2] })),
    );

    expect(portsOf(responses).size).toBe(2);
    const created = responses.filter((response) => response.status() === 201);
    const inUse = responses.filter((response) => response.status() === 409);
    expect(created.length + inUse.length).toBe(100);
    // Exactly one request, on one of the instances, did the work; the other 201s are replays.
    expect(created.filter((response) => response.headers()["idempotent-replayed"] !== "true")).toHaveLength(1);
    expect(new Set(await Promise.all(created.map((response) => response.text()))).size).toBe(1);
    for (const response of inUse) expect((await response.json()).type).toMatch(/\/idempotency-key-in-use$/);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(97);
  });

  test("200 buyers, split across both instances, on a stock of 50: exactly 50 orders and a stock of 0", async ({
    shop,
    instances,
  }) => {
    const product = await shop.createProduct({ stock: 50 });
    const customers = await Promise.all(Array.from({ length: 20 }, () => shop.newCustomer()));
    // 200 buyers: 20 customers with 10 orders each, every order with its own key.
    const buyers = customers.flatMap((customer) => Array.from({ length: 10 }, () => customer));

    // A 409 stock-contention (the optimistic lock lost every round) is not an answer
    // about the order: the buyer asks again with the same key, at once here rather
    // than after Retry-After, which is advice and would only slow the test down.
    let contended = 0;
    const responses = await Promise.all(
      buyers.map(async (customer, i) => {
        const key = randomUUID();
        for (let attempt = 1; ; attempt++) {
          const response = await customer.placeOrder(
            key,
            { productId: product.id, quantity: 1 },
            { instance: instances[(i + attempt) % 2] },
          );
          const contention = response.status() === 409 && (await response.text()).includes("/stock-contention");
          if (!contention || attempt === 20) return response;
          contended++;
        }
      }),
    );

    test.info().annotations.push({ type: "stock contention answers", description: String(contended) });
    expect(portsOf(responses).size).toBe(2);
    expect(responses.filter((response) => response.status() === 201)).toHaveLength(50);
    const refusals = await Promise.all(
      responses.filter((response) => response.status() !== 201).map(async (response) => response.json()),
    );
    expect(refusals).toHaveLength(150);
    for (const problem of refusals) {
      expect(problem.status).toBe(409);
      expect(problem.type).toMatch(/\/(out-of-stock|stock-contention)$/); // nobody got a 5xx
    }
    expect(await shop.ordersFor(product.id)).toHaveLength(50);
    expect(await shop.stockOf(product.id)).toBe(0);
  });
});
