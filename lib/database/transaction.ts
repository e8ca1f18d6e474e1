// Every database access in the app goes through runInTransaction.
//
// On SQLite this is a correctness rule, not a style: the driver adapter shares one
// connection, and a query outside a transaction can read another request's
// uncommitted writes (or write into a transaction that later rolls back).
//
// On PostgreSQL, a transaction can fail through no fault of its own: a deadlock
// (SQLSTATE 40P01) or a serialization failure (40001). The database has rolled it
// back, and running it again is the documented remedy, so that is done here, a
// bounded number of times with jittered backoff. The work must therefore be safe to
// run again: it only touches the database, through `tx`.
//
// Our own transactions take their row locks in one fixed order (the product, then
// the order, then the idempotency record) so they cannot deadlock one another; the
// retry covers everything else that shares the database.
import { jitteredBackoffMs, sleep } from "@/lib/backoff";
import { readEnv } from "@/lib/env";
import type { Database, Transaction } from "@/lib/database/client";
import { isTransientDatabaseError } from "@/lib/database/errors";

const { DATABASE_TRANSACTION_MAX_WAIT_MS, DATABASE_TRANSACTION_TIMEOUT_MS } = readEnv();

export const maxTransactionAttempts = 4;

export async function runInTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, {
        // Requests queue for the connection (SQLite) or a pooled one (PostgreSQL);
        // the default of 2 s is too short for a burst of concurrent orders.
        maxWait: DATABASE_TRANSACTION_MAX_WAIT_MS,
        timeout: DATABASE_TRANSACTION_TIMEOUT_MS,
      });
    } catch (error) {
      if (attempt >= maxTransactionAttempts || !isTransientDatabaseError(error)) throw error;
      await sleep(jitteredBackoffMs(attempt, { baseMs: 25, capMs: 400 }));
    }
  }
}
