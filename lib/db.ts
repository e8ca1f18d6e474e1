// The app's one database client.
import "server-only";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { readEnv } from "@/lib/env";

// One client per process, kept on globalThis: Next bundles route handlers and pages
// separately, and each bundle evaluating this module would otherwise make its own
// client (two SQLite connections in one process block each other; two PostgreSQL
// pools double the connections). It also survives hot reloads in development.
const globalForDb = globalThis as typeof globalThis & { appDatabase?: Database };

export const db: Database = (globalForDb.appDatabase ??= createDatabaseClient(readEnv().DATABASE_URL));
