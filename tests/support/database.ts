// A fresh, migrated database for one test file, on each provider, and requests like
// a browser sends.
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { test } from "@playwright/test";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import type { DatabaseProvider } from "@/lib/database/provider";
import { customerCookie } from "@/lib/customer";
import { deployMigrations } from "@/prisma/migrate";
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresUrlFor,
  uniqueDatabaseName,
} from "@/tests/support/postgres";

/** Both databases: every test that runs against the database runs against each. */
export const providers: DatabaseProvider[] = ["sqlite", "postgresql"];

type TestDatabase = { url: string; db: Database; drop: () => Promise<void> };

async function createTestDatabase(provider: DatabaseProvider): Promise<TestDatabase> {
  let url: string;
  let removeDatabase: () => Promise<void>;
  if (provider === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-test-"));
    url = `file:${path.join(dir, "test.db")}`;
    removeDatabase = () => fs.rm(dir, { recursive: true, force: true });
  } else {
    // A PostgreSQL server that cannot be reached fails the test: it is never skipped.
    url = postgresUrlFor(uniqueDatabaseName("orders_test"));
    await createPostgresDatabase(url);
    removeDatabase = () => dropPostgresDatabase(url);
  }
  await deployMigrations(url);
  const db = createDatabaseClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await removeDatabase();
    },
  };
}

/**
 * A fresh database for the tests of the enclosing describe block: made before they
 * run, dropped after. Read `db` and `url` inside tests and hooks.
 */
export function useTestDatabase(provider: DatabaseProvider) {
  let database: TestDatabase | undefined;
  test.beforeAll(async () => {
    database = await createTestDatabase(provider);
  });
  test.afterAll(async () => {
    await database?.drop();
  });
  const current = () => {
    if (!database) throw new Error("The test database exists only inside tests and hooks");
    return database;
  };
  return {
    get db() {
      return current().db;
    },
    get url() {
      return current().url;
    },
    createProduct(stock: number, priceCents = 1000) {
      return current().db.product.create({
        data: { id: `p-${randomUUID()}`, name: "Test product", priceCents, stock },
      });
    },
  };
}

/** A POST /api/orders as the app receives it after proxy.ts: with the customer cookie. */
export function orderRequest(customerId: string, key: string, body: unknown) {
  return new Request("http://localhost/api/orders", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Idempotency-Key": key,
      Cookie: `${customerCookie}=${customerId}`,
    },
    body: JSON.stringify(body),
  });
}
