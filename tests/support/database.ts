// A fresh, migrated database for one test file, and requests like a browser sends.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { customerCookie } from "@/lib/customer";
import { deployMigrations } from "@/prisma/migrate";

export type TestDatabase = { url: string; db: Database; drop: () => Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
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
