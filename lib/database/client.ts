// Makes the Prisma client for a DATABASE_URL. The app holds one (lib/db.ts); tests
// and scripts make their own with the same settings.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type BetterSqlite3 from "better-sqlite3";
import type { SqlDriverAdapter } from "@prisma/driver-adapter-utils";
import { jitteredBackoffMs, sleep } from "@/lib/backoff";
import { readEnv, type Env } from "@/lib/env";
import { providerOf } from "@/lib/database/provider";
import { PrismaClient as PostgresClient } from "@/prisma/generated/postgres/client";
import { PrismaClient, type Prisma } from "@/prisma/generated/sqlite/client";

// Each provider has its own generated client (a client is tied to its schema's
// provider), but the two schemas hold the same models, so both clients have the
// same API. The app is typed against the SQLite one.
export type Database = PrismaClient;
export type Transaction = Prisma.TransactionClient;

/**
 * `env`: the connection's settings, the process's own unless a test gives others.
 * (runInTransaction always takes maxWait and timeout from the process's own.)
 */
export function createDatabaseClient(databaseUrl: string, env: Env = readEnv()): Database {
  if (providerOf(databaseUrl) === "sqlite") {
    return new PrismaClient({ adapter: sqliteAdapter(databaseUrl, env) });
  }
  // The casts only bridge the two generated types (their isolation-level enums differ).
  return new PostgresClient({
    adapter: postgresAdapter(databaseUrl, env),
    // The optimistic stock update is written for READ COMMITTED (lib/orders/stock.ts):
    // a lost race updates no row and is read again. PostgreSQL's default, but a server,
    // database or role may set another (CockroachDB defaults to SERIALIZABLE), and there
    // every lost race would fail the whole transaction instead. So it is asked for.
    transactionOptions: { isolationLevel: "ReadCommitted" },
  }) as unknown as Database;
}

/**
 * A pool per process. Its size is per app instance: instances × DATABASE_POOL_MAX
 * must stay below the server's max_connections (100 by default). On a 2-core database
 * server a few busy connections per instance saturate the CPU; more only queue inside
 * PostgreSQL instead of in the pool, where maxWait bounds the wait.
 */
function postgresAdapter(databaseUrl: string, env: Env) {
  return new PrismaPg({
    connectionString: databaseUrl,
    max: env.DATABASE_POOL_MAX,
    // How long a transaction waits for a connection, pooled or new: pg's pool applies
    // this to both. It is the variable that runInTransaction gives Prisma as maxWait,
    // so the two agree unless a test passes other settings here.
    connectionTimeoutMillis: env.DATABASE_TRANSACTION_MAX_WAIT_MS,
    idleTimeoutMillis: 30_000,
    // Server-side limits, so that a stuck query or an abandoned transaction cannot
    // hold row locks (and every order for that product) for long.
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
    idle_in_transaction_session_timeout: env.DATABASE_TRANSACTION_TIMEOUT_MS,
  });
}

/**
 * The SQLite adapter holds one connection per process and runs one transaction at a
 * time on it, behind a lock of its own. What makes it safe when another process (the
 * cleanup script, a test fixture) writes to the same file:
 * - WAL, so that readers in other processes and the writer do not block each other;
 * - the write lock taken as each transaction starts, as BEGIN IMMEDIATE would, so
 *   that a transaction waits there for another process's writer instead of failing
 *   with SQLITE_BUSY halfway through, when its read snapshot turns out to be stale;
 * - that wait done here, asking again after short pauses (takeWriteLock), not by
 *   SQLite's busy timeout: better-sqlite3 is synchronous, and its busy wait would
 *   stop the whole process, for every transaction queued behind the first. The busy
 *   timeout is left for statements outside a transaction, which only scripts and
 *   tests run.
 * And two repairs of the adapter (docs/decisions/0004-sqlite-connection.md):
 * - not BEGIN IMMEDIATE itself: when the adapter's BEGIN fails, the adapter never
 *   releases its lock, and every later transaction of the process would wait for it
 *   in vain. A failing first statement is an ordinary failure instead;
 * - a transaction that ends in failure is rolled back in SQLite, not only released:
 *   Prisma ends one whose COMMIT failed with the adapter's rollback(), which sends no
 *   ROLLBACK, and the connection would stay inside it. Later queries would run in that
 *   dead transaction, and the next BEGIN would fail.
 */
function sqliteAdapter(databaseUrl: string, env: Env) {
  const busyTimeoutMs = env.DATABASE_SQLITE_BUSY_TIMEOUT_MS;
  const factory = new PrismaBetterSqlite3({ url: databaseUrl, timeout: busyTimeoutMs });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    connection.pragma("journal_mode = WAL");
    // FULL: a confirmed order survives a power cut, not only a crash of the app.
    connection.pragma("synchronous = FULL");

    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      // Inside a transaction SQLite never waits: it answers SQLITE_BUSY at once, and
      // takeWriteLock waits instead. (Once the lock is taken, nothing else has to wait.)
      // Outside one (a script's or a test's single statement) it waits as usual.
      connection.pragma("busy_timeout = 0");
      const [commit, releaseLock] = [transaction.commit.bind(transaction), transaction.rollback.bind(transaction)];
      transaction.commit = () => {
        connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
        return commit();
      };
      transaction.rollback = async () => {
        try {
          if (connection.inTransaction) connection.exec("ROLLBACK");
        } finally {
          connection.pragma(`busy_timeout = ${busyTimeoutMs}`);
          await releaseLock();
        }
      };
      try {
        await takeWriteLock(transaction, busyTimeoutMs);
      } catch (error) {
        await transaction.rollback();
        throw error;
      }
      return transaction;
    };
    return adapter;
  };
  return factory;
}

/**
 * Takes the write lock for a transaction the adapter has just begun, with a write that
 * changes nothing (any table would do; this one is in every migrated database). While
 * another process holds the lock, it asks again after a short, growing pause, up to
 * `timeoutMs`: the process serves other work meanwhile, and the transaction's maxWait
 * can answer the request that waits. Then it fails as SQLite would, with SQLITE_BUSY.
 */
async function takeWriteLock(transaction: Transactional, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await transaction.executeRaw({ sql: `DELETE FROM "Product" WHERE 0`, args: [], argTypes: [] });
      return;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
    }
    // A failed first write leaves the transaction without a snapshot: the next attempt
    // starts from whatever the other writer commits (tests/sqlite-connection.test.ts).
    if (attempt === 1) console.warn("SQLite: waiting for another process to finish writing");
    await sleep(Math.min(jitteredBackoffMs(attempt, { baseMs: 5, capMs: 100 }), deadline - Date.now()));
  }
}

type Transactional = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;

/** SQLITE_BUSY, as the adapter reports it. */
function isBusy(error: unknown): boolean {
  return (error as { cause?: { kind?: unknown } } | null)?.cause?.kind === "SocketTimeout";
}
