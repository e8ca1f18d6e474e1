// The models have one source of truth. Each provider needs its own schema file (a
// generated client is tied to its provider), so this test keeps the two files'
// models identical: only the generator output and the datasource provider may differ.
// And each provider's committed migrations must build exactly its schema: a schema
// change without its migration fails here, not in a deployment.
import fs from "node:fs/promises";
import path from "node:path";
import { expect, test } from "@playwright/test";
import type { DatabaseProvider } from "@/lib/database/provider";
import { draftMigration, schemaDirOf } from "@/prisma/migrate";
import { providers } from "@/tests/support/database";
import { testPostgresUrl } from "@/tests/support/postgres";

const marker = "// MODELS:";
const schemaFile = (provider: DatabaseProvider) => path.join(schemaDirOf(provider), "schema.prisma");

async function modelsOf(file: string) {
  const schema = await fs.readFile(file, "utf8");
  const start = schema.indexOf(marker);
  expect(start, `${file} must contain the line "${marker} …"`).toBeGreaterThan(-1);
  // From the line after the marker to the end: every model, enum and comment.
  return schema.slice(schema.indexOf("\n", start) + 1);
}

const outputSetting = /^(\s*output\s*=\s*)"([^"]*)"/m;
const datasourceProvider = /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*)"([^"]*)"/;

/** What is above the models, comments left out, with the two settings that may differ taken out. */
async function headerOf(file: string) {
  const schema = await fs.readFile(file, "utf8");
  const code = schema
    .slice(0, schema.indexOf(marker))
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n")
    .trim();
  return {
    rest: code.replace(outputSetting, "$1<output>").replace(datasourceProvider, "$1<provider>"),
    output: outputSetting.exec(code)?.[2],
    provider: datasourceProvider.exec(code)?.[2],
  };
}

test("the SQLite and PostgreSQL schemas hold the same models", async () => {
  const sqlite = await modelsOf(schemaFile("sqlite"));
  const postgres = await modelsOf(schemaFile("postgresql"));
  expect(sqlite).toContain("model Order");
  expect(postgres).toBe(sqlite);
});

test("above the models, the two schemas differ only in the datasource provider and the generator output", async () => {
  const sqlite = await headerOf(schemaFile("sqlite"));
  const postgres = await headerOf(schemaFile("postgresql"));

  expect(sqlite.rest).toMatch(/^generator client \{[^}]*\}\s*datasource db \{[^}]*\}$/);
  expect(postgres.rest).toBe(sqlite.rest);
  // lib/database/client.ts imports each provider's client from its output.
  expect(sqlite).toMatchObject({ output: "../generated/sqlite", provider: "sqlite" });
  expect(postgres).toMatchObject({ output: "../generated/postgres", provider: "postgresql" });
});

for (const provider of providers) {
  test(`the committed ${provider} migrations build exactly the ${provider} schema`, async () => {
    const draft = await draftMigration(provider, "drift_check", testPostgresUrl());
    expect(
      draft?.script ?? null,
      "The schema has changes that no migration makes: run `npm run db:migration -- <name>`",
    ).toBeNull();
  });
}
