// The PostgreSQL server the tests use, and throwaway databases on it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { scratchPostgresUrl, withDatabase } from "@/prisma/migrate";

/** The test server: TEST_POSTGRES_URL, or the local server with trust authentication. */
export const testPostgresUrl = scratchPostgresUrl;

/** A database name nobody else uses. */
export function uniqueDatabaseName(prefix: string) {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** The URL of `database` on the test server. */
export function postgresUrlFor(database: string) {
  return withDatabase(testPostgresUrl(), database);
}

/**
 * Creates an empty database. A database of that name is never replaced: the names
 * made here are unique, so one that exists is not ours, and PostgreSQL refuses it.
 */
export async function createPostgresDatabase(databaseUrl: string) {
  await withAdmin(databaseUrl, (admin, name) => admin.query(`CREATE DATABASE "${name}"`));
}

/** Drops a database, disconnecting whoever is still on it. */
export async function dropPostgresDatabase(databaseUrl: string) {
  await withAdmin(databaseUrl, (admin, name) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/**
 * How many connections to a database wait for a lock: the barrier for tests that hold
 * one. `applicationName` counts only the connections that gave that name (in their
 * URL's `application_name`), for a database that other tests use at the same time.
 * Asked on a connection of its own, as a connection inside a transaction sees
 * pg_stat_activity as it was at the transaction's first look, and would wait forever.
 */
export async function connectionsWaitingForLocks(
  databaseUrl: string,
  { applicationName }: { applicationName?: string } = {},
): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock'
          AND ($1::text IS NULL OR application_name = $1)`,
      [applicationName ?? null],
    );
    return rows[0]?.waiting ?? 0;
  } finally {
    await client.end();
  }
}

/**
 * How many connections to a database gave `applicationName` (in their URL's
 * `application_name`): the connections of one client, among others on that database.
 * Asked on a connection of its own, for the reason above.
 */
export async function connectionsNamed(databaseUrl: string, applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ connections: number }>(
      `SELECT count(*)::int AS connections FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = $1`,
      [applicationName],
    );
    return rows[0]?.connections ?? 0;
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(databaseUrl: string, work: (admin: pg.Client, database: string) => Promise<T>) {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, "postgres") });
  await admin.connect();
  try {
    return await work(admin, name);
  } finally {
    await admin.end();
  }
}
