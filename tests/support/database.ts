// A fresh, migrated database for one test file, on each provider, and requests like
// a browser sends.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
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

export type TestDatabase = { url: string; db: Database; drop: () => Promise<void> };

export async function createTestDatabase(provider: DatabaseProvider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    await deployMigrations(url);
    const db = createDatabaseClient(url);
    return {
      url,
      db,
      async drop() {
        await db.$disconnect();
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  }
  // A PostgreSQL server that cannot be reached fails the test: it is never skipped.
  const url = postgresUrlFor(uniqueDatabaseName("orders_test"));
  await createPostgresDatabase(url);
  await deployMigrations(url);
  const db = createDatabaseClient(url);
  return {
    url,
    db,
    async drop() {
      await db.$disconnect();
      await dropPostgresDatabase(url);
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
