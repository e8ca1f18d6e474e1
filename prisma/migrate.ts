// Prisma migrations without Prisma's native schema engine.
//
// `prisma migrate` downloads a native `schema-engine` binary from Prisma's own
// servers; machines that reach only the npm registry (air-gapped CI, many corporate
// networks) cannot get it. The same engine is published on npm compiled to
// WebAssembly (@prisma/schema-engine-wasm). This module drives it directly, with
// the app's own driver adapters, and writes and reads the standard
// `prisma/<provider>/migrations` folders and `_prisma_migrations` table, so the
// result is exactly what `prisma migrate deploy` / `migrate dev` would produce.
//
//   tsx prisma/migrate.ts deploy           apply pending migrations to DATABASE_URL
//   tsx prisma/migrate.ts status           show the migration history of DATABASE_URL
//   tsx prisma/migrate.ts create <name>    write the new migration for both providers, or neither
//   tsx prisma/migrate.ts create <name> --allow-empty
//                                          the same, written even when the schema has not
//                                          changed: a migration to fill in by hand
//   tsx prisma/migrate.ts resolve --rolled-back <name>
//                                          let deploy try a failed migration again, once fixed
//
// Everything here leans on Prisma internals, which is why package.json pins the
// Prisma packages to exact versions and tests/migrations.test.ts applies the
// migrations to empty databases.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { providerOf, type DatabaseProvider } from "@/lib/database/provider";
import { readEnv } from "@/lib/env";

const prismaDir = path.dirname(fileURLToPath(import.meta.url));
const filters = { externalTables: [], externalEnums: [] };

export function schemaDirOf(provider: DatabaseProvider) {
  return path.join(prismaDir, provider === "sqlite" ? "sqlite" : "postgres");
}

/**
 * `prisma migrate deploy`: applies the committed migrations that the database lacks.
 * A database that does not exist yet (the SQLite file, or the PostgreSQL database) is
 * created first, unless told not to: the tests never want a database they dropped to
 * come back. A PostgreSQL database that exists is only connected to, so a role that
 * may not create databases can migrate the one it owns.
 *
 * Each migration runs whole, in one transaction: one that fails changes nothing, but
 * the engine records it as failed and applies nothing more until it is marked rolled
 * back (markMigrationRolledBack).
 */
export async function deployMigrations(
  databaseUrl: string,
  { createMissingDatabase = true, schemaDir = schemaDirOf(providerOf(databaseUrl)) } = {},
): Promise<string[]> {
  if (providerOf(databaseUrl) === "sqlite") await ensureSqliteDirectory(databaseUrl);
  else if (createMissingDatabase) await ensurePostgresDatabase(databaseUrl);
  return withSchemaEngine(databaseUrl, schemaDir, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await listMigrations(schemaDir),
      filters,
    });
    return appliedMigrationNames;
  });
}

/**
 * `prisma migrate resolve --rolled-back`: marks a migration that failed as rolled back,
 * so that the next deploy applies it again, once fixed. Its script ran in one
 * transaction, so a failure has left nothing of it in the database to undo by hand.
 */
export async function markMigrationRolledBack(
  databaseUrl: string,
  migrationName: string,
  { schemaDir = schemaDirOf(providerOf(databaseUrl)) } = {},
) {
  await withSchemaEngine(databaseUrl, schemaDir, (engine) => engine.markMigrationRolledBack({ migrationName }));
}

/** `prisma migrate status`: what the engine thinks of the database's history. */
export async function migrationStatus(databaseUrl: string) {
  const schemaDir = schemaDirOf(providerOf(databaseUrl));
  return withSchemaEngine(databaseUrl, schemaDir, async (engine) =>
    engine.diagnoseMigrationHistory({
      migrationsList: await listMigrations(schemaDir),
      optInToShadowDatabase: false,
      filters,
    }),
  );
}

/** A migration worked out for one provider, not yet written. */
export type MigrationDraft = {
  provider: DatabaseProvider;
  /** The folder the engine names it: a UTC timestamp, then the given name. */
  folderName: string;
  script: string;
  extension: string;
  connectorType: string;
};

