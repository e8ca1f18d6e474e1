// POST /api/orders over HTTP, against the running app and its real database.
import { randomUUID } from "node:crypto";
import { expect, test } from "@/e2e/support/fixtures";

test.describe("Idempotency-Key over HTTP", () => {
  test("50 concurrent requests with one key make exactly one order", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 100 });
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 2 };

    // All 50 are sent before any answer is awaited.
    const responses = await Promise.all(Array.from({ length: 50 }, () => customer.placeOrder(key, body)));

    const created = responses.filter((response) => response.status() === 201);
    const inUse = responses.filter((response) => response.status() === 409);
    expect(created.length + inUse.length).toBe(50);
    // Exactly one request did the work; every other 201 is a replay of its answer.
    const originals = created.filter((response) => response.headers()["idempotent-replayed"] !== "true");
    expect(originals).toHaveLength(1);
    const createdBodies = new Set(await Promise.all(created.map((response) => response.text())));
    expect(createdBodies.size).toBe(1); // the original and every replay: the same bytes
    for (const response of inUse) {
      expect((await response.json()).type).toMatch(/\/idempotency-key-in-use$/);
      expect(response.headers()["retry-after"]).toBeTruthy();
    }
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(98);
  });

  test("a retry after completion replays the response byte for byte", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 5, priceCents: 1250 });
    const customer = await shop.newCustomer();
    const key = randomUUID();

    const first = await customer.placeOrder(key, { productId: product.id, quantity: 2 });
    expect(first.status()).toBe(201);
    const order = (await first.json()).order;
    expect(order).toMatchObject({ productId: product.id, quantity: 2, totalCents: 2500, status: "confirmed" });
    expect(first.headers()["location"]).toBe(`/api/orders/${order.id}`);
    expect(first.headers()["idempotent-replayed"]).toBeUndefined();

    // The same request, spelled differently: other key order, other whitespace.
    const retry = await customer.placeOrder(key, `{ "quantity": 2,\n  "productId": "${product.id}" }`);
    expect(retry.status()).toBe(201);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    expect(retry.headers()["location"]).toBe(first.headers()["location"]);
    expect(await retry.body()).toEqual(await first.body());

    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(3);
  });

  test("the quoted (structured field) form of a key is the same key", async ({ shop }) => {
    const product = await shop.createProduct();
    const customer = await shop.newCustomer();
    const key = randomUUID();

    const first = await customer.placeOrder(key, { productId: product.id, quantity: 1 });
    const quoted = await customer.placeOrder(`"${key}"`, { productId: product.id, quantity: 1 });
    expect(quoted.headers()["idempotent-replayed"]).toBe("true");
    expect(await quoted.body()).toEqual(await first.body());
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a key with commas is one key, even one that looks repeated", async ({ shop }) => {
    // Only "k, k", what two header lines become, is refused (e2e/api/validation.spec.ts).
    for (const key of ["a,a", "x , x"]) {
      const product = await shop.createProduct();
      const customer = await shop.newCustomer();
      const first = await customer.placeOrder(key, { productId: product.id, quantity: 1 });
      expect(first.status(), key).toBe(201);
      const retry = await customer.placeOrder(key, { productId: product.id, quantity: 1 });
      expect(retry.headers()["idempotent-replayed"], key).toBe("true");
      expect(await retry.body()).toEqual(await first.body());
      expect(await shop.ordersFor(product.id)).toHaveLength(1);
    }
  });

  test("the same key with a different body is refused with 422 and changes nothing", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 5 });
    const customer = await shop.newCustomer();
    const key = randomUUID();

    const first = await customer.placeOrder(key, { productId: product.id, quantity: 1 });
    expect(first.status()).toBe(201);
    const reused = await customer.placeOrder(key, { productId: product.id, quantity: 3 });

    expect(reused.status()).toBe(422);
    expect(reused.headers()["content-type"]).toBe("application/problem+json");
    expect(await reused.json()).toMatchObject({
      status: 422,
      type: expect.stringMatching(/\/idempotency-key-reused$/),
    });
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(4);
    // The key still answers for the order it placed, byte for byte.
    const retry = await customer.placeOrder(key, { productId: product.id, quantity: 1 });
    expect(retry.status()).toBe(201);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    expect(await retry.body()).toEqual(await first.body());
  });

  test("the same key with a field added to the body is a different request: 422", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 5 });
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 1 };

    expect((await customer.placeOrder(key, body)).status()).toBe(201);
    // The order ignores the note, but the retry is not the request the key was used for.
    const changed = await customer.placeOrder(key, { ...body, note: "gift wrap" });

    expect(changed.status()).toBe(422);
    expect((await changed.json()).type).toMatch(/\/idempotency-key-reused$/);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("another customer with the same key gets an order of its own", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 5 });
    const alice = await shop.newCustomer();
    const bob = await shop.newCustomer();
    const key = "order-1"; // a key two clients may well both pick
    const body = { productId: product.id, quantity: 1 };

    const forAlice = await alice.placeOrder(key, body);
    const forBob = await bob.placeOrder(key, body);

    expect(forAlice.status()).toBe(201);
    expect(forBob.status()).toBe(201);
    expect(forBob.headers()["idempotent-replayed"]).toBeUndefined();
    expect((await forBob.json()).order.id).not.toBe((await forAlice.json()).order.id);
    const orders = await shop.ordersFor(product.id);
    expect(orders.map((order) => order.customerId).sort()).toEqual([alice.id, bob.id].sort());
    expect(await shop.stockOf(product.id)).toBe(3);
  });

  test("out of stock is a stored answer: the retry replays it", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 1 });
    const customer = await shop.newCustomer();
    const key = randomUUID();

    const first = await customer.placeOrder(key, { productId: product.id, quantity: 2 });
    expect(first.status()).toBe(409);
    expect(await first.json()).toMatchObject({ type: expect.stringMatching(/\/out-of-stock$/), available: 1 });

    const retry = await customer.placeOrder(key, { productId: product.id, quantity: 2 });
    expect(retry.status()).toBe(409);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    expect(await retry.body()).toEqual(await first.body());
    expect(await shop.stockOf(product.id)).toBe(1);
  });

  test("an unknown product is a stored answer: the retry replays it", async ({ shop }) => {
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: `missing-${randomUUID()}`, quantity: 1 };

    const first = await customer.placeOrder(key, body);
    expect(first.status()).toBe(404);
    expect((await first.json()).type).toMatch(/\/product-not-found$/);

    const retry = await customer.placeOrder(key, body);
    expect(retry.status()).toBe(404);
    expect(retry.headers()["idempotent-replayed"]).toBe("true");
    expect(await retry.body()).toEqual(await first.body());
  });

  test("a key still being processed gets 409 with Retry-After", async ({ shop }) => {
    const product = await shop.createProduct({ stock: 5 });
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 1 };
    // Another request of this customer holds the key right now.
    await shop.holdKey(customer.id, key, body);

    const response = await customer.placeOrder(key, body);
    expect(response.status()).toBe(409);
    expect(response.headers()["retry-after"]).toBe("1");
    expect((await response.json()).type).toMatch(/\/idempotency-key-in-use$/);
    expect(await shop.ordersFor(product.id)).toHaveLength(0);
    expect(await shop.stockOf(product.id)).toBe(5);
    expect(await shop.recordsOf(customer)).toBe(1); // the other request's claim, untouched
  });

  test("after the record has expired, the order key still prevents a second order", async ({ shop, db }) => {
    const product = await shop.createProduct({ stock: 5 });
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 1 };

    const first = await customer.placeOrder(key, body);
    expect(first.status()).toBe(201);
    await db.idempotencyRecord.updateMany({
      where: { customerId: customer.id, key },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });

    const retry = await customer.placeOrder(key, body);
    expect(retry.status()).toBe(201);
    expect(retry.headers()["idempotent-replayed"]).toBeUndefined(); // the record was not replayed
    expect(await retry.body()).toEqual(await first.body()); // the existing order, same shape
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(4);
  });
});
