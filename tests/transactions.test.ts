// Transient database failures (deadlocks, serialization failures) are run again, and
// the order's transaction takes its row locks in one fixed order.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import type { Database, Transaction } from "@/lib/database/client";
import { isTransientDatabaseError } from "@/lib/database/errors";
import { maxTransactionAttempts, runInTransaction } from "@/lib/database/transaction";
import { Prisma } from "@/prisma/generated/sqlite/client";
import { orderRequest, providers, useTestDatabase } from "@/tests/support/database";

test.describe("transient failures on postgresql", () => {
  const database = useTestDatabase("postgresql");

  test("a transaction chosen as a deadlock victim is run again and succeeds", async () => {
    const { db } = database;
    const [a, b] = [`p-${randomUUID()}`, `p-${randomUUID()}`];
    await db.product.createMany({
      data: [
        { id: a, name: "A", priceCents: 100, stock: 10 },
        { id: b, name: "B", priceCents: 100, stock: 10 },
      ],
    });

    // Two transactions lock the two rows in opposite orders. On their first attempt
    // each waits until both hold their first lock, so PostgreSQL must break the
    // deadlock by aborting one of them (SQLSTATE 40P01).
    let holding = 0;
    let bothHolding!: () => void;
    const barrier = new Promise<void>((resolve) => (bothHolding = resolve));
    const attempts = { ab: 0, ba: 0 };
    const transfer = (name: keyof typeof attempts, first: string, second: string) =>
      runInTransaction(db, async (tx) => {
        attempts[name]++;
        await tx.product.update({ where: { id: first }, data: { stock: { decrement: 1 } } });
        if (attempts[name] === 1) {
          if (++holding === 2) bothHolding();
          await barrier;
        }
        await tx.product.update({ where: { id: second }, data: { stock: { decrement: 1 } } });
      });

    await Promise.all([transfer("ab", a, b), transfer("ba", b, a)]);

    // One of them ran again; on a busy server a further round has been seen, and is fine.
    expect(attempts.ab + attempts.ba).toBeGreaterThanOrEqual(3);
    const stocks = await db.product.findMany({ where: { id: { in: [a, b] } }, select: { stock: true } });
    expect(stocks).toEqual([{ stock: 8 }, { stock: 8 }]);
  });
});

test.describe("recognising transient failures", () => {
  const known = (code: string, originalCode?: string) =>
    new Prisma.PrismaClientKnownRequestError("failed", {
      code,
      clientVersion: "test",
      meta: originalCode ? { driverAdapterError: { cause: { originalCode } } } : undefined,
    });

  test("Prisma's P2034, and the raw SQLSTATEs 40001 and 40P01 wherever they are", () => {
    expect(isTransientDatabaseError(known("P2034"))).toBe(true);
    expect(isTransientDatabaseError(known("P2010", "40001"))).toBe(true);
    expect(isTransientDatabaseError(known("P2010", "40P01"))).toBe(true);
    expect(isTransientDatabaseError(Object.assign(new Error("deadlock detected"), { code: "40P01" }))).toBe(true);
    expect(
      isTransientDatabaseError(new Error("query failed", { cause: { originalCode: "40001", kind: "postgres" } })),
    ).toBe(true);
  });

  test("not other failures", () => {
    expect(isTransientDatabaseError(known("P2002"))).toBe(false);
    expect(isTransientDatabaseError(known("P2010", "23505"))).toBe(false);
    expect(isTransientDatabaseError(new Error("The disk is full"))).toBe(false);
    expect(isTransientDatabaseError("40001")).toBe(false);
  });
});

test.describe("running a transaction again", () => {
  // Any database will do: the failures are injected, as PostgreSQL would report them.
  const database = useTestDatabase("sqlite");

  /**
   * The test database, whose transactions fail with `failures` in turn: each is thrown
   * by the first query of an attempt, inside a real transaction, which then rolls back.
   */
  function failingDatabase(...failures: unknown[]) {
    const attempts = { count: 0 };
    const db = database.db.$extends({
      query: {
        async $allOperations({ args, query }) {
          const failure = failures[attempts.count++];
          if (failure !== undefined) throw failure;
          return query(args);
        },
      },
    }) as unknown as Database;
    return { db, attempts };
  }

  /** Work of one query: every attempt meets its failure there. */
  const work = async (tx: Transaction) => {
    await tx.product.count();
    return "done";
  };

  const transientFailures = {
    "Prisma's P2034": () =>
      new Prisma.PrismaClientKnownRequestError("Transaction failed due to a write conflict or a deadlock", {
        code: "P2034",
        clientVersion: "test",
      }),
    "a serialization failure (40001)": () => Object.assign(new Error("could not serialize access"), { code: "40001" }),
    "a deadlock (40P01)": () => Object.assign(new Error("deadlock detected"), { code: "40P01" }),
  };

  for (const [name, failure] of Object.entries(transientFailures)) {
    test(`${name} on every attempt: tried ${maxTransactionAttempts} times, then the last failure is passed on`, async () => {
      const failures = Array.from({ length: 10 }, failure);
      const { db, attempts } = failingDatabase(...failures);

      const run = runInTransaction(db, work);
      await expect(run).rejects.toBe(failures[maxTransactionAttempts - 1]);
      expect(attempts.count).toBe(maxTransactionAttempts);
    });
  }

  test("a failure that is not transient is passed on at once, not tried again", async () => {
    const failure = new Error("The disk is full");
    const { db, attempts } = failingDatabase(failure, failure);

    await expect(runInTransaction(db, work)).rejects.toBe(failure);
    expect(attempts.count).toBe(1);
  });

  test("each attempt after a transient failure first waits a jittered while", async () => {
    const deadlock = transientFailures["a deadlock (40P01)"];
    const { db } = failingDatabase(deadlock(), deadlock(), deadlock());
    const random = Math.random;
    let waits = 0;
    Math.random = () => {
      waits++; // each wait draws its length
      return 0;
    };
    try {
      expect(await runInTransaction(db, work)).toBe("done");
    } finally {
      Math.random = random;
    }
    expect(waits).toBe(3); // after each of the three failures; none before the first attempt
  });

  test("a transient failure, then success: the caller gets the result", async () => {
    const { db, attempts } = failingDatabase(transientFailures["a deadlock (40P01)"]());

    expect(await runInTransaction(db, work)).toBe("done");
    expect(attempts.count).toBe(2);
  });
});

for (const provider of providers) {
  test.describe(`the order's transaction on ${provider}`, () => {
    const database = useTestDatabase(provider);

    test("writes the product, then the order, then the idempotency record: one order of row locks", async () => {
      const product = await database.createProduct(5);
      const writes: string[] = [];
      const watched = database.db.$extends({
        query: {
          $allModels: {
            async $allOperations({ model, operation, args, query }) {
              if (/^(create|update|upsert|delete)/.test(operation)) writes.push(`${model}.${operation}`);
              return query(args);
            },
          },
        },
      }) as unknown as Database;

      const response = await createPlaceOrderRoute(watched)(
        orderRequest(randomUUID(), randomUUID(), { productId: product.id, quantity: 1 }),
      );
      expect(response.status).toBe(201);
      expect(writes).toEqual([
        "IdempotencyRecord.create", // the claim, committed on its own before the work
        "Product.updateMany",
        "Order.create",
        "IdempotencyRecord.updateMany",
      ]);
    });
  });
}
