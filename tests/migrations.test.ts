import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import type { DatabaseProvider } from "@/lib/database/provider";
import {
  createMigrations,
  deployMigrations,
  draftMigration,
  markMigrationRolledBack,
  migrationStatus,
  schemaDirOf,
} from "@/prisma/migrate";
import { createEmptyDatabase, providers, useTestDatabase } from "@/tests/support/database";
import { postgresUrlFor, testPostgresUrl, uniqueDatabaseName } from "@/tests/support/postgres";

/** An empty database (no tables at all) for one test, removed afterwards. */
async function withEmptyDatabase(provider: DatabaseProvider, use: (url: string) => Promise<void>) {
  const { url, remove } = await createEmptyDatabase(provider);
  try {
    await use(url);
  } finally {
    await remove();
  }
}

/** The migrations committed for a provider, by folder name, in the order they apply. */
async function committedMigrations(provider: DatabaseProvider) {
  return (await fs.readdir(path.join(schemaDirOf(provider), "migrations"), { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/**
 * A copy of a provider's schema folder (its schema and committed migrations), changed:
 * the schema edited, the committed migrations from `before` on left out (a database
 * deployed from the copy is at the migration before it), and migrations added (scripts
 * by folder name, names that sort after every committed one).
 */
async function withSchemaCopy(
  provider: DatabaseProvider,
  {
    editSchema,
    before,
    addMigrations = {},
  }: { editSchema?: (schema: string) => string; before?: string; addMigrations?: Record<string, string> },
  use: (schemaDir: string) => Promise<void>,
) {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "schema-"));
  try {
    const schemaDir = path.join(root, provider);
    await fs.cp(schemaDirOf(provider), schemaDir, { recursive: true });
    if (before) {
      const committed = await committedMigrations(provider);
      expect(committed, `no committed migration ${before}`).toContain(before);
      for (const name of committed.filter((name) => name >= before)) {
        await fs.rm(path.join(schemaDir, "migrations", name), { recursive: true });
      }
    }
    if (editSchema) {
      const schemaFile = path.join(schemaDir, "schema.prisma");
      const schema = await fs.readFile(schemaFile, "utf8");
      const edited = editSchema(schema);
      expect(edited).not.toBe(schema);
      await fs.writeFile(schemaFile, edited);
    }
    for (const [name, script] of Object.entries(addMigrations)) {
      await fs.mkdir(path.join(schemaDir, "migrations", name));
      await fs.writeFile(migrationFile(schemaDir, name), script);
    }
    await use(schemaDir);
  } finally {
    await fs.rm(root, { recursive: true, force: true });
  }
}

const migrationFile = (schemaDir: string, name: string) => path.join(schemaDir, "migrations", name, "migration.sql");

/** Works on a database with a client of its own, closed afterwards. */
async function withClient<T>(url: string, use: (db: Database) => Promise<T>): Promise<T> {
  const db = createDatabaseClient(url);
  try {
    return await use(db);
  } finally {
    await db.$disconnect();
  }
}

/** Runs one query on a database with a client of its own. */
const query = <T>(url: string, sql: string) => withClient(url, (db) => db.$queryRawUnsafe<T[]>(sql));

const tableNames = async (provider: DatabaseProvider, url: string) =>
  (
    await query<{ name: string }>(
      url,
      provider === "sqlite"
        ? "SELECT name FROM sqlite_master WHERE type = 'table'"
        : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()",
    )
  )
    .map((row) => row.name)
    .sort();

/** The columns of the idempotency table: name, type, nullability and default, in order. */
const columnsOfIdempotencyRecord = (provider: DatabaseProvider, url: string) =>
  query<Record<string, unknown>>(
    url,
    provider === "sqlite"
      ? `SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info('IdempotencyRecord') ORDER BY cid`
      : `SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'IdempotencyRecord' ORDER BY ordinal_position`,
  );

/** The indexes of the idempotency table, with their definitions. */
const indexesOfIdempotencyRecord = (provider: DatabaseProvider, url: string) =>
  query<{ name: string; definition: string | null }>(
    url,
    provider === "sqlite"
      ? `SELECT name, sql AS definition FROM sqlite_master
          WHERE type = 'index' AND tbl_name = 'IdempotencyRecord' ORDER BY name`
      : `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = 'IdempotencyRecord' ORDER BY indexname`,
  );

const appliedMigrations = async (url: string) =>
  (
    await query<{ migration_name: string }>(
      url,
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    )
  ).map((row) => row.migration_name);

/** The CHECK constraints added by hand to the migrations: a write each must refuse, and its edge case. */
const checkConstraints: Record<string, { refuses: string; refused: WriteTo; allowed: WriteTo }> = {
  Product_stock_not_negative: {
    refuses: "negative stock",
    refused: (db, productId) => db.product.update({ where: { id: productId }, data: { stock: -1 } }),
    allowed: (db, productId) => db.product.update({ where: { id: productId }, data: { stock: 0 } }),
  },
  Product_price_not_negative: {
    refuses: "a negative price",
    refused: (db, productId) => db.product.update({ where: { id: productId }, data: { priceCents: -1 } }),
    allowed: (db, productId) => db.product.update({ where: { id: productId }, data: { priceCents: 0 } }),
  },
  Order_quantity_positive: {
    refuses: "an order for nothing",
    refused: (db, productId) => db.order.create({ data: orderOf(productId, 0) }),
    allowed: (db, productId) => db.order.create({ data: orderOf(productId, 1) }),
  },
  IdempotencyRecord_state_known: {
    refuses: "an idempotency record in an unknown state",
    refused: (db) => db.idempotencyRecord.create({ data: recordIn("done") }),
    allowed: (db) => db.idempotencyRecord.create({ data: { ...recordIn("completed"), ...emptyResponse } }),
  },
  IdempotencyRecord_completed_has_response: {
    refuses: "a completed idempotency record without its stored response",
    refused: (db) => db.idempotencyRecord.create({ data: recordIn("completed") }),
    // The least a response can be: a status and an empty body, no headers.
    allowed: (db) => db.idempotencyRecord.create({ data: { ...recordIn("completed"), ...emptyResponse } }),
  },
};

type WriteTo = (db: Database, productId: string) => Promise<unknown>;

const orderOf = (productId: string, quantity: number) => ({
  orderKey: `c:${randomUUID()}`,
  customerId: "c",
  productId,
  quantity,
  totalCents: 100 * quantity,
  status: "confirmed",
});

const recordIn = (state: string) => ({
  customerId: "c",
  key: randomUUID(),
  fingerprint: "f",
  state,
  expiresAt: new Date(),
});

const emptyResponse = { responseStatus: 204, responseBody: "" };

/** The migration that adds IdempotencyRecord_completed_has_response, on both providers. */
const completedHasResponse = "20261128145321_completed_record_has_response";

for (const provider of providers) {
  test.describe(`migrations on ${provider}`, () => {
    test("the committed migrations apply to an empty database, once", async () => {
      const committed = await committedMigrations(provider);

      await withEmptyDatabase(provider, async (url) => {
        expect(await deployMigrations(url)).toEqual(committed);
        expect(await deployMigrations(url)).toEqual([]);
        expect(await migrationStatus(url)).toMatchObject({
          failedMigrationNames: [],
          editedMigrationNames: [],
          history: null,
        });

        const db = createDatabaseClient(url);
        try {
          expect(await db.product.count()).toBe(0);
          expect(await db.order.count()).toBe(0);
          expect(await db.idempotencyRecord.count()).toBe(0);
        } finally {
          await db.$disconnect();
        }
      });
    });

    test("a migration that fails halfway changes nothing, and applies once fixed", async () => {
      const name = "29990101000000_fails_halfway";
      const fixed = 'CREATE TABLE "Shelf" ("id" INTEGER NOT NULL PRIMARY KEY);\nUPDATE "Product" SET "stock" = 0;\n';
      await withSchemaCopy(
        provider,
        { addMigrations: { [name]: `${fixed}ALTER TABLE "Nowhere" ADD COLUMN "x" INTEGER;\n` } },
        (schemaDir) =>
          withEmptyDatabase(provider, async (url) => {
            const committed = await committedMigrations(provider);
            await deployMigrations(url); // the committed ones only
            await query(url, `INSERT INTO "Product" ("id", "name", "priceCents", "stock") VALUES ('p', 'P', 100, 5)`);
            const tablesBefore = await tableNames(provider, url);
            const stock = async () =>
              (await query<{ stock: number }>(url, 'SELECT "stock" FROM "Product"')).map((row) => Number(row.stock));

            await expect(deployMigrations(url, { schemaDir })).rejects.toThrow(/Nowhere/);
            // Nothing of what came before the failing statement: no table, no change to
            // the data, and no applied migration.
            expect(await tableNames(provider, url)).toEqual(tablesBefore);
            expect(await stock()).toEqual([5]);
            expect(await appliedMigrations(url)).toEqual(committed);

            // As with Prisma's own engine, the failure is recorded: deploy applies
            // nothing more until the migration is marked rolled back.
            await fs.writeFile(migrationFile(schemaDir, name), fixed);
            await expect(deployMigrations(url, { schemaDir })).rejects.toThrow(/failed migrations/);
            await markMigrationRolledBack(url, name, { schemaDir });
            expect(await deployMigrations(url, { schemaDir })).toEqual([name]);
            expect(await tableNames(provider, url)).toEqual([...tablesBefore, "Shelf"].sort());
            expect(await stock()).toEqual([0]);
            expect(await appliedMigrations(url)).toEqual([...committed, name]);
          }),
      );
    });

    test("a ';' in a comment or a string literal does not end a statement", async () => {
      const name = "29990101000000_semicolons";
      const script = [
        "-- Shelves; where products stand",
        `CREATE TABLE "Shelf" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL DEFAULT 'left; top');`,
        `INSERT INTO "Shelf" ("id", "label") VALUES (1, 'right; bottom');`,
        `INSERT INTO "Shelf" ("id") VALUES (2);`,
      ].join("\n");
      await withSchemaCopy(provider, { addMigrations: { [name]: script } }, (schemaDir) =>
        withEmptyDatabase(provider, async (url) => {
          expect(await deployMigrations(url, { schemaDir })).toContain(name);
          const labels = await query<{ label: string }>(url, 'SELECT "label" FROM "Shelf" ORDER BY "id"');
          expect(labels.map((row) => row.label)).toEqual(["right; bottom", "left; top"]);
        }),
      );
    });

    test("the schema refuses a second order for one order key", async () => {
      await withEmptyDatabase(provider, async (url) => {
        await deployMigrations(url);
        const db = createDatabaseClient(url);
        try {
          await db.product.create({ data: { id: "p", name: "P", priceCents: 100, stock: 1 } });
          const order = { customerId: "c", productId: "p", quantity: 1, totalCents: 100, status: "confirmed" };
          await db.order.create({ data: { ...order, orderKey: "c:key-1" } });
          const duplicate = await db.order
            .create({ data: { ...order, orderKey: "c:key-1" } })
            .catch((error: unknown) => error);
          expect(isUniqueViolation(duplicate, "orderKey")).toBe(true);
        } finally {
          await db.$disconnect();
        }
      });
    });

    test("the migration that makes a completed record hold its response keeps the records, less those without one", async () => {
      await withSchemaCopy(provider, { before: completedHasResponse }, (previous) =>
        withEmptyDatabase(provider, async (url) => {
          await deployMigrations(url, { schemaDir: previous });
          const now = new Date("2026-11-28T12:00:00.000Z");
          const record = (db: Database, key: string, data: object) =>
            db.idempotencyRecord.create({
              data: {
                customerId: "c",
                key,
                fingerprint: "f",
                state: "completed",
                createdAt: now,
                expiresAt: now,
                ...data,
              },
            });
          const kept = await withClient(url, async (db) => {
            const valid = [
              await record(db, "empty-body-no-headers", emptyResponse),
              await record(db, "in-progress", { state: "in_progress", lockedBy: "t", lockedUntil: now }),
              await record(db, "replayable", {
                responseStatus: 201,
                responseHeaders: '{"location":"/api/orders/o"}',
                responseBody: '{"order":{}}',
              }),
            ];
            // Rows only a hand could have written: each would answer every retry with a 500.
            await record(db, "no-response", {});
            await record(db, "status-only", { responseStatus: 201 });
            await record(db, "body-only", { responseBody: "{}" });
            return valid;
          });
          const columnsBefore = await columnsOfIdempotencyRecord(provider, url);
          const indexesBefore = await indexesOfIdempotencyRecord(provider, url);

          // With no client open: a SQLite file is migrated by one process alone.
          expect(await deployMigrations(url)).toEqual([completedHasResponse]);

          // The table is the one it was, with the constraint added: on SQLite, which made
          // it again, the same columns, defaults and indexes.
          expect(await columnsOfIdempotencyRecord(provider, url)).toEqual(columnsBefore);
          expect(await indexesOfIdempotencyRecord(provider, url)).toEqual(indexesBefore);
          await withClient(url, async (db) => {
            // The records that broke the rule are gone; the others are there as they were.
            expect(await db.idempotencyRecord.findMany({ orderBy: { key: "asc" } })).toEqual(kept);
            const duplicate = await record(db, "replayable", emptyResponse).catch((error: unknown) => error);
            expect(isUniqueViolation(duplicate)).toBe(true);
            await expect(record(db, "no-response-again", {})).rejects.toThrow(
              /check constraint.*IdempotencyRecord_completed_has_response/i,
            );
            await expect(record(db, "unknown-state", { state: "done" })).rejects.toThrow(
              /check constraint.*IdempotencyRecord_state_known/i,
            );
          });
        }),
      );
    });
  });

  test.describe(`the CHECK constraints on ${provider}`, () => {
    const database = useTestDatabase(provider);

    for (const [constraint, { refuses, refused, allowed }] of Object.entries(checkConstraints)) {
      test(`the database refuses ${refuses} (${constraint})`, async () => {
        const { db } = database;
        const productId = `p-${randomUUID()}`;
        await db.product.create({ data: { id: productId, name: "P", priceCents: 100, stock: 1 } });
        await expect(refused(db, productId)).rejects.toThrow(new RegExp(`check constraint.*${constraint}`, "i"));
        // The edge of what is allowed still goes in: the constraint is no stricter than meant.
        await expect(allowed(db, productId)).resolves.toBeTruthy();
      });
    }

    test("the database refuses to complete an idempotency record without its status, or without its body", async () => {
      const { db } = database;
      const refusal = /check constraint.*IdempotencyRecord_completed_has_response/i;
      // Written completed at once, as a row made by hand would be.
      for (const half of [{ responseStatus: 201 }, { responseBody: "{}" }]) {
        await expect(db.idempotencyRecord.create({ data: { ...recordIn("completed"), ...half } })).rejects.toThrow(
          refusal,
        );
      }
      // Or claimed, then completed by a write that forgets part of the response.
      const { id } = await db.idempotencyRecord.create({ data: recordIn("in_progress") });
      for (const half of [{ responseStatus: 201 }, { responseBody: "{}" }]) {
        await expect(
          db.idempotencyRecord.update({ where: { id }, data: { state: "completed", ...half } }),
        ).rejects.toThrow(refusal);
      }
      // Taken back to in progress (a key reclaimed after expiry), it sheds its response.
      await db.idempotencyRecord.update({ where: { id }, data: { state: "completed", ...emptyResponse } });
      await expect(
        db.idempotencyRecord.update({
          where: { id },
          data: { state: "in_progress", responseStatus: null, responseBody: null },
        }),
      ).resolves.toBeTruthy();
    });
  });
}

test.describe("migrations on sqlite, which run with foreign keys off", () => {
  // Off for the whole script, so that SQLite's own way to change a table works inside the
  // migration's transaction (prisma/migrate.ts, runSqliteScriptsWhole).
  const shelves = `CREATE TABLE "Shelf" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT NOT NULL);
CREATE TABLE "Slot" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "shelfId" INTEGER NOT NULL,
    CONSTRAINT "Slot_shelfId_fkey" FOREIGN KEY ("shelfId") REFERENCES "Shelf" ("id") ON DELETE CASCADE
);
`;

  test("a redefined table keeps the rows that reference it ON DELETE CASCADE", async () => {
    // What Prisma writes to change a column SQLite cannot ALTER.
    const redefineShelf = `PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shelf" ("id" INTEGER NOT NULL PRIMARY KEY, "label" TEXT);
INSERT INTO "new_Shelf" ("id", "label") SELECT "id", "label" FROM "Shelf";
DROP TABLE "Shelf";
ALTER TABLE "new_Shelf" RENAME TO "Shelf";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`;
    const scripts = {
      "29990101000000_shelves": `${shelves}INSERT INTO "Shelf" VALUES (1, 'top');\nINSERT INTO "Slot" VALUES (1, 1);\n`,
      "29990102000000_shelf_label_optional": redefineShelf,
    };
    await withSchemaCopy("sqlite", { addMigrations: scripts }, (schemaDir) =>
      withEmptyDatabase("sqlite", async (url) => {
        expect(await deployMigrations(url, { schemaDir })).toEqual(expect.arrayContaining(Object.keys(scripts)));
        expect(await query(url, 'SELECT "id" FROM "Slot"')).toHaveLength(1);
      }),
    );
  });

  test("a migration that leaves a reference to nothing fails, and changes nothing", async () => {
    const name = "29990101000000_slot_on_no_shelf";
    await withSchemaCopy(
      "sqlite",
      { addMigrations: { [name]: `${shelves}INSERT INTO "Slot" VALUES (1, 42);\n` } },
      (schemaDir) =>
        withEmptyDatabase("sqlite", async (url) => {
          await expect(deployMigrations(url, { schemaDir })).rejects.toThrow(/FOREIGN KEY constraint failed/);
          expect(await tableNames("sqlite", url)).not.toContain("Slot");
        }),
    );
  });
});

test("on PostgreSQL, a role that owns its database but may not create databases migrates it", async () => {
  // How production usually runs: the app's role owns the one database it uses, and
  // nothing more. PostgreSQL refuses such a role any CREATE DATABASE, even of a
  // database that exists.
  const role = uniqueDatabaseName("orders_app");
  const password = randomUUID();
  const database = uniqueDatabaseName("orders_test");
  const roleUrl = new URL(postgresUrlFor(database));
  roleUrl.username = role;
  roleUrl.password = password;
  const admin = new pg.Client({ connectionString: testPostgresUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE "${role}" LOGIN NOCREATEDB PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE "${database}" OWNER "${role}"`);

    expect(await deployMigrations(roleUrl.href)).toEqual(await committedMigrations("postgresql"));
  } finally {
    // The database first: a role that still owns one cannot be dropped.
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  }
});

test("every CHECK constraint in the migrations is tested on both databases", async () => {
  for (const provider of providers) {
    const migrationsDir = path.join(schemaDirOf(provider), "migrations");
    const folders = (await fs.readdir(migrationsDir, { withFileTypes: true })).filter((entry) => entry.isDirectory());
    const sql = await Promise.all(
      folders.map((folder) => fs.readFile(path.join(migrationsDir, folder.name, "migration.sql"), "utf8")),
    );
    const names = sql.flatMap((script) => [...script.matchAll(/CONSTRAINT\s+"(\w+)"\s+CHECK\b/gi)].map((m) => m[1]));
    // Once each: a table SQLite makes again repeats the CHECKs it carries over.
    expect([...new Set(names)].sort(), provider).toEqual(Object.keys(checkConstraints).sort());
  }
});

test.describe("making a migration (npm run db:migration)", () => {
  /** A copy of both providers' schema and migrations, with an index added to the Order model. */
  async function withChangedSchemaCopies(use: (dirs: Record<DatabaseProvider, string>) => Promise<void>) {
    const editSchema = (schema: string) =>
      schema.replace("@@index([customerId, createdAt])", "@@index([customerId, createdAt])\n  @@index([productId])");
    await withSchemaCopy("sqlite", { editSchema }, (sqlite) =>
      withSchemaCopy("postgresql", { editSchema }, (postgresql) => use({ sqlite, postgresql })),
    );
  }

  const migrationsIn = async (dir: string) => (await fs.readdir(path.join(dir, "migrations"))).sort();

  test("writes both providers' migrations under one name, and then no change is left", async () => {
    await withChangedSchemaCopies(async (dirs) => {
      const created = await createMigrations("order_product_index", testPostgresUrl(), dirs);

      const [sqliteFolder, postgresFolder] = created.map((dir) => path.basename(dir));
      expect(created).toHaveLength(2);
      expect(sqliteFolder).toMatch(/^\d{14}_order_product_index$/);
      expect(postgresFolder).toBe(sqliteFolder);
      for (const provider of providers) {
        const script = await fs.readFile(
          path.join(dirs[provider], "migrations", sqliteFolder ?? "", "migration.sql"),
          "utf8",
        );
        expect(script).toContain('CREATE INDEX "Order_productId_idx"');
        expect(await draftMigration(provider, "again", testPostgresUrl(), dirs[provider])).toBeNull();
      }
    });
  });

  test("writes an empty migration for both providers, to fill in by hand, only when asked to", async () => {
    await withSchemaCopy("sqlite", {}, (sqlite) =>
      withSchemaCopy("postgresql", {}, async (postgresql) => {
        const dirs = { sqlite, postgresql };
        expect(await createMigrations("hand_written", testPostgresUrl(), dirs)).toEqual([]);

        const created = await createMigrations("hand_written", testPostgresUrl(), dirs, { allowEmpty: true });
        const folders = created.map((dir) => path.basename(dir));
        expect(folders).toHaveLength(2);
        expect(folders[0]).toMatch(/^\d{14}_hand_written$/);
        expect(folders[1]).toBe(folders[0]);
        for (const provider of providers) {
          const script = await fs.readFile(migrationFile(dirs[provider], folders[0] ?? ""), "utf8");
          expect(script.trim()).toBe("-- This is an empty migration.");
        }
      }),
    );
  });

  test("writes neither migration when one provider's cannot be made", async () => {
    await withChangedSchemaCopies(async (dirs) => {
      const before = await Promise.all(providers.map((provider) => migrationsIn(dirs[provider])));
      // Nothing listens on port 1: the PostgreSQL migration fails after SQLite's was made.
      const unreachable = "postgresql://postgres@127.0.0.1:1/postgres";

      await expect(createMigrations("order_product_index", unreachable, dirs)).rejects.toThrow();
      expect(await Promise.all(providers.map((provider) => migrationsIn(dirs[provider])))).toEqual(before);
    });
  });

  test("leaves no scratch or shadow database behind on PostgreSQL, whether it succeeds or fails", async () => {
    const temporaryDatabases = async () => {
      const admin = new pg.Client({ connectionString: testPostgresUrl() });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ datname: string }>(
          "SELECT datname FROM pg_database WHERE datname LIKE 'migrate\\_scratch\\_%' OR datname LIKE 'prisma\\_shadow\\_%'",
        );
        return rows.map((row) => row.datname);
      } finally {
        await admin.end();
      }
    };
    const existing = new Set(await temporaryDatabases());

    // Succeeds, using a scratch and a shadow database.
    expect(await draftMigration("postgresql", "check", testPostgresUrl())).toBeNull();
    // Fails halfway: the migrations do not apply to the scratch database.
    const broken = { "29990101000000_broken": "ALTER TABLE nowhere ADD COLUMN nothing INTEGER;" };
    await withSchemaCopy("postgresql", { addMigrations: broken }, async (schemaDir) => {
      await expect(draftMigration("postgresql", "check", testPostgresUrl(), schemaDir)).rejects.toThrow();
    });

    // Other runs on this server may be making migrations too: theirs come and go.
    await expect
      .poll(async () => (await temporaryDatabases()).filter((name) => !existing.has(name)), { timeout: 15_000 })
      .toEqual([]);
  });
});
