// Every refusal of POST /api/orders: a problem details body with the right type,
// never a 500, and nothing written.
import { randomUUID } from "node:crypto";
import { expect, test, type Customer, type TestProduct } from "@/e2e/support/fixtures";

type Case = {
  name: string;
  status: number;
  type: string;
  send: (customer: Customer, product: TestProduct) => ReturnType<Customer["placeOrder"]>;
};

const validBody = (product: TestProduct) => ({ productId: product.id, quantity: 1 });

const cases: Case[] = [
  {
    name: "no Idempotency-Key",
    status: 400,
    type: "missing-idempotency-key",
    send: (customer, product) => customer.placeOrder(null, validBody(product)),
  },
  {
    name: "an empty Idempotency-Key",
    status: 400,
    type: "invalid-idempotency-key",
    send: (customer, product) => customer.placeOrder("", validBody(product)),
  },
  {
    name: "an Idempotency-Key of 256 characters",
    status: 400,
    type: "invalid-idempotency-key",
    send: (customer, product) => customer.placeOrder("k".repeat(256), validBody(product)),
  },
  {
    // What two Idempotency-Key lines become on the server: one value, joined by ", ".
    name: "the Idempotency-Key sent twice",
    status: 400,
    type: "invalid-idempotency-key",
    send: (customer, product) => {
      const key = randomUUID();
      return customer.placeOrder(`${key}, ${key}`, validBody(product));
    },
  },
  {
    name: "a broken quoted Idempotency-Key",
    status: 400,
    type: "invalid-idempotency-key",
    send: (customer, product) => customer.placeOrder('"unterminated', validBody(product)),
  },
  {
    name: "a body that is not JSON",
    status: 400,
    type: "invalid-request",
    send: (customer) => customer.placeOrder(randomUUID(), "{ not json"),
  },
  {
    name: "a quantity of 0",
    status: 400,
    type: "invalid-request",
    send: (customer, product) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: 0 }),
  },
  {
    name: "a quantity of 11",
    status: 400,
    type: "invalid-request",
    send: (customer, product) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: 11 }),
  },
  {
    name: "a fractional quantity",
    status: 400,
    type: "invalid-request",
    send: (customer, product) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: 1.5 }),
  },
  {
    name: "a quantity given as a string",
    status: 400,
    type: "invalid-request",
    send: (customer, product) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: "1" }),
  },
  {
    name: "no product id",
    status: 400,
    type: "invalid-request",
    send: (customer) => customer.placeOrder(randomUUID(), { quantity: 1 }),
  },
  {
    name: "a JSON array instead of an object",
    status: 400,
    type: "invalid-request",
    send: (customer) => customer.placeOrder(randomUUID(), "[]"),
  },
  {
    name: "a text/plain body",
    status: 415,
    type: "unsupported-media-type",
    send: (customer, product) =>
      customer.placeOrder(randomUUID(), JSON.stringify(validBody(product)), {
        headers: { "Content-Type": "text/plain" },
      }),
  },
  {
    name: "a form-encoded body",
    status: 415,
    type: "unsupported-media-type",
    send: (customer, product) =>
      customer.placeOrder(randomUUID(), `productId=${product.id}&quantity=1`, {
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      }),
  },
  {
    name: "an added field nested thousands deep",
    status: 400,
    type: "invalid-request",
    send: (customer, product) =>
      customer.placeOrder(
        randomUUID(),
        `{"productId":"${product.id}","quantity":1,"x":${"[".repeat(5000)}${"]".repeat(5000)}}`,
      ),
  },
  {
    name: "a product id with a NUL character",
    status: 400,
    type: "invalid-request",
    send: (customer) => customer.placeOrder(randomUUID(), { productId: "a\u0000b", quantity: 1 }),
  },
  {
    name: "a body over 16 KiB",
    status: 413,
    type: "payload-too-large",
    send: (customer, product) =>
      customer.placeOrder(randomUUID(), { ...validBody(product), note: "x".repeat(16 * 1024) }),
  },
  {
    name: "an unknown product",
    status: 404,
    type: "product-not-found",
    send: (customer) => customer.placeOrder(randomUUID(), { productId: "no-such-product", quantity: 1 }),
  },
  {
    name: "more than the stock",
    status: 409,
    type: "out-of-stock",
    send: (customer, product) => customer.placeOrder(randomUUID(), { productId: product.id, quantity: 4 }),
  },
];