/** How to make a migration. */
export type MigrationOptions = {
  /**
   * Make one even when the schema has not changed, as `prisma migrate dev --create-only`
   * does: an empty script, for SQL that the schema cannot express (a CHECK constraint,
   * a data fix), written by hand.
   */
  allowEmpty?: boolean;
};

/**
 * The migration that would take the committed migrations to the current schema, worked
 * out without writing anything: null when they already match (unless `allowEmpty`). It
 * works on a scratch database (a temporary SQLite file, or a temporary PostgreSQL
 * database on `adminUrl`) so no developer database is needed or touched.
 */
export async function draftMigration(
  provider: DatabaseProvider,
  name: string,
  adminUrl: string,
  schemaDir = schemaDirOf(provider),
  { allowEmpty = false }: MigrationOptions = {},
): Promise<MigrationDraft | null> {
  return withScratchDatabase(provider, adminUrl, (url) =>
    withSchemaEngine(url, schemaDir, async (engine) => {
      const migrationsList = await listMigrations(schemaDir);
      await engine.applyMigrations({ migrationsList, filters });
      // In wasm, createMigration() gets no shadow database of its own; devDiagnostic()
      // does, and leaves the migrated shadow schema cached for createMigration().
      const { action } = await engine.devDiagnostic({ migrationsList, filters });
      if (action.tag === "reset") throw new Error(`The migration history has drifted: ${action.reason}`);
      const out = await engine.createMigration({
        migrationName: name,
        // What `migrate dev --create-only` sets: a migration even when nothing changed.
        draft: allowEmpty,
        schema: await schemaContainer(schemaDir),
        migrationsList,
        filters,
      });
      if (!out.generatedMigrationName || !out.migrationScript?.trim()) return null;
      return {
        provider,
        folderName: out.generatedMigrationName,
        script: out.migrationScript,
        extension: out.extension,
        connectorType: out.connectorType,
      };
    }),
  );
}

/**
 * `prisma migrate dev --create-only` for both providers. Both migrations are worked out
 * before anything is written, then written under one folder name (one timestamp), so
 * that a failure on one provider never leaves half a pair behind. Returns the folders
 * written: none when the schema has no changes (unless `allowEmpty`).
 */
export async function createMigrations(
  name: string,
  adminUrl: string,
  dirs: Record<DatabaseProvider, string> = { sqlite: schemaDirOf("sqlite"), postgresql: schemaDirOf("postgresql") },
  options: MigrationOptions = {},
): Promise<string[]> {
  const drafts: MigrationDraft[] = [];
  for (const provider of ["sqlite", "postgresql"] as const) {
    const draft = await draftMigration(provider, name, adminUrl, dirs[provider], options);
    if (draft) drafts.push(draft);
  }
  const folderName = drafts[0]?.folderName;
  if (!folderName) return [];

  const written: string[] = [];
  try {
    for (const draft of drafts) {
      const migrationsDir = path.join(dirs[draft.provider], "migrations");
      const dir = path.join(migrationsDir, folderName);
      await fs.mkdir(migrationsDir, { recursive: true });
      await fs.mkdir(dir); // never into a folder that exists: on failure, only ours are removed
      written.push(dir);
      await fs.writeFile(path.join(dir, `migration.${draft.extension}`), draft.script);
      // The lock file names the provider, so it only has to exist.
      await fs
        .writeFile(
          path.join(migrationsDir, "migration_lock.toml"),
          `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${draft.connectorType}"\n`,
          { flag: "wx" },
        )
        .catch((error: NodeJS.ErrnoException) => {
          if (error.code !== "EEXIST") throw error;
        });
    }
  } catch (error) {
    for (const dir of written) await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
  return written.map((dir) => path.relative(process.cwd(), dir));
}

// ---------------------------------------------------------------------------------
// The engine and its driver adapters

let wasmModule: typeof import("@prisma/schema-engine-wasm/schema_engine_bg") | undefined;

async function loadSchemaEngine() {
  if (wasmModule) return wasmModule;
  // The package's entry imports its .wasm file as an ES module, which Node 20 cannot
  // do; load the JS bindings and instantiate the .wasm by hand instead.
  const require = createRequire(import.meta.url);
  const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings: typeof import("@prisma/schema-engine-wasm/schema_engine_bg") = await import(
    pathToFileURL(bindingsPath).href
  );
  const wasm = await fs.readFile(path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {
    "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
  });
  const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start: () => void };
  (bindings as unknown as { __wbg_set_wasm: (e: WebAssembly.Exports) => void }).__wbg_set_wasm(exports);
  exports.__wbindgen_start();
  // The engine reports Rust panics through this global.
  const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message: (m: string) => void } };
  globals.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (message) => console.error("schema engine panic:", message) };
  wasmModule = bindings;
  return bindings;
}

