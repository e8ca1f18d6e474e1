import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDatabaseClient } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import { deployMigrations, migrationStatus } from "@/prisma/migrate";

test.describe("migrations on SQLite", () => {
  let dir: string;
  let url: string;

  test.beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "migrations-"));
    url = `file:${path.join(dir, "empty.db")}`;
  });

  test.afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  test("the committed migrations apply to an empty database, once", async () => {
    const committed = (await fs.readdir("prisma/sqlite/migrations", { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    expect(await deployMigrations(url)).toEqual(committed);
    expect(await deployMigrations(url)).toEqual([]);
    const status = await migrationStatus(url);
    expect(status).toMatchObject({ failedMigrationNames: [], editedMigrationNames: [], history: null });

    const db = createDatabaseClient(url);
    try {
      expect(await db.product.count()).toBe(0);
      expect(await db.order.count()).toBe(0);
      expect(await db.idempotencyRecord.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });

  test("the schema refuses negative stock and a second order for one order key", async () => {
    await deployMigrations(url);
    const db = createDatabaseClient(url);
    try {
      await db.product.create({ data: { id: "p", name: "P", priceCents: 100, stock: 1 } });
      await expect(db.product.update({ where: { id: "p" }, data: { stock: -1 } })).rejects.toThrow(/CHECK constraint/i);

      const order = { customerId: "c", productId: "p", quantity: 1, totalCents: 100, status: "confirmed" };
      await db.order.create({ data: { ...order, orderKey: "c:key-1" } });
      const duplicate = await db.order
        .create({ data: { ...order, orderKey: "c:key-1" } })
        .catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate, "orderKey")).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });
});
