// `npm run db:cleanup` (scripts/cleanup-expired-keys.ts) as a scheduler runs it: a process
// of its own, pointed at the database by DATABASE_URL.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { providers, useTestDatabase } from "@/tests/support/database";

const run = promisify(execFile);

for (const provider of providers) {
  test.describe(`npm run db:cleanup on ${provider}`, () => {
    const database = useTestDatabase(provider);

    test("deletes the expired idempotency records and keeps the live ones", async () => {
      const { db } = database;
      const now = Date.now();
      const recordExpiringIn = (key: string, seconds: number) => ({
        customerId: "c",
        key,
        fingerprint: "f",
        state: "completed",
        responseStatus: 201,
        responseBody: "{}",
        expiresAt: new Date(now + seconds * 1000),
      });
      await db.idempotencyRecord.createMany({
        data: [
          recordExpiringIn("expired-a-day-ago", -24 * 60 * 60),
          recordExpiringIn("expired-a-second-ago", -1),
          recordExpiringIn("live-for-an-hour", 60 * 60),
          recordExpiringIn("live-for-a-day", 24 * 60 * 60),
        ],
      });

      // What `npm run db:cleanup` runs: the project's own tsx.
      const { stdout } = await run(path.resolve("node_modules/.bin/tsx"), ["scripts/cleanup-expired-keys.ts"], {
        env: { ...process.env, DATABASE_URL: database.url },
      });

      expect(stdout).toContain("Deleted 2 expired idempotency records");
      const left = await db.idempotencyRecord.findMany({ select: { key: true }, orderBy: { key: "asc" } });
      expect(left).toEqual([{ key: "live-for-a-day" }, { key: "live-for-an-hour" }]);
    });
  });
}