async function withSchemaEngine<T>(
  databaseUrl: string,
  schemaDir: string,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const provider = providerOf(databaseUrl);
  const { SchemaEngine } = await loadSchemaEngine();
  const adapters = provider === "sqlite" ? sqliteAdapters(databaseUrl) : postgresAdapters(databaseUrl);
  // From here on the adapters are ours to close, even when the engine never starts
  // (no schema file, or a failed first query).
  try {
    const bound = bindMigrationAwareSqlAdapterFactory(adapters.factory);
    const schema = await schemaContainer(schemaDir);
    const engine = await SchemaEngine.new(
      { datamodels: schema.files.map((file) => [file.path, file.content]) },
      () => {},
      bound,
    );
    try {
      return await work(engine);
    } catch (error) {
      // Adapter failures surface as "External error id#N"; the cause waits in a registry.
      const id = /External error id#(\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
      const cause = id ? bound.errorRegistry.consumeError(Number(id)) : undefined;
      if (cause) throw new Error(`${(error as Error).message}: ${JSON.stringify(cause.error)}`, { cause: error });
      // The engine locks a SQLite file for itself (locking_mode=EXCLUSIVE), which waits
      // out the busy timeout while any other process has the file open, and then fails
      // with an error kind that its own error mapping does not know.
      if (provider === "sqlite" && /SocketTimeout|database is locked/.test(String(error))) {
        throw new Error(
          `The SQLite database ${databaseUrl} is open in another process (a running app?). ` +
            "Migrations need it to themselves: stop that process, then run them again.",
          { cause: error },
        );
      }
      throw error;
    } finally {
      engine.free();
    }
  } finally {
    await adapters.close();
  }
}

function sqliteAdapters(databaseUrl: string) {
  const factory = new PrismaBetterSqlite3({ url: databaseUrl });
  // The engine never closes its connections; a process that goes on using the
  // database (a test) would find it locked. Keep them, and close them when done.
  const connections: SqlDriverAdapter[] = [];
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const connection = runSqliteScriptsWhole(await connect());
    connections.push(connection);
    return connection;
  };
  const connectToShadowDb = factory.connectToShadowDb.bind(factory);
  // The engine replays migrations on its (in-memory) shadow database with
  // executeRaw(), and better-sqlite3 refuses multi-statement SQL there (P3006).
  // Scripts without parameters go to executeScript(), which runs many statements.
  factory.connectToShadowDb = async () => {
    const shadow = await connectToShadowDb();
    const executeRaw = shadow.executeRaw.bind(shadow);
    shadow.executeRaw = (query) =>
      query.args.length ? executeRaw(query) : shadow.executeScript(query.sql).then(() => 0);
    return shadow;
  };
  return {
    factory,
    close: async () => {
      await Promise.all(connections.map((connection) => connection.dispose()));
    },
  };
}

