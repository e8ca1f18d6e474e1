// The models have one source of truth. Each provider needs its own schema file (a
// generated client is tied to its provider), so this test keeps the two files'
// models identical: only the generator output and the datasource provider may differ.
// And each provider's committed migrations must build exactly its schema: a schema
// change without its migration fails here, not in a deployment.
import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { draftMigration } from "@/prisma/migrate";
import { providers } from "@/tests/support/database";
import { testPostgresUrl } from "@/tests/support/postgres";

const marker = "// MODELS:";
const blockPattern = /^(\w+)\s+(\w+)\s*\{([^}]*)\}/gm;
const schemaFiles = { sqlite: "prisma/sqlite/schema.prisma", postgresql: "prisma/postgres/schema.prisma" };

async function modelsOf(file: string) {
  const schema = await fs.readFile(file, "utf8");
  const start = schema.indexOf(marker);
  expect(start, `${file} must contain the line "${marker} …"`).toBeGreaterThan(-1);
  // From the line after the marker to the end: every model, enum and comment.
  return schema.slice(schema.indexOf("\n", start) + 1);
}

/**
 * What is above the models, comments left out: its blocks, with whitespace evened out,
 * the datasource's provider and the generator's output replaced by placeholders (and
 * returned apart), and whatever else there is.
 */
async function headerOf(file: string) {
  const schema = await fs.readFile(file, "utf8");
  const code = schema
    .slice(0, schema.indexOf(marker))
    .split("\n")
    .filter((line) => !line.trim().startsWith("//"))
    .join("\n");
  const settings: Record<string, string | undefined> = {};
  const blocks = [...code.matchAll(blockPattern)].map(([, kind, name, body = ""]) => {
    const lines = body
      .split("\n")
      .map((line) => line.trim().replace(/\s+/g, " "))
      .filter((line) => line !== "")
      .map((line) => {
        const [setting, value] = line.split(" = ");
        if ((kind === "datasource" && setting === "provider") || (kind === "generator" && setting === "output")) {
          settings[`${kind}.${setting}`] = value;
          return `${setting} = <differs>`;
        }
        return line;
      });
    return { kind, name, lines };
  });
  const rest = code.replace(blockPattern, "").trim();
  return { blocks, settings, rest };
}

test("the SQLite and PostgreSQL schemas hold the same models", async () => {
  const sqlite = await modelsOf(schemaFiles.sqlite);
  const postgres = await modelsOf(schemaFiles.postgresql);
  expect(sqlite).toContain("model Order");
  expect(postgres).toBe(sqlite);
});

test("above the models, the two schemas differ only in the datasource provider and the generator output", async () => {
  const sqlite = await headerOf(schemaFiles.sqlite);
  const postgres = await headerOf(schemaFiles.postgresql);

  expect(sqlite.blocks.map((block) => block.kind)).toEqual(["generator", "datasource"]);
  expect(sqlite.rest, "nothing but the generator and the datasource above the models").toBe("");
  expect(postgres.rest, "nothing but the generator and the datasource above the models").toBe("");
  expect(postgres.blocks).toEqual(sqlite.blocks);

  // lib/database/client.ts imports each provider's client from its output.
  expect(sqlite.settings).toEqual({ "generator.output": '"../generated/sqlite"', "datasource.provider": '"sqlite"' });
  expect(postgres.settings).toEqual({
    "generator.output": '"../generated/postgres"',
    "datasource.provider": '"postgresql"',
  });
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
