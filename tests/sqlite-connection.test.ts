// The SQLite connection's settings (docs/decisions/0004-sqlite-connection.md), seen from
// a second connection to the same file, as the cleanup script or a test fixture opens.
//
// The second connection has no busy timeout: a lock it cannot take is reported at
// once (SQLITE_BUSY) instead of waited for. better-sqlite3 is synchronous, so a
// connection in this process that waited would also stop the app's transaction it
// waits for; reporting at once keeps both in one process, in a fixed order.
//
// The app waits for another process's writer without blocking its own process (it
// asks again after short pauses), so a test can play the other writer in this same
// process, and let go while the app waits.
import Sqlite from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { useTestDatabase } from "@/tests/support/database";

test.describe("the SQLite connection beside another process's connection", () => {
  const database = useTestDatabase("sqlite");

  function otherConnection() {
    return new Sqlite(database.url.slice("file:".length), { timeout: 0 });
  }

  test("a write between an order's read and its write waits for the order: neither update is lost", async () => {
    const { db } = database;
    const product = await database.createProduct(10);
    const other = otherConnection();
    const takeOne = other.prepare(`UPDATE "Product" SET "stock" = "stock" - 1 WHERE "id" = ?`);
    let otherWasTold: unknown;
    try {
      // Read, then write what was read, as an order does with the stock. With a plain
      // BEGIN the read takes a snapshot, the other write commits, and the order's write
      // fails with SQLITE_BUSY: its snapshot is stale. The app takes the write lock at
      // the start, so the other writer is the one that waits.
      await runInTransaction(db, async (tx) => {
        const { stock } = await tx.product.findUniqueOrThrow({ where: { id: product.id } });
        try {
          takeOne.run(product.id);
        } catch (error) {
          otherWasTold = (error as { code?: unknown }).code;
        }
        await tx.product.update({ where: { id: product.id }, data: { stock: stock - 2 } });
      });
      expect(otherWasTold).toBe("SQLITE_BUSY");

      // Its turn comes once the order has committed.
      takeOne.run(product.id);
      expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(7);
    } finally {
      other.close();
    }
  });

  test("a reader in the middle of its transaction does not hold up a write, and keeps seeing what it saw", async () => {
    const { db } = database;
    const product = await database.createProduct(10);
    const other = otherConnection();
    const stockSeen = other.prepare<[string], { stock: number }>(`SELECT "stock" FROM "Product" WHERE "id" = ?`);
    try {
      other.exec("BEGIN");
      expect(stockSeen.get(product.id)?.stock).toBe(10);

      // Without WAL the reader's shared lock keeps the write from committing until the
      // busy timeout, then the order fails with "database is locked". With WAL the
      // write commits beside the reader.
      await runInTransaction(db, (tx) =>
        tx.product.update({ where: { id: product.id }, data: { stock: { decrement: 3 } } }),
      );

      expect(stockSeen.get(product.id)?.stock).toBe(10);
      other.exec("COMMIT");
      expect(stockSeen.get(product.id)?.stock).toBe(7);
    } finally {
      other.close();
    }
  });

  test("a transaction that waits for another process's writer leaves the process free, and goes on after its commit", async () => {
    const product = await database.createProduct(10);
    const db = createDatabaseClient(database.url, { ...readEnv(), DATABASE_SQLITE_BUSY_TIMEOUT_MS: 5_000 });
    const other = otherConnection();
    const warn = console.warn;
    try {
      const waiting = new Promise<void>((resolve) => (console.warn = () => resolve()));
      other.exec("BEGIN IMMEDIATE");
      other.prepare(`UPDATE "Product" SET "stock" = "stock" - 1 WHERE "id" = ?`).run(product.id);
      const order = runInTransaction(db, async (tx) => {
        const { stock } = await tx.product.findUniqueOrThrow({ where: { id: product.id } });
        await tx.product.update({ where: { id: product.id }, data: { stock: stock - 2 } });
      });

      // The app says that it waits. Were it waiting inside SQLite, this process would
      // be stopped until the wait ran out, and the other writer could not finish.
      await waiting;
      other.exec("COMMIT");
      await order;
      // It read the stock after the other writer's commit: neither update is lost.
      expect(
        (await runInTransaction(db, (tx) => tx.product.findUniqueOrThrow({ where: { id: product.id } }))).stock,
      ).toBe(7);
    } finally {
      console.warn = warn;
      other.close();
      await db.$disconnect();
    }
  });

  test("a wait for another process's writer that runs out fails that transaction, not the ones after it", async () => {
    const product = await database.createProduct(10);
    const db = createDatabaseClient(database.url, { ...readEnv(), DATABASE_SQLITE_BUSY_TIMEOUT_MS: 20 });
    const other = otherConnection();
    const takeOne = (tx: Parameters<Parameters<typeof runInTransaction>[1]>[0]) =>
      tx.product.update({ where: { id: product.id }, data: { stock: { decrement: 1 } } });
    try {
      other.exec("BEGIN IMMEDIATE"); // holds the write lock past the app's busy timeout
      await expect(runInTransaction(db, takeOne)).rejects.toThrow(/timed out/); // how Prisma reports SQLITE_BUSY
      other.exec("COMMIT");
      // The failed transaction is over: a write outside any (as a fixture makes) commits.
      await db.product.update({ where: { id: product.id }, data: { name: "Renamed" } });
      expect(other.prepare(`SELECT "name" FROM "Product" WHERE "id" = ?`).get(product.id)).toEqual({ name: "Renamed" });

      // Once the other writer is done, the app's next transactions go through, at once.
      await runInTransaction(db, takeOne);
      await runInTransaction(db, takeOne);
      expect(
        (await runInTransaction(db, (tx) => tx.product.findUniqueOrThrow({ where: { id: product.id } }))).stock,
      ).toBe(8);
    } finally {
      other.close();
      await db.$disconnect();
    }
  });

  test("a COMMIT that fails leaves no transaction open: the next one starts afresh", async () => {
    const { db } = database;
    const product = await database.createProduct(10);
    // A foreign key checked only at COMMIT: the COMMIT fails, and SQLite keeps the
    // transaction open, as it does after some other failed COMMITs (a full disk).
    await expect(
      runInTransaction(db, async (tx) => {
        await tx.$executeRawUnsafe("PRAGMA defer_foreign_keys = ON");
        await tx.$executeRawUnsafe(
          `INSERT INTO "Order" ("id", "orderKey", "customerId", "productId", "quantity", "totalCents", "status")
           VALUES ('orphan', 'orphan-key', 'c', 'no-such-product', 1, 100, 'CONFIRMED')`,
        );
      }),
    ).rejects.toThrow(/foreign ?key/i);

    // Rolled back at once: a write outside any transaction commits, the orphan does not.
    await db.product.update({ where: { id: product.id }, data: { name: "Renamed" } });
    const seen = otherConnection();
    try {
      expect(seen.prepare(`SELECT "name" FROM "Product" WHERE "id" = ?`).get(product.id)).toEqual({ name: "Renamed" });
    } finally {
      seen.close();
    }
    await runInTransaction(db, (tx) =>
      tx.product.update({ where: { id: product.id }, data: { stock: { decrement: 1 } } }),
    );
    const other = otherConnection(); // sees only what was committed
    try {
      expect(other.prepare(`SELECT count(*) AS n FROM "Order" WHERE "id" = 'orphan'`).get()).toEqual({ n: 0 });
      expect(other.prepare(`SELECT "stock" FROM "Product" WHERE "id" = ?`).get(product.id)).toEqual({ stock: 9 });
    } finally {
      other.close();
    }
  });

  // Read on the app's own connection: the synchronous setting is each connection's own.
  test("the app's connection logs ahead of its writes (WAL) and syncs each commit to disk (FULL)", async () => {
    const [journal, sync] = await runInTransaction(database.db, async (tx) => [
      await tx.$queryRawUnsafe<{ journal_mode: string }[]>("PRAGMA journal_mode"),
      await tx.$queryRawUnsafe<{ synchronous: number | bigint }[]>("PRAGMA synchronous"),
    ]);
    expect(journal).toEqual([{ journal_mode: "wal" }]);
    // 2 is FULL: a confirmed order survives a power cut, not only a crash of the app.
    expect(Number(sync?.[0]?.synchronous)).toBe(2);
  });
});
