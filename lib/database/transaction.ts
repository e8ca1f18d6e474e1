// Every database access in the app goes through runInTransaction.
//
// On SQLite this is a correctness rule, not a style: the driver adapter shares one
// connection, and a query outside a transaction can read another request's
// uncommitted writes (or write into a transaction that later rolls back).
import { readEnv } from "@/lib/env";
import type { Database, Transaction } from "@/lib/database/client";

const { DATABASE_TRANSACTION_MAX_WAIT_MS, DATABASE_TRANSACTION_TIMEOUT_MS } = readEnv();

export function runInTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.$transaction(work, {
    // Requests queue for the connection (SQLite) or a pooled one (PostgreSQL);
    // the default of 2 s is too short for a burst of concurrent orders.
    maxWait: DATABASE_TRANSACTION_MAX_WAIT_MS,
    timeout: DATABASE_TRANSACTION_TIMEOUT_MS,
  });
}
