// Deletes idempotency records past their expiry: `npm run db:cleanup`.
// Run it from cron (or any scheduler) as often as you like; expired records are
// never replayed, so deleting them changes no answer, it only frees space.
import "@/lib/load-env-files";
import { createDatabaseClient } from "@/lib/database/client";
import { readEnv } from "@/lib/env";
import { deleteExpiredRecords } from "@/lib/idempotency/store";

const db = createDatabaseClient(readEnv().DATABASE_URL);
try {
  const deleted = await deleteExpiredRecords(db);
  console.log(`Deleted ${deleted} expired idempotency record${deleted === 1 ? "" : "s"}`);
} finally {
  await db.$disconnect();
}
