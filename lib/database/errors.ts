// Recognising database errors the same way on SQLite and PostgreSQL.
import { Prisma } from "@/prisma/generated/sqlite/client";

/**
 * A unique constraint refused the write (P2002). Give `field` to ask about one
 * constraint: SQLite reports the columns, PostgreSQL the index name, and both
 * contain the column name.
 */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2002") return false;
  return field === undefined || JSON.stringify(error.meta ?? {}).includes(field) || error.message.includes(field);
}
