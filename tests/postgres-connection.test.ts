// The PostgreSQL connection settings of lib/database/client.ts, as the server applies
// them: the pool's size, and the server-side limits that keep a stuck query or an
// abandoned transaction from holding row locks (and every order for that product).
import { expect, test } from "@playwright/test";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { readEnv } from "@/lib/env";
import { runInTransaction } from "@/lib/database/transaction";
import { useTestDatabase } from "@/tests/support/database";
import { connectionsNamed, uniqueDatabaseName } from "@/tests/support/postgres";

test.describe("the PostgreSQL connection settings", () => {
  const database = useTestDatabase("postgresql");
  const env = readEnv();

  /**
   * A client made as the app makes its own, under a name of its own (so that its
   * connections can be told from the other clients'), with some settings changed:
   * the client reads them from the environment when it is made.
   */
  function clientWith(settings: Record<string, string> = {}) {
    const applicationName = uniqueDatabaseName("connection_test");
    const url = new URL(database.url);
    url.searchParams.set("application_name", applicationName);
    const saved = Object.keys(settings).map((name) => [name, process.env[name]] as const);
    Object.assign(process.env, settings);
    try {
      return { db: createDatabaseClient(url.href), applicationName };
    } finally {
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  }

  test("a transaction runs under the statement timeout and idle-in-transaction timeout the app is configured with", async () => {
    // pg_settings gives both in milliseconds, as the settings are written (SHOW would say "5s").
    const settings = await runInTransaction(database.db, async (tx) => {
      return tx.$queryRaw<{ name: string; setting: string }[]>`
        SELECT name, setting FROM pg_settings
         WHERE name IN ('statement_timeout', 'idle_in_transaction_session_timeout') ORDER BY name`;
    });
    expect(settings).toEqual([
      { name: "idle_in_transaction_session_timeout", setting: String(env.DATABASE_TRANSACTION_TIMEOUT_MS) },
      { name: "statement_timeout", setting: String(env.DATABASE_STATEMENT_TIMEOUT_MS) },
    ]);
  });

  test("a transaction runs in READ COMMITTED, whatever the database's default", async () => {
    // As a server, database or role may be configured (CockroachDB's default is SERIALIZABLE).
    const name = new URL(database.url).pathname.slice(1);
    await database.db.$executeRawUnsafe(
      `ALTER DATABASE "${name}" SET default_transaction_isolation = 'repeatable read'`,
    );
    const { db } = clientWith(); // new connections, which take the new default
    try {
      const [outside] = await db.$queryRaw<
        { level: string }[]
      >`SELECT current_setting('transaction_isolation') AS level`;
      expect(outside?.level).toBe("repeatable read");
      const [inside] = await runInTransaction(
        db,
        (tx) => tx.$queryRaw<{ level: string }[]>`SELECT current_setting('transaction_isolation') AS level`,
      );
      expect(inside?.level).toBe("read committed");
    } finally {
      await db.$disconnect();
      await database.db.$executeRawUnsafe(`ALTER DATABASE "${name}" RESET default_transaction_isolation`);
    }
  });

  test("a statement that runs longer than the statement timeout is cancelled by the server", async () => {
    const { db } = clientWith({ DATABASE_STATEMENT_TIMEOUT_MS: "100" });
    try {
      const stuck = runInTransaction(db, (tx) => tx.$queryRaw`SELECT 1 AS done FROM pg_sleep(3)`);
      await expect(stuck).rejects.toThrow("canceling statement due to statement timeout");
    } finally {
      await db.$disconnect();
    }
  });

  test("a transaction left idle is ended by the server, and the row it locked is free again", async () => {
    const product = await database.createProduct(10);
    const { db } = clientWith({ DATABASE_TRANSACTION_TIMEOUT_MS: "200" });
    let holding!: (backend: number) => void;
    const locked = new Promise<number>((resolve) => (holding = resolve));
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    const backendAlive = async (pid: number) => {
      const [row] = await runInTransaction(
        database.db,
        (tx) =>
          tx.$queryRaw<
            { alive: boolean }[]
          >`SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}) AS alive`,
      );
      return row?.alive;
    };
    try {
      // The request locks the product's row, then stalls (a slow call elsewhere, a
      // paused process) and sends nothing more.
      const abandoned = runInTransaction(db, async (tx) => {
        await tx.product.update({ where: { id: product.id }, data: { stock: { decrement: 1 } } });
        const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        holding(row?.pid ?? 0);
        await resumed;
        await tx.product.findMany();
      });
      const backend = await locked;
      // Prisma's own timeout for the transaction is 10 s: the server ends it first.
      await expect.poll(() => backendAlive(backend)).toBe(false);

      // Another order can take the row now; the stalled one's update went with its session.
      const other = await runInTransaction(database.db, (tx) =>
        tx.product.update({ where: { id: product.id }, data: { stock: { decrement: 2 } } }),
      );
      expect(other.stock).toBe(8);
      resume();
      await expect(abandoned).rejects.toThrow();
    } finally {
      resume();
      await db.$disconnect();
    }
  });

  test("more concurrent transactions than DATABASE_POOL_MAX share that many connections", async () => {
    const { db, applicationName } = clientWith();
    const poolMax = env.DATABASE_POOL_MAX;
    const backends: number[] = [];
    let open!: () => void;
    const barrier = new Promise<void>((resolve) => (open = resolve));
    const holdConnection = (client: Database) =>
      runInTransaction(client, async (tx) => {
        const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        backends.push(row?.pid ?? 0);
        await barrier;
      });
    try {
      // Each holds its connection until the barrier opens: only poolMax of them can
      // be inside at once, and the rest wait in the pool for one of those connections.
      const transactions = Promise.all(Array.from({ length: poolMax + 3 }, () => holdConnection(db)));
      await expect.poll(() => backends.length).toBe(poolMax);
      expect(await connectionsNamed(database.url, applicationName)).toBe(poolMax);

      open();
      await transactions;
      expect(backends).toHaveLength(poolMax + 3);
      // A connection opened for a waiting transaction would be a new backend.
      expect(new Set(backends).size).toBe(poolMax);
    } finally {
      open();
      await db.$disconnect();
    }
  });
});
