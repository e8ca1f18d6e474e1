// Transient database failures (deadlocks, serialization failures) are run again.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { isTransientDatabaseError } from "@/lib/database/errors";
import { runInTransaction } from "@/lib/database/transaction";
import { Prisma } from "@/prisma/generated/sqlite/client";
import { useTestDatabase } from "@/tests/support/database";

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

    expect(attempts.ab + attempts.ba).toBe(3); // one of them ran twice
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
