// The idempotency wrapper and the order route, run in-process against real SQLite and
// PostgreSQL databases, with a controllable clock: the failures that HTTP tests
// cannot stage.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import { customerIdOf } from "@/lib/customer";
import type { Database } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { requestFingerprint } from "@/lib/idempotency/fingerprint";
import { claimKey, completeRecord, deleteExpiredRecords, LostClaimError, releaseClaim } from "@/lib/idempotency/store";
import { withIdempotency } from "@/lib/idempotency/with-idempotency";
import { orderKeyFor, placeOrder } from "@/lib/orders/place-order";
import { placeOrderBody, type PlaceOrderBody } from "@/lib/orders/schemas";
import { Prisma } from "@/prisma/generated/sqlite/client";
import { orderRequest, providers, useTestDatabase } from "@/tests/support/database";
import { connectionsWaitingForLocks } from "@/tests/support/postgres";

const leaseSeconds = 30;
const ttlSeconds = 24 * 60 * 60;
const secondsAfter = (date: Date, seconds: number) => new Date(date.getTime() + seconds * 1000);

/** What a completed record holds (the database refuses one without it): a response, as stored. */
const storedResponse = { responseStatus: 201, responseHeaders: "{}", responseBody: "{}" };

/**
 * What a request asks of claimKey, less the time: a key of a customer (new ones unless
 * given) for a body, with the lease and time-to-live of these tests.
 */
function claimRequest({
  scope = randomUUID(),
  key = randomUUID(),
  body = {},
}: { scope?: string; key?: string; body?: unknown } = {}) {
  return {
    scope,
    key,
    fingerprint: requestFingerprint("POST", "/api/orders", body),
    leaseMs: leaseSeconds * 1000,
    ttlMs: ttlSeconds * 1000,
  };
}

/**
 * The database, with `around` wrapped around each transaction it runs (runInTransaction
 * starts every one with $transaction): to stage what happens just before a transaction
 * starts or just after it ends.
 */
function aroundEachTransaction(db: Database, around: (run: () => Promise<unknown>) => Promise<unknown>): Database {
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (property !== "$transaction" || typeof value !== "function") return value;
      return (...args: unknown[]) => around(() => value.apply(target, args) as Promise<unknown>);
    },
  });
}

