// The order key, the database's last line of defence, when two transactions place one
// intent at the same moment: when the idempotency claim was bypassed, or when a request
// that outlived its lease and the retry that took its key over both do the work.
// PostgreSQL runs them truly concurrently; SQLite cannot interleave them at all.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { Transaction } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import { runInTransaction } from "@/lib/database/transaction";
import { orderKeyFor, placeOrder } from "@/lib/orders/place-order";
import { useTestDatabase } from "@/tests/support/database";

test.describe("the order key on postgresql", () => {
  const database = useTestDatabase("postgresql");

  test("two transactions placing one intent at once: one order; the other rolls back with its stock", async () => {
    const { db } = database;
    const product = await database.createProduct(5);
    const customerId = randomUUID();
    const input = { customerId, orderKey: orderKeyFor(customerId, "k"), productId: product.id, quantity: 1 };

    // Both transactions look for an existing order, find none, and only then go on.
    let arrived = 0;
    let bothLooked!: () => void;
    const barrier = new Promise<void>((resolve) => (bothLooked = resolve));
    const afterLookingTogether = (tx: Transaction): Transaction => {
      const order = new Proxy(tx.order, {
        get(target, property, receiver) {
          if (property !== "findUnique") return Reflect.get(target, property, receiver);
          return async (args: Parameters<Transaction["order"]["findUnique"]>[0]) => {
            const found = await target.findUnique(args);
            if (++arrived === 2) bothLooked();
            await barrier;
            return found;
          };
        },
      });
      return new Proxy(tx, {
        get: (target, property) => (property === "order" ? order : Reflect.get(target, property)),
      });
    };

    const results = await Promise.allSettled([
      runInTransaction(db, (tx) => placeOrder(afterLookingTogether(tx), input)),
      runInTransaction(db, (tx) => placeOrder(afterLookingTogether(tx), input)),
    ]);

    const placed = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(placed).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(isUniqueViolation(refused[0]?.reason, "orderKey")).toBe(true);
    expect(await db.order.count({ where: { productId: product.id } })).toBe(1);
    expect((await db.product.findUniqueOrThrow({ where: { id: product.id } })).stock).toBe(4);
  });
});
