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

type EmptyDatabase = { url: string; remove: () => Promise<void> };

async function createEmptyDatabase(provider: DatabaseProvider): Promise<EmptyDatabase> {
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
 * The life of a test database. setUp makes one, migrates it and opens a client;
 * tearDown removes it from whatever point setUp reached, so that nothing is left on
 * the server when a migration throws or setUp is abandoned (its hook timed out).
 * A worker may run a describe block's hooks more than once (fullyParallel hands its
 * tests to several workers, and a worker may come back to it): each setUp makes a new
 * database, and tearDown removes the latest.
 */
export function testDatabaseLifecycle(
  provider: DatabaseProvider,
  migrate: (databaseUrl: string) => Promise<unknown> = deployMigrations,
) {
  type Generation = {
    created: Promise<EmptyDatabase>;
    database?: { url: string; db: Database };
    tornDown: boolean;
  };
  let latest: Generation | undefined;
  return {
    async setUp() {
      const generation: Generation = { created: createEmptyDatabase(provider), tornDown: false };
      latest = generation;
      const { url, remove } = await generation.created;
      try {
        await migrate(url);
      } finally {
        // Torn down while migrating: tearDown dropped the database, but the migration
        // may have made it again (deploying creates a missing database). Drop it again.
        if (generation.tornDown) await remove();
      }
      if (generation.tornDown) throw new Error("The test database was torn down before it was ready");
      generation.database = { url, db: createDatabaseClient(url) };
    },
    async tearDown() {
      const generation = latest;
      if (!generation) return;
      generation.tornDown = true;
      await generation.database?.db.$disconnect();
      // Dropped WITH (FORCE): a migration still running on it is cut off.
      await (await generation.created.catch(() => undefined))?.remove();
    },
    current() {
      const database = latest?.database;
      if (!database || latest?.tornDown) throw new Error("The test database exists only inside tests and hooks");
      return database;
    },
  };
}

/**
 * A fresh database for the tests of the enclosing describe block: made before they
 * run, dropped after. Read `db` and `url` inside tests and hooks.
 */
export function useTestDatabase(provider: DatabaseProvider) {
  const lifecycle = testDatabaseLifecycle(provider);
  // Playwright runs afterAll hooks even when a beforeAll hook failed or timed out.
  test.beforeAll(() => lifecycle.setUp());
  test.afterAll(() => lifecycle.tearDown());
  return {
    get db() {
      return lifecycle.current().db;
    },
    get url() {
      return lifecycle.current().url;
    },
    createProduct(stock: number, priceCents = 1000) {
      return lifecycle.current().db.product.create({
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