for (const provider of providers) {
  test.describe(`the idempotency wrapper on ${provider}, in-process`, () => {
    const database = useTestDatabase(provider);
    const { createProduct } = database;
    let db: Database;
    test.beforeAll(() => {
      db = database.db;
    });

    const stockOf = async (productId: string) =>
      (await db.product.findUniqueOrThrow({ where: { id: productId } })).stock;
    const ordersOf = (productId: string) => db.order.count({ where: { productId } });

    /** The real order route, on the test database, at a chosen time. */
    function routeAt(now: Date, database: Database = db) {
      return createPlaceOrderRoute(database, { now: () => now, leaseSeconds, ttlSeconds });
    }

    /** A request with a customer's key at work since `at`, for a body: claimed, not (yet) completed. */
    async function claimedAt(at: Date, scope: string, key: string, body: unknown) {
      const outcome = await claimKey(db, { ...claimRequest({ scope, key, body }), now: () => at });
      if (outcome.kind !== "claimed") throw new Error(`Not claimed: ${outcome.kind}`);
      return outcome.claim;
    }

    /** One of a product placed at `at`, under a new key of a new customer: what a retry needs. */
    async function orderPlacedAt(at: Date) {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };
      const first = await routeAt(at)(orderRequest(customerId, key, body));
      expect(first.status).toBe(201);
      return { product, customerId, key, body, firstBody: await first.text() };
    }

    test("a route whose records would expire before their lease runs out is refused when it is made", () => {
      // Else a request still at work could find its key reclaimed as expired.
      const make = (leaseSeconds: number) => () => createPlaceOrderRoute(db, { leaseSeconds, ttlSeconds: 60 });
      expect(make(60)).toThrow("An idempotency record must live longer than its lease");
      expect(make(59)).not.toThrow();
    });

    test("of many concurrent claims on one key, exactly one wins", async () => {
      // On SQLite the claims run one after the other. That they cannot both win a real
      // race is proven on PostgreSQL, below, with every claim held until all arrive.
      const claim = { ...claimRequest(), now: () => new Date() };
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => claimKey(db, claim)));
      expect(outcomes.filter((outcome) => outcome.kind === "claimed")).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.kind === "in-progress")).toHaveLength(19);
    });

    test("a lease runs from when the claim is written, not from before the wait for a connection", async () => {
      const t0 = new Date();
      let time = t0;
      // Each transaction starts 5 s after it is asked for, as when the pool is busy.
      const slowToConnect = aroundEachTransaction(db, (run) => {
        time = secondsAfter(time, 5);
        return run();
      });

      const outcome = await claimKey(slowToConnect, { ...claimRequest(), now: () => time });
      if (outcome.kind !== "claimed") throw new Error(`Not claimed: ${outcome.kind}`);
      const record = await db.idempotencyRecord.findUniqueOrThrow({ where: { id: outcome.claim.recordId } });
      expect(record.createdAt).toEqual(secondsAfter(t0, 5));
      expect(record.lockedUntil).toEqual(secondsAfter(t0, 5 + leaseSeconds));
    });

    test("a process that dies before storing the response leaves nothing behind, and a retry after the lease completes the order once", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };

      const child = spawn(
        process.execPath,
        ["--import", "tsx", "tests/support/die-mid-request.ts", database.url, customerId, key, JSON.stringify(body)],
        { stdio: ["ignore", "inherit", "inherit"] },
      );
      const signal = await new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
      expect(signal).toBe("SIGKILL");

      // It had claimed the key and done the work, but nothing of the work committed.
      const record = await db.idempotencyRecord.findUniqueOrThrow({ where: { customerId_key: { customerId, key } } });
      expect(record.state).toBe("in_progress");
      expect(await ordersOf(product.id)).toBe(0);
      expect(await stockOf(product.id)).toBe(3);

      // While its lease runs, a retry is told to come back later.
      const early = await routeAt(new Date())(orderRequest(customerId, key, body));
      expect(early.status).toBe(409);
      expect(early.headers.get("retry-after")).toBe("1");
      expect((await early.json()).type).toMatch(/\/idempotency-key-in-use$/);

      // After the lease, a retry takes the key over and places the order, once.
      const afterLease = secondsAfter(record.lockedUntil ?? new Date(), 1);
      const retry = await routeAt(afterLease)(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      const replay = await routeAt(afterLease)(orderRequest(customerId, key, body));
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await replay.text()).toBe(await retry.text());
      expect(await ordersOf(product.id)).toBe(1);
      expect(await stockOf(product.id)).toBe(2);
    });

    test("an unexpected failure is not stored: the claim is released and a retry succeeds", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };
      let failuresLeft = 1;
      const failingOnce = db.$extends({
        query: {
          order: {
            async create({ args, query }) {
              if (failuresLeft-- > 0) throw new Error("The disk is full");
              return query(args);
            },
          },
        },
      }) as unknown as Database;

      const failed = await routeAt(new Date(), failingOnce)(orderRequest(customerId, key, body));
      expect(failed.status).toBe(500);
      expect(failed.headers.get("content-type")).toBe("application/problem+json");
      expect(await db.idempotencyRecord.count({ where: { customerId } })).toBe(0);
      expect(await stockOf(product.id)).toBe(3);

      const retry = await routeAt(new Date(), failingOnce)(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(await ordersOf(product.id)).toBe(1);
      expect(await stockOf(product.id)).toBe(2);
    });

    test("a 5xx the handler returns is not stored: it reaches the client as the handler made it, and a retry runs afresh", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };
      let runs = 0;
      // Takes the stock, then answers 503 the first time and 201 after that.
      const route = withIdempotency<PlaceOrderBody>(
        async ({ body, tx }) => {
          runs++;
          await tx.product.update({ where: { id: body.productId }, data: { stock: { decrement: body.quantity } } });
          if (runs === 1) {
            return new Response("The warehouse is not answering.", {
              status: 503,
              headers: { "Content-Type": "text/plain", "Retry-After": "7", "Cache-Control": "no-store" },
            });
          }
          return Response.json({ reserved: body.quantity }, { status: 201 });
        },
        { db, bodySchema: placeOrderBody, scope: customerIdOf, leaseSeconds, ttlSeconds },
      );

      const failed = await route(orderRequest(customerId, key, body));
      expect(failed.status).toBe(503);
      expect(failed.headers.get("retry-after")).toBe("7");
      expect(failed.headers.get("cache-control")).toBe("no-store");
      expect(failed.headers.get("content-type")).toBe("text/plain");
      expect(await failed.text()).toBe("The warehouse is not answering.");
      // Nothing of it was kept: not the record, not the work.
      expect(await db.idempotencyRecord.count({ where: { customerId } })).toBe(0);
      expect(await stockOf(product.id)).toBe(3);

      const retry = await route(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBeNull();
      const replay = await route(orderRequest(customerId, key, body));
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await replay.json()).toEqual({ reserved: 1 });
      expect(runs).toBe(2);
      expect(await stockOf(product.id)).toBe(2);
    });

    test("records live IDEMPOTENCY_KEY_TTL_SECONDS, 24 hours unless set, and leases IDEMPOTENCY_LEASE_SECONDS", async () => {
      /** The record's lifetime and lease, in seconds, as a route made under these variables writes them. */
      async function timesUnder(variables: Record<string, string>) {
        const saved = Object.keys(variables).map((name) => [name, process.env[name]] as const);
        Object.assign(process.env, variables);
        try {
          const customerId = randomUUID();
          let leased = 0;
          const route = withIdempotency(
            async ({ tx, scope, key }) => {
              const record = await tx.idempotencyRecord.findUniqueOrThrow({
                where: { customerId_key: { customerId: scope, key } },
              });
              leased = ((record.lockedUntil?.getTime() ?? 0) - record.createdAt.getTime()) / 1000;
              return Response.json({}, { status: 201 });
            },
            { db, bodySchema: placeOrderBody, scope: customerIdOf },
          );
          await route(orderRequest(customerId, "k", { productId: "p", quantity: 1 }));
          const record = await db.idempotencyRecord.findFirstOrThrow({ where: { customerId } });
          return { lives: (record.expiresAt.getTime() - record.createdAt.getTime()) / 1000, leased };
        } finally {
          for (const [name, value] of saved) {
            if (value === undefined) delete process.env[name];
            else process.env[name] = value;
          }
        }
      }
      const unset = { IDEMPOTENCY_KEY_TTL_SECONDS: "", IDEMPOTENCY_LEASE_SECONDS: "" };
      expect(await timesUnder(unset)).toEqual({ lives: 24 * 60 * 60, leased: 30 });
      expect(await timesUnder({ IDEMPOTENCY_KEY_TTL_SECONDS: "120", IDEMPOTENCY_LEASE_SECONDS: "7" })).toEqual({
        lives: 120,
        leased: 7,
      });
    });

    test("the same key and body to another path, or with another method, is another request: 422", async () => {
      const customerId = randomUUID();
      const key = randomUUID();
      const body = JSON.stringify({ productId: "p", quantity: 1 });
      const route = withIdempotency(async () => Response.json({}, { status: 201 }), {
        db,
        bodySchema: placeOrderBody,
        scope: customerIdOf,
        leaseSeconds,
        ttlSeconds,
      });
      const send = (method: string, path: string) =>
        route(
          new Request(`http://localhost${path}`, {
            method,
            headers: orderRequest(customerId, key, body).headers,
            body,
          }),
        );

      expect((await send("POST", "/api/orders")).status).toBe(201);
      expect((await send("POST", "/api/orders")).headers.get("idempotent-replayed")).toBe("true");
      for (const [method, path] of [
        ["POST", "/api/carts"],
        ["PUT", "/api/orders"],
      ] as const) {
        const other = await send(method, path);
        expect(other.status).toBe(422);
        expect((await other.json()).type).toMatch(/\/idempotency-key-reused$/);
      }
    });

    test("a completed record read without its status or its body is never replayed: the request fails", async () => {
      const customerId = randomUUID();
      const request = claimRequest({ scope: customerId });
      await db.idempotencyRecord.create({
        data: {
          customerId,
          key: request.key,
          fingerprint: request.fingerprint,
          state: "completed",
          ...storedResponse,
          expiresAt: secondsAfter(new Date(), 60),
        },
      });
      expect((await claimKey(db, { ...request, now: () => new Date() })).kind).toBe("completed");
      // The database refuses to store such a record (the CHECK constraint
      // IdempotencyRecord_completed_has_response, tests/migrations.test.ts), so the
      // record is read as if it lacked half its response.
      for (const missing of [{ responseStatus: null }, { responseBody: null }]) {
        const readWithout = db.$extends({
          query: {
            idempotencyRecord: {
              async findUnique({ args, query }) {
                const found = await query(args);
                return found && { ...found, ...missing };
              },
            },
          },
        }) as unknown as Database;
        await expect(claimKey(readWithout, { ...request, now: () => new Date() })).rejects.toThrow(
          "completed without a response",
        );
      }
    });

    test("a request whose claim was taken over cannot complete: its order rolls back with the record", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const request = claimRequest({ scope: customerId, key, body: { productId: product.id, quantity: 1 } });
      const t0 = new Date();
      // A claims the key, then stalls past its lease; B takes the key over.
      const a = await claimKey(db, { ...request, now: () => t0 });
      const b = await claimKey(db, { ...request, now: () => secondsAfter(t0, leaseSeconds + 1) });
      expect(a.kind).toBe("claimed");
      expect(b.kind).toBe("claimed");
      if (a.kind !== "claimed") return;

      // A wakes up and does its work; storing its response fails, and the work goes with it.
      const stalled = runInTransaction(db, async (tx) => {
        await placeOrder(tx, {
          customerId,
          orderKey: orderKeyFor(customerId, key),
          productId: product.id,
          quantity: 1,
        });
        await completeRecord(tx, a.claim, { status: 201, headers: {}, body: "{}" });
      });
      await expect(stalled).rejects.toBeInstanceOf(LostClaimError);
      expect(await ordersOf(product.id)).toBe(0);
      expect(await stockOf(product.id)).toBe(3);
    });

    test("a key that changes hands faster than a request can look is answered 'in progress', not chased forever", async () => {
      // Every insert meets the key, and every look finds it gone again.
      let rounds = 0;
      const keyInFlux = db.$extends({
        query: {
          idempotencyRecord: {
            create: async () => {
              rounds++;
              // A turn of the event loop: without a bound, the test times out rather than hangs.
              await new Promise((resolve) => setImmediate(resolve));
              throw new Prisma.PrismaClientKnownRequestError("Unique constraint failed", {
                code: "P2002",
                clientVersion: "test",
              });
            },
            findUnique: async () => null,
          },
        },
      }) as unknown as Database;

      expect(await claimKey(keyInFlux, { ...claimRequest(), now: () => new Date() })).toEqual({ kind: "in-progress" });
      expect(rounds).toBe(5);
    });

    test("a request whose claim was taken over cannot release the claim of the request that took it", async () => {
      const request = claimRequest();
      const t0 = new Date();
      const a = await claimKey(db, { ...request, now: () => t0 });
      const b = await claimKey(db, { ...request, now: () => secondsAfter(t0, leaseSeconds + 1) });
      if (a.kind !== "claimed" || b.kind !== "claimed") throw new Error("Both should have claimed the key in turn");

      // A fails and gives its key back: the key is no longer A's to give.
      await releaseClaim(db, a.claim);
      const record = await db.idempotencyRecord.findUniqueOrThrow({ where: { id: b.claim.recordId } });
      expect(record.lockedBy).toBe(b.claim.token);
    });

    test("a key reclaimed after expiry for another body answers that body's retries from then on", async () => {
      const product = await createProduct(0);
      const customerId = randomUUID();
      const key = randomUUID();
      const t0 = new Date();
      const sold = await routeAt(t0)(orderRequest(customerId, key, { productId: product.id, quantity: 2 }));
      expect(sold.status).toBe(409); // out of stock, stored under the key
      await db.product.update({ where: { id: product.id }, data: { stock: 5 } });

      // Once that answer has expired, the key is free for another request...
      const later = routeAt(secondsAfter(t0, ttlSeconds + 1));
      const body = { productId: product.id, quantity: 1 };
      const placed = await later(orderRequest(customerId, key, body));
      expect(placed.status).toBe(201);

      // ...and the record is that request's now: its retry is a replay, not a 422.
      const retry = await later(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(await retry.text()).toBe(await placed.text());
    });

    test("an order key that another transaction wrote after our look is a 409 to retry, not a 500", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      await db.order.create({
        data: {
          orderKey: orderKeyFor(customerId, key),
          customerId,
          productId: product.id,
          quantity: 1,
          totalCents: 1000,
          status: "confirmed",
        },
      });
      // The look-up misses the order, as it does when the order commits just after it.
      const lateToSee = db.$extends({
        query: { order: { findUnique: async () => null } },
      }) as unknown as Database;

      const response = await routeAt(
        new Date(),
        lateToSee,
      )(orderRequest(customerId, key, { productId: product.id, quantity: 1 }));
      expect(response.status).toBe(409);
      expect(response.headers.get("retry-after")).toBe("1");
      expect((await response.json()).type).toMatch(/\/idempotency-key-in-use$/);
      expect(await ordersOf(product.id)).toBe(1);
      expect(await stockOf(product.id)).toBe(3);
    });

    test("a key taken over just before its record expires is not reclaimed as expired while its new holder works", async () => {
      const request = claimRequest();
      const t0 = new Date();
      // A claims the key and dies. B takes it over 5 s before the record would expire.
      const a = await claimKey(db, { ...request, now: () => t0 });
      const takeOverAt = secondsAfter(t0, ttlSeconds - 5);
      const b = await claimKey(db, { ...request, now: () => takeOverAt });
      expect(a.kind).toBe("claimed");
      expect(b.kind).toBe("claimed");
      if (b.kind !== "claimed") return;

      // Past the record's first expiry, but well within B's lease: C must wait.
      const c = await claimKey(db, { ...request, now: () => secondsAfter(t0, ttlSeconds + 1) });
      expect(c.kind).toBe("in-progress");
      await runInTransaction(db, (tx) => completeRecord(tx, b.claim, { status: 201, headers: {}, body: "{}" }));
      const record = await db.idempotencyRecord.findUniqueOrThrow({ where: { id: b.claim.recordId } });
      expect(record.expiresAt.getTime()).toBe(secondsAfter(takeOverAt, ttlSeconds).getTime());
    });

    test("an expired record is not replayed, and the order key still stops a second order", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };
      const t0 = new Date();

      const first = await routeAt(t0)(orderRequest(customerId, key, body));
      expect(first.status).toBe(201);
      const firstBody = await first.text();
      const afterExpiry = routeAt(secondsAfter(t0, ttlSeconds + 1));

      // After expiry the key cannot be turned into another order...
      const other = await afterExpiry(orderRequest(customerId, key, { productId: product.id, quantity: 2 }));
      expect(other.status).toBe(422);
      expect((await other.json()).type).toMatch(/\/idempotency-key-reused$/);

      // ...and that refusal was not stored: a retry of the original gets its order back.
      const retry = await afterExpiry(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBeNull(); // not a replay: the order key answered
      expect(await retry.text()).toBe(firstBody);
      expect(retry.headers.get("location")).toBe(first.headers.get("location"));
      expect(await ordersOf(product.id)).toBe(1);
      expect(await stockOf(product.id)).toBe(2);
    });

    test("after expiry, a retry of the original that meets another body's request at work waits, then gets its order back", async () => {
      const t0 = new Date();
      const { product, customerId, key, body, firstBody } = await orderPlacedAt(t0);

      // Past the record's expiry, a request with another body reclaims the key and is at work...
      const t1 = secondsAfter(t0, ttlSeconds + 1);
      const other = await claimedAt(t1, customerId, key, { productId: product.id, quantity: 2 });
      // ...when the original's retry comes: told to wait, not refused for the other's body.
      const retry = () => routeAt(t1)(orderRequest(customerId, key, body));
      const waited = await retry();
      expect(waited.status).toBe(409);
      expect((await waited.json()).type).toMatch(/\/idempotency-key-in-use$/);

      // The other request is refused without storing anything (the order key found this
      // key's order), and gives the key back; the retry then gets its order.
      await releaseClaim(db, other);
      const again = await retry();
      expect(again.status).toBe(201);
      expect(await again.text()).toBe(firstBody);
      expect(await ordersOf(product.id)).toBe(1);
    });

    test("after expiry, another body's request that reclaimed the key and died: the original's retry takes it over after the lease, and gets its order", async () => {
      const t0 = new Date();
      const { product, customerId, key, body, firstBody } = await orderPlacedAt(t0);

      const t1 = secondsAfter(t0, ttlSeconds + 1);
      await claimedAt(t1, customerId, key, { productId: product.id, quantity: 2 }); // and never completes

      const afterLease = routeAt(secondsAfter(t1, leaseSeconds + 1));
      const retry = await afterLease(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(await retry.text()).toBe(firstBody);
      // The key is this body's now: its next retry is a replay.
      const again = await afterLease(orderRequest(customerId, key, body));
      expect(again.headers.get("idempotent-replayed")).toBe("true");
      expect(await ordersOf(product.id)).toBe(1);
    });

    test("the same key with another body while the first is at work: 409, then 422 once the first's answer is stored", async () => {
      const product = await createProduct(3);
      const customerId = randomUUID();
      const key = randomUUID();
      const t0 = new Date();
      const first = await claimedAt(t0, customerId, key, { productId: product.id, quantity: 1 });
      const other = () => routeAt(t0)(orderRequest(customerId, key, { productId: product.id, quantity: 2 }));

      const waited = await other();
      expect(waited.status).toBe(409);
      expect((await waited.json()).type).toMatch(/\/idempotency-key-in-use$/);

      await runInTransaction(db, (tx) => completeRecord(tx, first, { status: 201, headers: {}, body: "{}" }));
      const refused = await other();
      expect(refused.status).toBe(422);
      expect((await refused.json()).type).toMatch(/\/idempotency-key-reused$/);
      expect(await ordersOf(product.id)).toBe(0);
    });

    test("a key whose holder died before placing anything goes to the next request, whatever its body", async () => {
      const product = await createProduct(5);
      const customerId = randomUUID();
      const key = randomUUID();
      const t0 = new Date();
      const dead = await claimedAt(t0, customerId, key, { productId: product.id, quantity: 1 });

      const afterLease = routeAt(secondsAfter(t0, leaseSeconds + 1));
      const taker = await afterLease(orderRequest(customerId, key, { productId: product.id, quantity: 2 }));
      expect(taker.status).toBe(201);
      expect(await stockOf(product.id)).toBe(3);
      // The key is the taker's body's now; the body that died with it is another request.
      const original = await afterLease(orderRequest(customerId, key, { productId: product.id, quantity: 1 }));
      expect(original.status).toBe(422);
      // Had the first holder been slow, not dead, its answer would not be stored.
      const late = runInTransaction(db, (tx) => completeRecord(tx, dead, { status: 201, headers: {}, body: "{}" }));
      await expect(late).rejects.toThrow(LostClaimError);
      expect(await ordersOf(product.id)).toBe(1);
      expect(await stockOf(product.id)).toBe(3);
    });

    test("a stored business failure is replayed until it expires, then the request runs afresh", async () => {
      const product = await createProduct(0);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };
      const t0 = new Date();

      const first = await routeAt(t0)(orderRequest(customerId, key, body));
      expect(first.status).toBe(409);
      await db.product.update({ where: { id: product.id }, data: { stock: 5 } });

      const replay = await routeAt(secondsAfter(t0, 60))(orderRequest(customerId, key, body));
      expect(replay.status).toBe(409);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      expect(await replay.text()).toBe(await first.text());

      const afterExpiry = await routeAt(secondsAfter(t0, ttlSeconds + 1))(orderRequest(customerId, key, body));
      expect(afterExpiry.status).toBe(201);
      expect(await ordersOf(product.id)).toBe(1);
    });

    test("cleanup deletes expired records, batch by batch, and keeps live ones", async () => {
      const customerId = randomUUID();
      const product = await createProduct(5);
      const t0 = new Date();
      const longAgo = routeAt(secondsAfter(t0, -ttlSeconds - 10));
      for (const key of ["old-1", "old-2", "old-3"]) {
        await longAgo(orderRequest(customerId, key, { productId: product.id, quantity: 1 }));
      }
      await routeAt(t0)(orderRequest(customerId, "fresh", { productId: product.id, quantity: 1 }));

      // Other tests' expired records may be deleted too, so count at least ours.
      expect(await deleteExpiredRecords(db, t0, 2)).toBeGreaterThanOrEqual(3);
      const left = await db.idempotencyRecord.findMany({ where: { customerId }, select: { key: true } });
      expect(left).toEqual([{ key: "fresh" }]);
      expect(await ordersOf(product.id)).toBe(4); // orders are not touched
    });

    test("cleanup takes each batch in id order, whatever the query plan", async () => {
      const run = randomUUID();
      const longAgo = new Date("2000-01-01T00:00:00Z");
      // Inserted in neither id order nor expiry order: expiry runs against the ids.
      for (const n of [3, 5, 1, 4, 2]) {
        await db.idempotencyRecord.create({
          data: {
            id: `${run}-${n}`,
            customerId: run,
            key: `key-${n}`,
            fingerprint: "f",
            state: "completed",
            ...storedResponse,
            expiresAt: secondsAfter(longAgo, 10 - n),
          },
        });
      }
      const batches: unknown[] = [];
      const watched = db.$extends({
        query: {
          idempotencyRecord: {
            async deleteMany({ args, query }) {
              batches.push((args.where?.id as { in?: string[] } | undefined)?.in);
              return query(args);
            },
          },
        },
      }) as unknown as Database;

      // Only these records expired by then.
      expect(await deleteExpiredRecords(watched, secondsAfter(longAgo, 60), 2)).toBe(5);
      expect(batches).toEqual([[`${run}-1`, `${run}-2`], [`${run}-3`, `${run}-4`], [`${run}-5`]]);
    });
  });
}

