// The optimistic lock on stock, against a real SQLite database. SQLite runs one
// writer at a time, so a rival writer is staged inside the same transaction: it
// changes the product right after each of our reads, as a concurrent order would.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { Database, Transaction } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { decrementStockWithVersion, reserveStock, StockContentionError } from "@/lib/orders/stock";
import { createTestDatabase, type TestDatabase } from "@/tests/support/database";

let database: TestDatabase;
let db: Database;

test.beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});

test.afterAll(async () => {
  await database.drop();
});

async function createProduct(stock: number, priceCents = 1000) {
  return db.product.create({ data: { id: `p-${randomUUID()}`, name: "Test product", priceCents, stock } });
}

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

test.describe("the optimistic lock on stock", () => {
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
    const reservation = await runInTransaction(db, (tx) => reserveStock(withRivalWriter(tx, 2), product.id, 1));

    expect(reservation.kind).toBe("reserved");
    if (reservation.kind !== "reserved") return;
    expect(reservation.product.priceCents).toBe(1002); // the price after both rival writes
    expect(await db.product.findUniqueOrThrow({ where: { id: product.id } })).toMatchObject({ stock: 4, version: 3 });
  });

  test("it gives up after a bounded number of lost rounds, leaving the stock alone", async () => {
    const product = await createProduct(5);
    const reservation = runInTransaction(db, (tx) =>
      reserveStock(withRivalWriter(tx, 100), product.id, 1, { maxAttempts: 4, random: () => 0 }),
    );
    await expect(reservation).rejects.toBeInstanceOf(StockContentionError);
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(5);
  });
});
