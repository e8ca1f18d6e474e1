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

/** An empty database (no tables) on a provider, and how to remove it. */
export async function createEmptyDatabase(provider: DatabaseProvider) {
  if (provider === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-test-"));
    return { url: `file:${path.join(dir, "test.db")}`, remove: () => fs.rm(dir, { recursive: true, force: true }) };
  }
  // A PostgreSQL server that cannot be reached fails the test: it is never skipped.
  const url = postgresUrlFor(uniqueDatabaseName("orders_test"));
  await createPostgresDatabase(url);
  return { url, remove: () => dropPostgresDatabase(url) };
}

/**
 * A fresh, migrated database for the tests of the enclosing describe block: made
 * before they run, dropped after. Read `db` and `url` inside tests and hooks.
 */
export function useTestDatabase(provider: DatabaseProvider) {
  let empty: Awaited<ReturnType<typeof createEmptyDatabase>> | undefined;
  let current: { url: string; db: Database } | undefined;
  test.beforeAll(async () => {
    empty = await createEmptyDatabase(provider);
    // Never makes the database again: if afterAll dropped it while this hook was
    // still migrating (the hook timed out), the migration fails instead of leaving
    // a database behind on the server.
    await deployMigrations(empty.url, { createMissingDatabase: false });
    current = { url: empty.url, db: createDatabaseClient(empty.url) };
  });
  // Playwright runs afterAll even when beforeAll failed or timed out.
  test.afterAll(async () => {
    try {
      await current?.db.$disconnect();
    } finally {
      await empty?.remove(); // PostgreSQL: WITH (FORCE), so a migration still running is cut off
      empty = current = undefined;
    }
  });
  const database = () => {
    if (!current) throw new Error("The test database exists only inside tests and hooks");
    return current;
  };
  return {
    get db() {
      return database().db;
    },
    get url() {
      return database().url;
    },
    createProduct(stock: number, priceCents = 1000) {
      return database().db.product.create({
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
