import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createDatabaseClient } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import type { DatabaseProvider } from "@/lib/database/provider";
import { deployMigrations, migrationStatus, schemaDirOf } from "@/prisma/migrate";
import { providers } from "@/tests/support/database";
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresUrlFor,
  uniqueDatabaseName,
} from "@/tests/support/postgres";

/** An empty database (no tables at all) for one test, removed afterwards. */
async function withEmptyDatabase(provider: DatabaseProvider, use: (url: string) => Promise<void>) {
  if (provider === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "migrations-"));
    try {
      await use(`file:${path.join(dir, "empty.db")}`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const url = postgresUrlFor(uniqueDatabaseName("migrations_test"));
  await createPostgresDatabase(url);
  try {
    await use(url);
  } finally {
    await dropPostgresDatabase(url);
  }
}

for (const provider of providers) {
  test.describe(`migrations on ${provider}`, () => {
    test("the committed migrations apply to an empty database, once", async () => {
      const committed = (await fs.readdir(path.join(schemaDirOf(provider), "migrations"), { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();

      await withEmptyDatabase(provider, async (url) => {
        expect(await deployMigrations(url)).toEqual(committed);
        expect(await deployMigrations(url)).toEqual([]);
        expect(await migrationStatus(url)).toMatchObject({
          failedMigrationNames: [],
          editedMigrationNames: [],
          history: null,
        });

        const db = createDatabaseClient(url);
        try {
          expect(await db.product.count()).toBe(0);
          expect(await db.order.count()).toBe(0);
          expect(await db.idempotencyRecord.count()).toBe(0);
        } finally {
          await db.$disconnect();
        }
      });
    });

    test("the schema refuses negative stock and a second order for one order key", async () => {
      await withEmptyDatabase(provider, async (url) => {
        await deployMigrations(url);
        const db = createDatabaseClient(url);
        try {
          await db.product.create({ data: { id: "p", name: "P", priceCents: 100, stock: 1 } });
          await expect(db.product.update({ where: { id: "p" }, data: { stock: -1 } })).rejects.toThrow(
            /check constraint/i,
          );

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
  });
}
