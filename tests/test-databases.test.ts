// The suite's own PostgreSQL databases: each is new (never one that existed), none
// comes back once dropped, and the test server never drops one it did not make.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { deployMigrations } from "@/prisma/migrate";
import {
  createPostgresDatabase,
  dropPostgresDatabase,
  postgresUrlFor,
  testPostgresUrl,
  uniqueDatabaseName,
} from "@/tests/support/postgres";

const run = promisify(execFile);

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

/** A database with a table in it, as someone else's would be; dropped afterwards. */
async function withSomeoneElsesDatabase(use: (url: string) => Promise<void>) {
  const url = postgresUrlFor(uniqueDatabaseName("orders_test"));
  await createPostgresDatabase(url);
  try {
    await query(url, "CREATE TABLE precious (id integer)");
    await use(url);
    expect(await query(url, "SELECT to_regclass('precious') AS name")).toEqual([{ name: "precious" }]);
  } finally {
    await dropPostgresDatabase(url);
  }
}

test.describe("the test databases on postgresql", () => {
  test("creating a test database never replaces an existing one", async () => {
    await withSomeoneElsesDatabase(async (url) => {
      await expect(createPostgresDatabase(url)).rejects.toThrow(/already exists/);
    });
  });

  test("a test database dropped while it was being migrated does not come back", async () => {
    // What useTestDatabase's beforeAll does when its afterAll has already dropped the
    // database (a hook that timed out): the migration fails, and nothing is left.
    const url = postgresUrlFor(uniqueDatabaseName("orders_test"));
    try {
      await expect(deployMigrations(url, { createMissingDatabase: false })).rejects.toThrow();
      expect(await databaseExists(url)).toBe(false);
    } finally {
      await dropPostgresDatabase(url);
    }
  });

  test("the test server says what it needs when PostgreSQL is out of reach", async () => {
    // Port 1: nothing listens there.
    const serve = run(path.resolve("node_modules/.bin/tsx"), [
      "e2e/support/serve.ts",
      "postgresql://postgres:secret@127.0.0.1:1/orders_test_unreachable",
      "3999",
    ]);
    await expect(serve).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /server at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED[^]*TEST_POSTGRES_URL/,
      ),
    });
  });

  test("the test server refuses a database that exists, and leaves it alone", async () => {
    await withSomeoneElsesDatabase(async (url) => {
      const serve = run(path.resolve("node_modules/.bin/tsx"), ["e2e/support/serve.ts", url, "3999"]);
      await expect(serve).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("already exists") });
    });
  });
});
