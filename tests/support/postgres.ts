// The PostgreSQL server the tests use, and throwaway databases on it.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { scratchPostgresUrl, withDatabase } from "@/prisma/migrate";

/** The test server. */
export { scratchPostgresUrl as testPostgresUrl };

/** A database name nobody else uses. */
export function uniqueDatabaseName(prefix: string) {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** The URL of `database` on the test server. */
export function postgresUrlFor(database: string) {
  return withDatabase(scratchPostgresUrl(), database);
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
 */
export function connectionsWaitingForLocks(
  databaseUrl: string,
  { applicationName }: { applicationName?: string } = {},
): Promise<number> {
  return countConnections(databaseUrl, { applicationName, waitingForLocks: true });
}

/** How many connections to a database gave `applicationName`: the connections of one client. */
export function connectionsNamed(databaseUrl: string, applicationName: string): Promise<number> {
  return countConnections(databaseUrl, { applicationName, waitingForLocks: false });
}

/**
 * Asked on a connection of its own: a connection inside a transaction sees
 * pg_stat_activity as it was at the transaction's first look, and would wait forever.
 */
async function countConnections(
  databaseUrl: string,
  { applicationName, waitingForLocks }: { applicationName?: string; waitingForLocks: boolean },
): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ connections: number }>(
      `SELECT count(*)::int AS connections FROM pg_stat_activity
        WHERE datname = current_database()
          AND ($1::text IS NULL OR application_name = $1)
          AND (NOT $2 OR wait_event_type = 'Lock')`,
      [applicationName ?? null, waitingForLocks],
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
