// The suite's own PostgreSQL databases: each is new (never one that existed), and each
// is dropped, even when setting it up failed or was abandoned half way.
import { expect, test } from "@playwright/test";
import pg from "pg";
import { deployMigrations } from "@/prisma/migrate";
import { testDatabaseLifecycle } from "@/tests/support/database";
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresUrlFor,
  testPostgresUrl,
  uniqueDatabaseName,
} from "@/tests/support/postgres";

async function query<Row extends pg.QueryResultRow>(connectionString: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query<Row>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(url: string) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  return (await query(testPostgresUrl(), "SELECT 1 FROM pg_database WHERE datname = $1", [name])).length === 1;
}

test.describe("the test databases on postgresql", () => {
  test("a test database whose migration fails is dropped all the same", async () => {
    let url = "";
    const lifecycle = testDatabaseLifecycle("postgresql", async (databaseUrl) => {
      url = databaseUrl;
      throw new Error("The migration failed");
    });

    await expect(lifecycle.setUp()).rejects.toThrow("The migration failed");
    expect(await databaseExists(url)).toBe(true);
    await lifecycle.tearDown();
    expect(await databaseExists(url)).toBe(false);
  });

  test("a test database still migrating when its hook times out is dropped, even if the migration makes it again", async () => {
    let url = "";
    let migrationStarted!: () => void;
    const started = new Promise<void>((resolve) => (migrationStarted = resolve));
    let letMigrationGoOn!: () => void;
    const goOn = new Promise<void>((resolve) => (letMigrationGoOn = resolve));
    const lifecycle = testDatabaseLifecycle("postgresql", async (databaseUrl) => {
      url = databaseUrl;
      migrationStarted();
      await goOn;
      // By now the database was dropped; deploying creates it again, then migrates it.
      await deployMigrations(databaseUrl);
    });

    // Playwright gives up on a beforeAll hook that times out, and runs afterAll.
    const abandonedSetUp = lifecycle.setUp();
    await started;
    await lifecycle.tearDown();
    expect(await databaseExists(url)).toBe(false);

    letMigrationGoOn();
    await expect(abandonedSetUp).rejects.toThrow(/torn down/);
    expect(await databaseExists(url)).toBe(false);
  });

  test("hooks that run again in the same worker get a fresh database each time", async () => {
    const lifecycle = testDatabaseLifecycle("postgresql");
    await lifecycle.setUp();
    const first = lifecycle.current().url;
    await lifecycle.tearDown();

    await lifecycle.setUp();
    const second = lifecycle.current().url;
    expect(second).not.toBe(first);
    expect(await lifecycle.current().db.product.count()).toBe(0);
    expect(await databaseExists(first)).toBe(false);
    await lifecycle.tearDown();
    expect(await databaseExists(second)).toBe(false);
  });

  test("creating a test database never replaces an existing one", async () => {
    const url = postgresUrlFor(uniqueDatabaseName("orders_test"));
    await createPostgresDatabase(url);
    try {
      await query(url, "CREATE TABLE precious (id integer)");

      await expect(createPostgresDatabase(url)).rejects.toThrow(/already exists/);
      expect(await query(url, "SELECT to_regclass('precious') AS name")).toEqual([{ name: "precious" }]);
    } finally {
      await dropPostgresDatabase(url);
    }
  });
});
