// Test fixtures: each test makes its own products and customers, against the real
// database the app under test uses, and removes them afterwards: the products with
// their orders, and the idempotency records of the customers made here. (A browser
// page's own customer leaves its records behind, with no product to point to; each
// run starts on a new database.)
import { randomUUID } from "node:crypto";
import { test as base, expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { customerCookie } from "@/lib/customer";
import { requestFingerprint } from "@/lib/idempotency/fingerprint";
import { claimKey } from "@/lib/idempotency/store";

export type AppOptions = {
  /** The database of the app under test (the project chooses it). */
  databaseUrl: string;
  /** The base URLs of every app instance on that database (the first is baseURL). */
  instances: string[];
};

export type TestProduct = { id: string; name: string; priceCents: number; stock: number };

export class Customer {
  constructor(
    readonly request: APIRequestContext,
    readonly id: string,
  ) {}

  /**
   * POST /api/orders with a JSON body (or a raw string) and an Idempotency-Key (null:
   * none), to the app at baseURL or to another `instance` of it.
   */
  placeOrder(
    key: string | null,
    body: unknown,
    { headers = {}, instance = "" }: { headers?: Record<string, string>; instance?: string } = {},
  ): Promise<APIResponse> {
    return this.request.post(`${instance}/api/orders`, {
      headers: {
        "Content-Type": "application/json",
        ...(key === null ? {} : { "Idempotency-Key": key }),
        ...headers,
      },
      data: typeof body === "string" ? body : JSON.stringify(body),
    });
  }
}

export type Shop = {
  createProduct(input?: Partial<Omit<TestProduct, "id">>): Promise<TestProduct>;
  newCustomer(): Promise<Customer>;
  stockOf(productId: string): Promise<number>;
  /** Restocks (or empties) a product, as the shop's staff would. */
  setStock(productId: string, stock: number): Promise<void>;
  ordersFor(productId: string): Promise<{ id: string; customerId: string; quantity: number }[]>;
  recordsOf(customer: Customer): Promise<number>;
  /** Marks `key` as held by another request of the customer, in progress for a minute. */
  holdKey(customerId: string, key: string, body: unknown): Promise<void>;
  /** The other request gave the key back (as after a failure). */
  releaseKey(customerId: string, key: string): Promise<void>;
};

export const test = base.extend<{ shop: Shop; db: Database }, AppOptions & { workerDb: Database }>({
  databaseUrl: ["", { option: true, scope: "worker" }],
  instances: [[], { option: true, scope: "worker" }],

  workerDb: [
    async ({ databaseUrl }, use) => {
      const db = createDatabaseClient(databaseUrl);
      await use(db);
      await db.$disconnect();
    },
    { scope: "worker" },
  ],

  db: async ({ workerDb }, use) => use(workerDb),

  shop: async ({ workerDb: db, playwright, baseURL }, use) => {
    const products: string[] = [];
    const customers: Customer[] = [];

    await use({
      async createProduct(input = {}) {
        const product = {
          id: `test-${randomUUID()}`,
          name: input.name ?? "Test product",
          priceCents: input.priceCents ?? 1000,
          stock: input.stock ?? 10,
        };
        await db.product.create({ data: product });
        products.push(product.id);
        return product;
      },
      async newCustomer() {
        const request = await playwright.request.newContext({ baseURL });
        // Any request gets the anonymous customer cookie from proxy.ts.
        expect((await request.get("/api/products")).ok()).toBe(true);
        const cookie = (await request.storageState()).cookies.find((c) => c.name === customerCookie);
        if (!cookie) throw new Error("The app issued no customer cookie");
        const customer = new Customer(request, cookie.value);
        customers.push(customer);
        return customer;
      },
      async stockOf(productId) {
        const product = await db.product.findUniqueOrThrow({ where: { id: productId } });
        return product.stock;
      },
      async setStock(productId, stock) {
        await db.product.update({ where: { id: productId }, data: { stock, version: { increment: 1 } } });
      },
      ordersFor(productId) {
        return db.order.findMany({ where: { productId }, select: { id: true, customerId: true, quantity: true } });
      },
      recordsOf(customer) {
        return db.idempotencyRecord.count({ where: { customerId: customer.id } });
      },
      async holdKey(customerId, key, body) {
        // Claimed as the app claims it, by a request that then never finishes.
        const outcome = await claimKey(db, {
          scope: customerId,
          key,
          fingerprint: requestFingerprint("POST", "/api/orders", body),
          now: () => new Date(),
          leaseMs: 60_000,
          ttlMs: 86_400_000,
        });
        if (outcome.kind !== "claimed") throw new Error(`The key ${key} is taken already (${outcome.kind})`);
      },
      async releaseKey(customerId, key) {
        await db.idempotencyRecord.deleteMany({ where: { customerId, key } });
      },
    });

    const customerIds = customers.map((customer) => customer.id);
    await db.idempotencyRecord.deleteMany({ where: { customerId: { in: customerIds } } });
    await db.order.deleteMany({ where: { productId: { in: products } } });
    await db.product.deleteMany({ where: { id: { in: products } } });
    await Promise.all(customers.map((customer) => customer.request.dispose()));
  },
});

export { expect };