// What needs two transactions at work at once: PostgreSQL. (SQLite's one connection runs
// them one after the other, so the second would wait for the first to finish.)
test.describe("the idempotency wrapper beside other transactions, on postgresql", () => {
  const database = useTestDatabase("postgresql");
  /**
   * Four requests claim one key at once, and each decides only once all four have
   * looked at its record: all of them see the same record before any of them writes.
   * Their outcomes, sorted. (Fewer requests than the pool has connections: each
   * waits inside a transaction.)
   */
  async function claimTogether(request: ReturnType<typeof claimRequest>, now: Date) {
    const requests = 4;
    let looked = 0;
    let allLooked!: () => void;
    const barrier = new Promise<void>((resolve) => (allLooked = resolve));
    const db = database.db.$extends({
      query: {
        idempotencyRecord: {
          async findUnique({ args, query }) {
            const found = await query(args);
            if (++looked === requests) allLooked();
            await barrier;
            return found;
          },
        },
      },
    }) as unknown as Database;
    const outcomes = await Promise.all(
      Array.from({ length: requests }, () => claimKey(db, { ...request, now: () => now })),
    );
    return outcomes.map((outcome) => outcome.kind).sort();
  }
  const oneWinner = ["claimed", "in-progress", "in-progress", "in-progress"];

  test("of concurrent claims on a new key that all reach their write together, exactly one wins", async () => {
    // Each claim is held at its first write to the record until all four have reached
    // theirs; reads go through. So whatever a claim reads first, all of them have read
    // it before any of them writes: a "select, then insert" claim sees no record in
    // every request, every time. Only the unique key can pick the one winner.
    const requests = 4; // fewer than the pool has connections: each waits inside a transaction
    let arrived = 0;
    let allArrived!: () => void;
    const barrier = new Promise<void>((resolve) => (allArrived = resolve));
    const reads = new Set(["findUnique", "findUniqueOrThrow", "findFirst", "findFirstOrThrow", "findMany", "count"]);
    const db = database.db.$extends({
      query: {
        idempotencyRecord: {
          async $allOperations({ operation, args, query }) {
            if (!reads.has(operation) && arrived < requests) {
              if (++arrived === requests) allArrived();
              await barrier;
            }
            return query(args);
          },
        },
      },
    }) as unknown as Database;

    const request = { ...claimRequest(), now: () => new Date() };
    const outcomes = await Promise.all(Array.from({ length: requests }, () => claimKey(db, request)));
    expect(arrived).toBe(requests);
    expect(outcomes.map((outcome) => outcome.kind).sort()).toEqual(oneWinner);
  });

  test("of retries that all find the lease run out, exactly one takes the key over", async () => {
    const request = claimRequest();
    const t0 = new Date();
    expect((await claimKey(database.db, { ...request, now: () => t0 })).kind).toBe("claimed");

    expect(await claimTogether(request, secondsAfter(t0, leaseSeconds + 1))).toEqual(oneWinner);
  });

  test("of requests that all find the record expired, exactly one claims the key afresh", async () => {
    const request = claimRequest();
    const t0 = new Date();
    const first = await claimKey(database.db, { ...request, now: () => t0 });
    if (first.kind !== "claimed") throw new Error(`Not claimed: ${first.kind}`);
    await runInTransaction(database.db, (tx) =>
      completeRecord(tx, first.claim, { status: 201, headers: {}, body: "{}" }),
    );

    expect(await claimTogether(request, secondsAfter(t0, ttlSeconds + 1))).toEqual(oneWinner);
  });

  test("a request whose key is taken over while it works answers 409 to retry, and its order rolls back", async () => {
    const { db } = database;
    const product = await database.createProduct(3);
    const customerId = randomUUID();
    const key = randomUUID();
    const body = { productId: product.id, quantity: 1 };
    const t0 = new Date();
    // While the request writes its order, a retry that believes its lease is over takes the key.
    const takenOverMidway = db.$extends({
      query: {
        order: {
          async create({ args, query }) {
            const retry = await claimKey(db, {
              ...claimRequest({ scope: customerId, key, body }),
              now: () => secondsAfter(t0, leaseSeconds + 1),
            });
            expect(retry.kind).toBe("claimed");
            return query(args);
          },
        },
      },
    }) as unknown as Database;

    const response = await createPlaceOrderRoute(takenOverMidway, { now: () => t0, leaseSeconds, ttlSeconds })(
      orderRequest(customerId, key, body),
    );
    expect(response.status).toBe(409);
    expect(response.headers.get("retry-after")).toBe("1");
    expect((await response.json()).type).toMatch(/\/idempotency-key-in-use$/);
    expect(await db.order.count({ where: { productId: product.id } })).toBe(0);
  });

  test("cleanup leaves alone a record that a request reclaimed after cleanup had read it as expired", async () => {
    const { db } = database;
    const customerId = randomUUID();
    const key = randomUUID();
    const expiredAt = new Date("1991-01-01T00:00:00Z");
    await db.idempotencyRecord.create({
      data: { customerId, key, fingerprint: "f", state: "completed", ...storedResponse, expiresAt: expiredAt },
    });
    // Between cleanup's read and its delete, a request claims the expired key afresh.
    let reclaimed = false;
    const readThenReclaimed = db.$extends({
      query: {
        idempotencyRecord: {
          async findMany({ args, query }) {
            const found = await query(args);
            if (!reclaimed) {
              reclaimed = true;
              expect(
                (await claimKey(db, { ...claimRequest({ scope: customerId, key }), now: () => new Date() })).kind,
              ).toBe("claimed");
            }
            return found;
          },
        },
      },
    }) as unknown as Database;

    await deleteExpiredRecords(readThenReclaimed, secondsAfter(expiredAt, 60));
    expect(await db.idempotencyRecord.count({ where: { customerId } })).toBe(1);
  });

  test("a batch that another cleanup partly deleted is not taken for the last one", async () => {
    const { db, url } = database;
    const customerId = randomUUID();
    const longAgo = new Date("1990-01-01T00:00:00Z");
    for (const n of [1, 2, 3]) {
      await db.idempotencyRecord.create({
        data: {
          id: `expired-${n}`,
          customerId,
          key: `key-${n}`,
          fingerprint: "f",
          state: "completed",
          ...storedResponse,
          expiresAt: longAgo,
        },
      });
    }
    const rival = new pg.Client({ connectionString: url });
    await rival.connect();
    try {
      // The other cleanup has deleted the first record and not committed yet.
      await rival.query("BEGIN");
      await rival.query(`DELETE FROM "IdempotencyRecord" WHERE "id" = 'expired-1'`);

      // Ours takes the first two in its batch and waits for that row's fate...
      const cleaning = deleteExpiredRecords(db, secondsAfter(longAgo, 60), 2);
      await expect.poll(() => connectionsWaitingForLocks(url)).toBe(1);
      await rival.query("COMMIT");

      // ...deletes one of its two, and still goes on to the third.
      expect(await cleaning).toBe(2);
      expect(await db.idempotencyRecord.count({ where: { customerId } })).toBe(0);
    } finally {
      await rival.end();
    }
  });
});
