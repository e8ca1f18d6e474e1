// `npm run db:setup`, which `npm run dev` and `npm start` run first: on an empty
// database (on PostgreSQL, one that does not exist yet) it applies the migrations and
// adds the demo products; run again, it changes nothing and keeps the stock.
import { execFile } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { addDemoProducts, demoProducts } from "@/prisma/demo-products";
import { deployMigrations, ensurePostgresDatabase, withDatabase } from "@/prisma/migrate";
import { createEmptyDatabase } from "@/tests/support/database";
import {
  connectionsWaitingForLocks,
  dropPostgresDatabase,
  postgresUrlFor,
  testPostgresUrl,
  uniqueDatabaseName,
} from "@/tests/support/postgres";

const run = promisify(execFile);

const databases = [
  {
    name: "a new SQLite file",
    async create() {
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-setup-"));
      return { url: `file:${path.join(dir, "shop.db")}`, remove: () => fs.rm(dir, { recursive: true, force: true }) };
    },
  },
  {
    // Written postgres://, the other spelling the app accepts.
    name: "a PostgreSQL database that does not exist yet",
    async create() {
      const url = postgresUrlFor(uniqueDatabaseName("orders_setup")).replace(/^postgresql:/, "postgres:");
      return { url, remove: () => dropPostgresDatabase(url) };
    },
  },
];

test("the set-up scripts read DATABASE_URL from .env.local or .env, as the app does", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-env-files-"));
  try {
    const urlOf = (file: string) => `file:${path.join(dir, file)}`;
    await fs.writeFile(path.join(dir, ".env.local"), `DATABASE_URL=${urlOf("from-env-local.db")}\n`);
    await fs.writeFile(path.join(dir, ".env"), `DATABASE_URL=${urlOf("from-env.db")}\n`);
    // The scripts as `npm run db:setup` runs them, but in that folder, with no DATABASE_URL set.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TSX_TSCONFIG_PATH: path.resolve("tsconfig.json"),
    };
    delete env.DATABASE_URL;
    const options = { cwd: dir, env };
    const tsx = path.resolve("node_modules/.bin/tsx");
    await run(tsx, [path.resolve("prisma/migrate.ts"), "deploy"], options);
    await run(tsx, [path.resolve("prisma/seed.ts")], options);

    const db = createDatabaseClient(urlOf("from-env-local.db")); // .env.local wins over .env
    try {
      expect(await runInTransaction(db, (tx) => tx.product.count())).toBe(demoProducts.length);
    } finally {
      await db.$disconnect();
    }
    await expect(fs.access(path.join(dir, "from-env.db"))).rejects.toThrow();

    // A DATABASE_URL in the environment wins over both files.
    await run(tsx, [path.resolve("prisma/migrate.ts"), "deploy"], {
      ...options,
      env: { ...env, DATABASE_URL: urlOf("from-environment.db") },
    });
    await fs.access(path.join(dir, "from-environment.db"));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

for (const target of databases) {
  test(`npm run db:setup on ${target.name}: migrated and seeded, and a second run keeps the stock`, async () => {
    const database = await target.create();
    try {
      const setUp = () =>
        run("npm", ["run", "--silent", "db:setup"], { env: { ...process.env, DATABASE_URL: database.url } });
      await setUp();

      const db = createDatabaseClient(database.url);
      try {
        const products = await db.product.findMany({ select: { id: true, stock: true }, orderBy: { id: "asc" } });
        expect(products).toEqual(
          demoProducts.map(({ id, stock }) => ({ id, stock })).sort((a, b) => a.id.localeCompare(b.id)),
        );

        await db.product.update({ where: { id: "ceramic-dripper" }, data: { stock: 2 } });
        await db.$disconnect(); // as the app is stopped before a restart: migrations lock a SQLite file
        await setUp();
        expect((await db.product.findUniqueOrThrow({ where: { id: "ceramic-dripper" } })).stock).toBe(2);
        expect(await db.product.count()).toBe(demoProducts.length);
      } finally {
        await db.$disconnect();
      }
    } finally {
      await database.remove();
    }
  });
}

test("migrating a SQLite file that a running app holds open fails with a plain message", async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-setup-"));
  const url = `file:${path.join(dir, "shop.db")}`;
  try {
    await deployMigrations(url);
    const app = createDatabaseClient(url);
    try {
      await app.product.count(); // the app has the file open
      await expect(deployMigrations(url)).rejects.toThrow(/open in another process/);
    } finally {
      await app.$disconnect();
    }
    expect(await deployMigrations(url)).toEqual([]); // once it is closed, all is well
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test("two instances seeding one PostgreSQL database at once: neither fails, each product is added once", async () => {
  const database = await createEmptyDatabase("postgresql");
  const db = createDatabaseClient(database.url);
  const rival = new pg.Client({ connectionString: database.url });
  try {
    await deployMigrations(database.url, { createMissingDatabase: false });
    await rival.connect();
    // The other instance has added one product and not committed yet.
    const [first] = demoProducts;
    if (!first) throw new Error("No demo products");
    await rival.query("BEGIN");
    await rival.query(
      'INSERT INTO "Product" ("id", "name", "priceCents", "stock", "version") VALUES ($1, $2, $3, $4, 0)',
      [first.id, first.name, first.priceCents, first.stock],
    );

    // Our seed waits for that row's fate...
    const seeding = runInTransaction(db, addDemoProducts);
    await expect.poll(() => connectionsWaitingForLocks(database.url)).toBe(1);
    await rival.query("COMMIT");

    // ...and, once it is committed, leaves it alone instead of failing on it.
    expect(await seeding).toBe(demoProducts.length - 1);
    expect(await db.product.count()).toBe(demoProducts.length);
  } finally {
    await rival.end();
    await db.$disconnect();
    await database.remove();
  }
});

test("two instances starting at once on a PostgreSQL database that does not exist yet: neither fails", async () => {
  // Named, so that the barrier counts these two and not other tests' admin connections.
  const applicationName = uniqueDatabaseName("create_race");
  const target = new URL(postgresUrlFor(uniqueDatabaseName("orders_setup")));
  target.searchParams.set("application_name", applicationName);
  const url = target.href;
  const rival = new pg.Client({ connectionString: testPostgresUrl() });
  await rival.connect();
  try {
    // Hold back every CREATE DATABASE: both instances find no database, both create one.
    await rival.query("BEGIN");
    await rival.query("LOCK TABLE pg_catalog.pg_database IN EXCLUSIVE MODE");
    const starting = Promise.allSettled([ensurePostgresDatabase(url), ensurePostgresDatabase(url)]);
    // Both wait on the server's own database, where they connect to create theirs.
    await expect.poll(() => connectionsWaitingForLocks(withDatabase(url, "postgres"), { applicationName })).toBe(2);
    await rival.query("COMMIT");

    expect((await starting).map((result) => (result.status === "rejected" ? String(result.reason) : "ok"))).toEqual([
      "ok",
      "ok",
    ]);
  } finally {
    await rival.end();
    await dropPostgresDatabase(url);
  }
});
