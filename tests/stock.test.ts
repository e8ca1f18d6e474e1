// The optimistic lock on stock, against real SQLite and PostgreSQL databases.
//
// On both, a rival writer can be staged inside our own transaction: it changes the
// product right after each of our reads, as a concurrent order would. PostgreSQL
// runs writers truly concurrently, so there the rival is also a second connection.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import type { Database, Transaction } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { decrementStockWithVersion, StockContentionError, takeStock } from "@/lib/orders/stock";
import pg from "pg";
import { orderRequest, providers, useTestDatabase } from "@/tests/support/database";
import { connectionsWaitingForLocks } from "@/tests/support/postgres";

/** `tx`, but after each of the first `times` product reads a rival raises the price by 1 cent. */
function withRivalWriter(tx: Transaction, times: number): Transaction {
  let left = times;
  const product = new Proxy(tx.product, {
    get(target, property, receiver) {
      if (property !== "findUnique") return Reflect.get(target, property, receiver);
      return async (args: Parameters<Transaction["product"]["findUnique"]>[0]) => {
        const read = await target.findUnique(args);
        if (read && left-- > 0) {
          await target.update({
            where: { id: read.id },
            data: { priceCents: { increment: 1 }, version: { increment: 1 } },
          });
        }
        return read;
      };
    },
  });
  return new Proxy(tx, {
    get: (target, property) => (property === "product" ? product : Reflect.get(target, property)),
  });
}

/** `db`, but inside each of its transactions the rival writes after every product read. */
function withRivalInEveryTransaction(db: Database): Database {
  return new Proxy(db, {
    get(target, property) {
      if (property !== "$transaction") return Reflect.get(target, property);
      return (work: (tx: Transaction) => Promise<unknown>, options?: { maxWait?: number; timeout?: number }) =>
        target.$transaction((tx) => work(withRivalWriter(tx, Infinity)), options);
    },
  });
}

for (const provider of providers) {
  test.describe(`the optimistic lock on stock, on ${provider}`, () => {
    const database = useTestDatabase(provider);
    const { createProduct } = database;
    let db: Database;
    test.beforeAll(() => {
      db = database.db;
    });

    test("a decrement against a version that has moved on writes nothing", async () => {
      const product = await createProduct(5);
      await db.product.update({ where: { id: product.id }, data: { version: { increment: 1 } } });

      const written = await runInTransaction(db, (tx) => decrementStockWithVersion(tx, product, 1));
      expect(written).toBe(false);
      expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stock: 5, version: 1 });
    });

    test("a decrement never takes stock below zero", async () => {
      const product = await createProduct(2);
      const written = await runInTransaction(db, (tx) => decrementStockWithVersion(tx, product, 3));
      expect(written).toBe(false);
      expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(2);
    });

    test("after losing to a rival, it reads again and charges the price it finally wrote against", async () => {
      const product = await createProduct(5, 1000);
      const taken = await runInTransaction(db, (tx) => takeStock(withRivalWriter(tx, 2), product.id, 1));

      expect(taken).toEqual({ kind: "taken", priceCents: 1002 }); // the price after both rival writes
      expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stock: 4, version: 3 });
    });

    test("each lost round waits a jittered while before reading again", async () => {
      const product = await createProduct(5);
      let waits = 0;
      const random = () => {
        waits++; // each wait draws its length
        return 0;
      };
      await runInTransaction(db, (tx) => takeStock(withRivalWriter(tx, 2), product.id, 1, { random }));
      expect(waits).toBe(2); // after each of the two lost rounds; none before the first read
    });

    test("it gives up after a bounded number of lost rounds, leaving the stock alone", async () => {
      const product = await createProduct(5);
      const taking = runInTransaction(db, (tx) =>
        takeStock(withRivalWriter(tx, 100), product.id, 1, { maxAttempts: 4, random: () => 0 }),
      );
      await expect(taking).rejects.toBeInstanceOf(StockContentionError);
      expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(5);
    });

    test("when every round is lost, the order route answers 409 stock-contention, keeps nothing, and a retry succeeds", async () => {
      const product = await createProduct(5);
      const customerId = randomUUID();
      const key = randomUUID();
      const body = { productId: product.id, quantity: 1 };

      const contended = await createPlaceOrderRoute(withRivalInEveryTransaction(db))(
        orderRequest(customerId, key, body),
      );
      expect(contended.status).toBe(409);
      expect(contended.headers.get("content-type")).toBe("application/problem+json");
      expect(contended.headers.get("retry-after")).toBe("1");
      expect((await contended.json()).type).toMatch(/\/stock-contention$/);
      // Not stored, and the rival's writes rolled back with ours: nothing is left.
      expect(await db.idempotencyRecord.count({ where: { customerId } })).toBe(0);
      expect(await db.order.count({ where: { productId: product.id } })).toBe(0);
      expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stock: 5, version: 0 });

      // The key was released: a retry, once the rush is over, places the order.
      const retry = await createPlaceOrderRoute(db)(orderRequest(customerId, key, body));
      expect(retry.status).toBe(201);
      expect(await db.order.count({ where: { productId: product.id } })).toBe(1);
      expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(4);
    });

    // Only PostgreSQL lets a second connection write between our read and our write.
    if (provider === "postgresql") {
      test("a sale committed by another connection between our read and our write makes us read again", async () => {
        const product = await createProduct(5, 1000);
        const rival = new pg.Client({ connectionString: database.url });
        await rival.connect();
        try {
          // The rival sells one unit at a new price, and holds its row lock, uncommitted.
          await rival.query("BEGIN");
          await rival.query(
            'UPDATE "Product" SET stock = stock - 1, "priceCents" = 1100, version = version + 1 WHERE id = $1',
            [product.id],
          );

          // We read the old row (version 0), and our versioned update waits for the rival's lock.
          const taking = runInTransaction(db, (tx) => takeStock(tx, product.id, 1));
          await expect.poll(() => connectionsWaitingForLocks(database.url)).toBe(1);
          await rival.query("COMMIT");

          // Our update found version 1, wrote nothing, and the retry read the rival's row.
          expect(await taking).toEqual({ kind: "taken", priceCents: 1100 });
          expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({
            stock: 3,
            version: 2,
          });
        } finally {
          await rival.end();
        }
      });
    }
  });
}