test.describe("refused orders", () => {
  for (const { name, status, type, send } of cases) {
    test(`${name}: ${status} ${type}, nothing written`, async ({ shop }) => {
      const product = await shop.createProduct({ stock: 3 });
      const customer = await shop.newCustomer();

      const response = await send(customer, product);

      expect(response.status()).toBe(status);
      expect(response.headers()["content-type"]).toBe("application/problem+json");
      const problem = await response.json();
      expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
      expect(new URL(problem.type).pathname.split("/").at(-1)).toBe(type);
      expect(await shop.ordersFor(product.id)).toHaveLength(0);
      expect(await shop.stockOf(product.id)).toBe(3);
      // Refusals before the key is claimed leave no record; business outcomes are stored.
      expect(await shop.recordsOf(customer)).toBe(status === 404 || status === 409 ? 1 : 0);
    });
  }

  test("field errors point at the fields", async ({ shop }) => {
    const customer = await shop.newCustomer();
    const response = await customer.placeOrder(randomUUID(), { productId: "", quantity: 0 });
    expect(response.status()).toBe(400);
    const problem = await response.json();
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { pointer: "#/productId", detail: expect.any(String) },
        { pointer: "#/quantity", detail: expect.any(String) },
      ]),
    );
  });
});

test.describe("other refusals of the API", () => {
  test("a method a resource does not have: 405 problem, with Allow", async ({ shop }) => {
    const customer = await shop.newCustomer();
    for (const [method, path, allow] of [
      ["PUT", "/api/orders", "GET, HEAD, POST, OPTIONS"],
      ["DELETE", "/api/products", "GET, HEAD, OPTIONS"],
      ["POST", `/api/orders/${randomUUID()}`, "GET, HEAD, OPTIONS"],
    ] as const) {
      const response = await customer.request.fetch(path, { method });
      expect(response.status(), `${method} ${path}`).toBe(405);
      expect(response.headers()["allow"]).toBe(allow);
      expect(response.headers()["content-type"]).toBe("application/problem+json");
      expect((await response.json()).type).toMatch(/\/method-not-allowed$/);
      // OPTIONS lists the same methods.
      const options = await customer.request.fetch(path, { method: "OPTIONS" });
      expect(options.status()).toBe(204);
      expect(options.headers()["allow"]).toBe(allow);
    }
  });

  test("a path the API does not have: 404 problem", async ({ shop }) => {
    const customer = await shop.newCustomer();
    for (const [method, path] of [
      ["GET", "/api/no-such-thing/1"],
      ["POST", "/api/no-such-thing"],
      ["GET", "/api"],
      // Escapes that do not decode, in a route's parameter and elsewhere: no such path either.
      ["GET", "/api/orders/%ZZ"],
      ["POST", "/api/orders/%E0%A4%A"],
      ["GET", "/api/%ZZ"],
    ] as const) {
      const response = await customer.request.fetch(path, { method });
      expect(response.status(), `${method} ${path}`).toBe(404);
      expect(response.headers()["content-type"]).toBe("application/problem+json");
      expect((await response.json()).type).toMatch(/\/not-found$/);
    }
    // A page's path that only begins with "/api" is not the API's: the shop's own page says so.
    const page = await customer.request.get("/apiary%ZZ");
    expect(page.status()).toBe(404);
    expect(page.headers()["content-type"]).toMatch(/^text\/html/);
  });
});
