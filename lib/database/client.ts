// Makes the Prisma client for a DATABASE_URL. The app holds one (lib/db.ts); tests
// and scripts make their own with the same settings.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { PrismaClient, type Prisma } from "@/prisma/generated/sqlite/client";
import { providerOf } from "@/lib/database/provider";

export type Database = PrismaClient;
export type Transaction = Prisma.TransactionClient;

export function createDatabaseClient(databaseUrl: string): Database {
  if (providerOf(databaseUrl) === "sqlite") {
    return new PrismaClient({ adapter: sqliteAdapter(databaseUrl) });
  }
  throw new Error("PostgreSQL is not supported yet");
}

/**
 * The SQLite adapter holds one connection per process and runs one transaction at a
 * time on it. Two settings make it safe when another process (the cleanup script,
 * a test fixture) writes to the same file:
 * - WAL, so readers and the writer do not block each other;
 * - BEGIN IMMEDIATE instead of the adapter's plain BEGIN, so a transaction takes the
 *   write lock when it starts and waits (up to the busy timeout) for another
 *   process's writer, instead of failing with SQLITE_BUSY halfway through when its
 *   read snapshot turns out to be stale.
 */
function sqliteAdapter(databaseUrl: string) {
  const factory = new PrismaBetterSqlite3({ url: databaseUrl, timeout: 10_000 });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
    const prepare = connection.prepare.bind(connection);
    connection.prepare = ((sql: string) => prepare(sql === "BEGIN" ? "BEGIN IMMEDIATE" : sql)) as typeof prepare;
    return adapter;
  };
  return factory;
}
