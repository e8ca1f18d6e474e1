// Configuration for the Prisma CLI, which this project uses only for `prisma generate`
// (see the db:generate script); migrations run through prisma/migrate.ts.
import "./lib/load-env-files"; // the DATABASE_URL the app and the scripts use
import path from "node:path";
import { defineConfig } from "prisma/config";
import { providerOf } from "./lib/database/provider";
import { readEnv } from "./lib/env";

// Without this, the CLI would download the native schema engine, which machines that
// reach only the npm registry cannot do. `prisma generate` never runs the file.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("prisma/schema-engine-unavailable.mjs");

const databaseUrl = readEnv().DATABASE_URL;
// The schema folders are named after Prisma's provider names.
const provider = providerOf(databaseUrl) === "sqlite" ? "sqlite" : "postgres";

export default defineConfig({
  schema: `prisma/${provider}/schema.prisma`,
  migrations: { path: `prisma/${provider}/migrations` },
  datasource: { url: databaseUrl },
});
