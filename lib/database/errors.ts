// Recognising database errors the same way on SQLite and PostgreSQL.
//
// Both generated clients re-export the error classes of one runtime, which they both
// import: taken from there, the class is the one either client throws.
import { PrismaClientKnownRequestError } from "@prisma/client/runtime/client";

/**
 * A unique constraint refused the write (P2002). Give `field` to ask about one
 * constraint: SQLite reports the columns, PostgreSQL the index name, and both
 * contain the column name.
 */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  return field === undefined || JSON.stringify(error.meta ?? {}).includes(field) || error.message.includes(field);
}

/** PostgreSQL's SQLSTATEs for "rolled back, run it again": serialization failure, deadlock. */
const transientSqlStates = new Set(["40001", "40P01"]);

/**
 * The database rolled the transaction back because of other transactions, and
 * running it again may well succeed. Prisma reports these as P2034, but not every
 * path through the pg adapter maps them, so the raw SQLSTATE is looked for as well:
 * on the error, in Prisma's meta, and along the chain of causes.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  if (error instanceof PrismaClientKnownRequestError && error.code === "P2034") return true;
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const candidate = current as {
      code?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
      cause?: unknown;
    };
    const states = [candidate.code, candidate.originalCode, candidate.meta?.driverAdapterError?.cause?.originalCode];
    if (states.some((state) => typeof state === "string" && transientSqlStates.has(state))) return true;
    current = candidate.cause;
  }
  return false;
}