/**
 * adapter-better-sqlite3 runs a script with better-sqlite3's exec(), which commits each
 * statement on its own: a migration that failed halfway stayed half applied. Run each
 * script in one transaction instead, the way SQLite's documentation changes a schema
 * (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off, then the
 * transaction, checked with foreign_key_check before it commits. Off before, because
 * inside a transaction PRAGMA foreign_keys does nothing: the `PRAGMA foreign_keys=OFF`
 * in Prisma's table redefinitions would be ignored, and dropping the old table would
 * delete every row that references it ON DELETE CASCADE.
 */
function runSqliteScriptsWhole(connection: SqlDriverAdapter) {
  const db = (connection as unknown as BetterSqlite3Queryable).client;
  const executeScript = connection.executeScript.bind(connection);
  connection.executeScript = async (script) => {
    const foreignKeys = db.pragma("foreign_keys", { simple: true });
    db.pragma("foreign_keys = OFF");
    try {
      db.exec("BEGIN");
      try {
        await executeScript(script);
        const dangling = db.pragma("foreign_key_check") as { table: string; parent: string }[];
        if (dangling.length) {
          throw new DriverAdapterError({
            kind: "sqlite",
            extendedCode: 787, // SQLITE_CONSTRAINT_FOREIGNKEY, what a failed commit would report
            message: `FOREIGN KEY constraint failed: ${dangling.map((row) => `${row.table} -> ${row.parent}`).join(", ")}`,
          });
        }
        db.exec("COMMIT");
      } finally {
        // SQLite ends the transaction itself on a few errors (a full disk): roll back only what is left.
        if (db.inTransaction) db.exec("ROLLBACK");
      }
    } finally {
      db.pragma(`foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
    }
  };
  return connection;
}

// adapter-better-sqlite3's internals that runSqliteScriptsWhole uses: its better-sqlite3 database.
type BetterSqlite3Queryable = { client: BetterSqlite3.Database };

/**
 * adapter-pg's executeScript() splits a script at every ";", even one in a comment or a
 * string literal, and sends each piece as a query of its own, committed on its own: a
 * migration that failed halfway stayed half applied. Prisma's native engine sends the
 * script whole, as one simple-protocol message, which PostgreSQL runs as one implicit
 * transaction: all of it or none of it. Do the same, on a connection of the adapter's
 * pool that is given back whole even when the script fails (pool.query() would close
 * it, and with it the session that holds the engine's advisory lock).
 */
function runPostgresScriptsWhole(adapter: SqlDriverAdapter, pool: pg.Pool) {
  adapter.executeScript = async (script) => {
    const connection = await pool.connect();
    try {
      await connection.query(script); // no parameters: the simple protocol, which takes many statements
    } catch (error) {
      (adapter as unknown as PgQueryable).onError(error); // adapter-pg's own error, for the engine
    } finally {
      connection.release(); // PostgreSQL rolled a failed script back: the session is fine
    }
  };
  return adapter;
}

function postgresAdapters(databaseUrl: string) {
  // Our own pool, because the engine never closes the connections it opens. One
  // connection, kept however long it idles: the engine takes its advisory lock
  // (pg_advisory_lock, which keeps two deploys from running at once) on the session, and
  // never releases it, so the session that holds it is the one that runs the migrations.
  const pool = droppablePool(databaseUrl, { max: 1, idleTimeoutMillis: 0 });
  const shadows: ShadowDatabase[] = [];

  // The engine's catalog queries return columns of PostgreSQL's internal "char" type
  // (OID 18, such as pg_constraint.contype), which adapter-pg refuses to read ("Column
  // type 'char' could not be deserialized"). Let adapter-pg read them as text, then
  // tell the engine they are characters, which is what it expects.
  const readCharColumns = (adapter: SqlDriverAdapter) => {
    const pgAdapter = adapter as unknown as PgQueryable;
    const performIO = pgAdapter.performIO.bind(adapter);
    pgAdapter.performIO = async (query) => {
      const result = await performIO(query);
      const charColumns = result.fields.flatMap((field, i) => (field.dataTypeID === 18 ? [i] : []));
      for (const i of charColumns) (result.fields[i] as { dataTypeID: number }).dataTypeID = 25;
      Object.defineProperty(result.rows, charColumnsOf, { value: charColumns });
      return result;
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const result = await queryRaw(query);
      const charColumns = (result.rows as unknown as Record<symbol, number[] | undefined>)[charColumnsOf] ?? [];
      for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
      return result;
    };
    return adapter;
  };

  const factory: SqlMigrationAwareDriverAdapterFactory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => runPostgresScriptsWhole(readCharColumns(await connect()), pool);
  // adapter-pg's own shadow database spreads { connectionString, database } into a
  // pg config, where connectionString wins: its "shadow" database would be the main
  // one. Create a real temporary database instead, and drop it when the engine is done.
  factory.connectToShadowDb = async () => {
    const name = `prisma_shadow_${randomUUID().replaceAll("-", "")}`;
    await pool.query(`CREATE DATABASE "${name}"`);
    const shadow: ShadowDatabase = {
      name,
      pool: droppablePool(withDatabase(databaseUrl, name)),
    };
    shadows.push(shadow);
    const adapter = runPostgresScriptsWhole(readCharColumns(await new PrismaPg(shadow.pool).connect()), shadow.pool);
    const dispose = adapter.dispose.bind(adapter);
    // The engine does not await dispose(): keep the promise so close() can.
    adapter.dispose = () => (shadow.disposed = dispose());
    return adapter;
  };
  return {
    factory,
    close: async () => {
      // Every shadow database goes, even one the engine never disposed of (it failed
      // halfway). FORCE, so that a connection left open cannot keep it alive.
      for (const shadow of shadows) {
        await shadow.disposed?.catch((error: unknown) => reportCleanupFailure("close the shadow database", error));
        await shadow.pool.end().catch((error: unknown) => reportCleanupFailure("close the shadow database", error));
        await pool
          .query(`DROP DATABASE IF EXISTS "${shadow.name}" WITH (FORCE)`)
          .catch((error: unknown) => reportCleanupFailure(`drop the shadow database ${shadow.name}`, error));
      }
      await pool.end();
    },
  };
}

/**
 * A pool on a database that may be dropped WITH (FORCE) when we are done: pg-pool's
 * end() resolves before its connections have closed, so the drop can terminate one
 * that is still closing (57P01). pg reports that on the pool, and an unheard pool
 * error would crash the process.
 */
function droppablePool(connectionString: string, config: pg.PoolConfig = {}) {
  const pool = new pg.Pool({ connectionString, max: 2, ...config });
  pool.on("error", (error: Error & { code?: string }) => {
    if (error.code !== "57P01") console.error("A database connection failed:", error.message);
  });
  return pool;
}

type ShadowDatabase = { name: string; pool: pg.Pool; disposed?: Promise<void> };

// adapter-pg's internals that readCharColumns wraps (the raw pg result, before mapping),
// and that runPostgresScriptsWhole reports errors with.
type PgQueryable = {
  performIO: (query: unknown) => Promise<{ fields: { dataTypeID: number }[]; rows: unknown[][] }>;
  onError: (error: unknown) => never;
};
const charColumnsOf = Symbol("charColumns");

// ---------------------------------------------------------------------------------
// Files and scratch databases

async function schemaContainer(schemaDir: string) {
  const schemaPath = path.join(schemaDir, "schema.prisma");
  return { files: [{ path: schemaPath, content: await fs.readFile(schemaPath, "utf8") }] };
}

/** The migrations folder in the shape the Prisma CLI hands to the engine. */
async function listMigrations(schemaDir: string): Promise<MigrationList> {
  const baseDir = path.join(schemaDir, "migrations");
  const entries = await fs.readdir(baseDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfileContent = await fs.readFile(path.join(baseDir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir,
    shadowDbInitScript: "",
    lockfile: { path: "migration_lock.toml", content: lockfileContent },
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: await fs.readFile(path.join(baseDir, name, "migration.sql"), "utf8").then(
            (value) => ({ tag: "ok" as const, value }),
            (error: Error) => ({ tag: "error" as const, value: error.message }),
          ),
        },
      })),
    ),
  };
}

async function ensureSqliteDirectory(databaseUrl: string) {
  const file = databaseUrl.slice("file:".length).split("?")[0] ?? "";
  if (file && file !== ":memory:") await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
}

/**
 * Creates the database unless it exists. It connects to it first, because the app's
 * role often owns its database but may not create databases, and PostgreSQL refuses
 * CREATE DATABASE to such a role (42501) before it looks whether the database exists.
 * A database that is not there is then created without looking again: two instances
 * starting at once would both look, and one would fail. Creating is the check; a
 * database that is there already (42P04), or that a concurrent CREATE DATABASE has
 * just made (a duplicate in pg_database, 23505), is what we wanted.
 */
export async function ensurePostgresDatabase(databaseUrl: string) {
  if (await postgresDatabaseExists(databaseUrl)) return;
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new pg.Client({ connectionString: withDatabase(databaseUrl, "postgres") });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`).catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code !== "42P04" && code !== "23505") throw error;
    });
  } finally {
    await admin.end();
  }
}

