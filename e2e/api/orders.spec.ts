import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";

test.describe("reading products and orders", () => {
  test("products are listed with price, stock and version", async ({ shop, request }) => {
    const product = await shop.createProduct({ name: "Listed product", stock: 7, priceCents: 999 });
    const response = await request.get("/api/products");
    expect(response.status()).toBe(200);
    const { products } = await response.json();
    expect(products).toContainEqual({ id: product.id, name: "Listed product", priceCents: 999, stock: 7, version: 0 });
  });

  test("a customer sees their own orders, newest first, and nobody else's", async ({ shop, db }) => {
    const product = await shop.createProduct();
    const alice = await shop.newCustomer();
    const bob = await shop.newCustomer();
    const first = (await (await alice.placeOrder(randomUUID(), { productId: product.id, quantity: 1 })).json()).order;
    // Placed a second earlier: two orders of the same millisecond could be listed either way.
    const earlier = new Date(Date.parse(first.createdAt) - 1000);
    await db.order.update({ where: { id: first.id }, data: { createdAt: earlier } });
    const second = (await (await alice.placeOrder(randomUUID(), { productId: product.id, quantity: 2 })).json()).order;
    await bob.placeOrder(randomUUID(), { productId: product.id, quantity: 3 });

    const { orders } = await (await alice.request.get("/api/orders")).json();
    expect(orders).toEqual([second, { ...first, createdAt: earlier.toISOString() }]);
  });

  test("an order can be read by its owner only", async ({ shop }) => {
    const product = await shop.createProduct();
    const alice = await shop.newCustomer();
    const bob = await shop.newCustomer();
    const placed = await alice.placeOrder(randomUUID(), { productId: product.id, quantity: 1 });
    const location = placed.headers()["location"] ?? "";

    const own = await alice.request.get(location);
    expect(own.status()).toBe(200);
    expect(await own.json()).toEqual(await placed.json());

    const other = await bob.request.get(location);
    expect(other.status()).toBe(404);
    expect(other.headers()["content-type"]).toBe("application/problem+json");
  });

  test("an id that cannot be an order's is a 404, whatever it holds", async ({ shop }) => {
    const customer = await shop.newCustomer();
    for (const id of ["not-an-order", "%00", encodeURIComponent("ünïcödé")]) {
      const response = await customer.request.get(`/api/orders/${id}`);
      expect(response.status(), id).toBe(404);
      expect(response.headers()["content-type"]).toBe("application/problem+json");
    }
  });
});

// The anonymous customer is its cookie: issued to whoever lacks a valid one.
test.describe("the customer cookie", () => {
  /** Places an order for one unit, which must be given a new customer cookie: its id. */
  async function orderOneIssuingCookie(client: APIRequestContext, productId: string) {
    const placed = await client.post("/api/orders", {
      headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      data: JSON.stringify({ productId, quantity: 1 }),
    });
    expect(placed.status()).toBe(201);
    const customerId = /^customer_id=([0-9a-f-]{36});/.exec(placed.headers()["set-cookie"] ?? "")?.[1];
    expect(customerId).toBeDefined();
    return { placed, customerId };
  }

  test("with two customer cookies of one name, the app and its proxy agree on the customer", async ({
    shop,
    playwright,
    baseURL,
  }) => {
    // As a browser sends them when the cookie was also set for another path: the
    // longer path's (here a stale one) first.
    const product = await shop.createProduct();
    const customer = await shop.newCustomer();
    const fresh = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Cookie: `customer_id=stale; customer_id=${customer.id}` },
    });

    const placed = await fresh.post("/api/orders", {
      headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      data: JSON.stringify({ productId: product.id, quantity: 1 }),
    });

    expect(placed.status()).toBe(201);
    expect((await shop.ordersFor(product.id))[0]?.customerId).toBe(customer.id);
    await fresh.dispose();
  });

  test("a first request without a cookie places the order and is given the cookie that owns it", async ({
    shop,
    db,
    playwright,
    baseURL,
  }) => {
    const product = await shop.createProduct();
    const fresh = await playwright.request.newContext({ baseURL });
    const { placed, customerId } = await orderOneIssuingCookie(fresh, product.id);

    const [order] = await shop.ordersFor(product.id);
    expect(order?.customerId).toBe(customerId);
    const { orders } = await (await fresh.get("/api/orders")).json();
    expect(orders).toEqual([(await placed.json()).order]);
    await db.idempotencyRecord.deleteMany({ where: { customerId } });
    await fresh.dispose();
  });

  test("a cookie that is not a customer id is replaced, and the order goes through", async ({
    shop,
    db,
    playwright,
    baseURL,
  }) => {
    const product = await shop.createProduct();
    // Tampered with, or left by another app on this host.
    const stale = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Cookie: "customer_id=not-a-customer-id" },
    });
    const { customerId } = await orderOneIssuingCookie(stale, product.id);
    expect((await shop.ordersFor(product.id))[0]?.customerId).toBe(customerId);
    await db.idempotencyRecord.deleteMany({ where: { customerId } });
    await stale.dispose();
  });

  test("the customer cookie is httpOnly and SameSite=Lax, and Secure over https", async ({ playwright, baseURL }) => {
    const fresh = await playwright.request.newContext({ baseURL });
    const setCookie = (await fresh.get("/api/products")).headers()["set-cookie"] ?? "";
    expect(setCookie).toMatch(/^customer_id=[0-9a-f-]{36};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).not.toMatch(/Secure/i); // a browser would drop it on plain http
    // Behind a proxy that ends TLS and says so.
    const overHttps = await fresh.get("/api/products", { headers: { "X-Forwarded-Proto": "https" } });
    expect(overHttps.headers()["set-cookie"]).toMatch(/Secure/i);
    await fresh.dispose();
  });

  // A year from the last visit, not the first; and so no cache may keep an answer.
  test("every answer renews the customer's cookie, and says that no cache may keep it", async ({ shop }) => {
    const product = await shop.createProduct();
    const customer = await shop.newCustomer();
    const key = randomUUID();
    const answers = [
      await customer.request.get("/"),
      await customer.request.get("/orders"),
      await customer.request.get("/no-such-page"),
      await customer.request.get("/api/products"),
      await customer.placeOrder(key, { productId: product.id, quantity: 1 }),
      await customer.placeOrder(key, { productId: product.id, quantity: 1 }), // the replay
      await customer.request.get("/api/orders"),
      await customer.placeOrder(null, { productId: product.id, quantity: 1 }), // a problem
    ];
    for (const answer of answers) {
      expect(answer.headers()["set-cookie"], answer.url()).toMatch(
        new RegExp(`^customer_id=${customer.id};.*Max-Age=31536000;`),
      );
      expect(answer.headers()["cache-control"], answer.url()).toMatch(/\bno-store\b/);
    }
  });

  // Why each is there: next.config.ts and docs/decisions/0008-other-sites.md.
  test("pages and API answers, errors included, tell browsers how other sites may use them", async ({ shop }) => {
    const customer = await shop.newCustomer();
    const answers = [
      await customer.request.get("/"),
      await customer.request.get("/orders"),
      await customer.request.get("/api/products"),
      await customer.placeOrder(null, { productId: "any", quantity: 1 }), // a problem
    ];
    for (const answer of answers) {
      expect(answer.headers(), answer.url()).toMatchObject({
        "content-security-policy": "frame-ancestors 'none'",
        "x-frame-options": "DENY",
        "x-content-type-options": "nosniff",
        "referrer-policy": "same-origin",
      });
    }
  });
});
