// The models have one source of truth. Each provider needs its own schema file (a
// generated client is tied to its provider), so this test keeps the two files'
// models identical: only the generator output and the datasource may differ.
// And each provider's committed migrations must build exactly its schema: a schema
// change without its migration fails here, not in a deployment.
import fs from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { draftMigration } from "@/prisma/migrate";
import { providers } from "@/tests/support/database";
import { testPostgresUrl } from "@/tests/support/postgres";

const marker = "// MODELS:";

async function modelsOf(file: string) {
  const schema = await fs.readFile(file, "utf8");
  const start = schema.indexOf(marker);
  expect(start, `${file} must contain the line "${marker} …"`).toBeGreaterThan(-1);
  // From the line after the marker to the end: every model, enum and comment.
  return schema.slice(schema.indexOf("\n", start) + 1);
}

test("the SQLite and PostgreSQL schemas hold the same models", async () => {
  const sqlite = await modelsOf("prisma/sqlite/schema.prisma");
  const postgres = await modelsOf("prisma/postgres/schema.prisma");
  expect(sqlite).toContain("model Order");
  expect(postgres).toBe(sqlite);
});

test("nothing above the models but the generator and the datasource", async () => {
  for (const file of ["prisma/sqlite/schema.prisma", "prisma/postgres/schema.prisma"]) {
    const schema = await fs.readFile(file, "utf8");
    const header = schema.slice(0, schema.indexOf(marker));
    const blocks = [...header.matchAll(/^(\w+)\s+\w+\s*\{/gm)].map((match) => match[1]);
    expect(blocks, file).toEqual(["generator", "datasource"]);
  }
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