/** Whether the database exists, by connecting to it, which any role that may use it can do. */
async function postgresDatabaseExists(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: unknown }).code === "3D000") return false;
    throw error;
  }
  await client.end();
  return true;
}

/**
 * The PostgreSQL server for throwaway databases, those of `create` and of the tests:
 * TEST_POSTGRES_URL, or the local server with trust authentication.
 */
export function scratchPostgresUrl() {
  return process.env.TEST_POSTGRES_URL?.trim() || "postgresql://postgres@127.0.0.1:5432/postgres";
}

export function withDatabase(postgresUrl: string, database: string) {
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  return url.href;
}

async function withScratchDatabase<T>(provider: DatabaseProvider, adminUrl: string, work: (url: string) => Promise<T>) {
  if (provider === "sqlite") {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "migrate-"));
    try {
      return await work(`file:${path.join(dir, "scratch.db")}`);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }
  const name = `migrate_scratch_${randomUUID().replaceAll("-", "")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    return await work(withDatabase(adminUrl, name));
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch((error: unknown) => reportCleanupFailure(`drop the scratch database ${name}`, error));
    await admin.end();
  }
}

/**
 * A temporary database that could not be dropped is left on the server: say so, and
 * which, but let the result (or the error) of the real work through.
 */
function reportCleanupFailure(what: string, error: unknown) {
  console.error(`Could not ${what}:`, error instanceof Error ? error.message : error);
}

// ---------------------------------------------------------------------------------
// Command line

async function main(args: string[]) {
  const [command, name, ...flags] = args;
  await import("@/lib/load-env-files"); // here, not at the top: tests import this module
  const databaseUrl = readEnv().DATABASE_URL;
  if (command === "deploy") {
    const applied = await deployMigrations(databaseUrl);
    console.log(applied.length ? `Applied ${applied.join(", ")}` : "No pending migrations");
  } else if (command === "status") {
    console.log(JSON.stringify(await migrationStatus(databaseUrl), null, 2));
  } else if (
    command === "create" &&
    name &&
    !name.startsWith("-") && // a flag where the name belongs: the name was forgotten
    flags.every((flag) => flag === "--allow-empty")
  ) {
    const created = await createMigrations(name, scratchPostgresUrl(), undefined, {
      allowEmpty: flags.includes("--allow-empty"),
    });
    console.log(created.length ? created.map((dir) => `Created ${dir}`).join("\n") : "No schema changes");
  } else if (command === "resolve" && name === "--rolled-back" && args[2]) {
    await markMigrationRolledBack(databaseUrl, args[2]);
    console.log(`Marked ${args[2]} as rolled back: the next deploy applies it again`);
  } else {
    console.error(
      "usage: tsx prisma/migrate.ts deploy | status | create <name> [--allow-empty] | resolve --rolled-back <name>",
    );
    process.exitCode = 2;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2))
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    })
    // The engine leaves a timer running after it has used a shadow database.
    .finally(() => process.exit());
}
