// Starts the built app for the tests: a fresh database, migrations applied, and one
// `next start` per port, all on that database. Playwright's webServer runs this and
// waits for "ready"; on SIGTERM it stops the servers and drops what it created.
//
//   tsx e2e/support/serve.ts <DATABASE_URL> <port> [<port> ...]
//
// A PostgreSQL URL names a database that must not exist yet: it is created here and
// dropped on exit, so every run starts empty. One that exists is refused, and left alone.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { providerOf } from "@/lib/database/provider";
import { deployMigrations } from "@/prisma/migrate";
import { createPostgresDatabase, dropPostgresDatabase } from "@/tests/support/postgres";
import { startNext, stopProcessGroup, waitUntilServing } from "@/tests/support/processes";

const [databaseUrl, ...ports] = process.argv.slice(2);
if (!databaseUrl || ports.length === 0) throw new Error("usage: serve.ts <DATABASE_URL> <port>...");

const servers: ChildProcess[] = [];
let stopping = false;
let createdDatabase = false; // only a database made here is dropped here

async function main(url: string) {
  await createFreshDatabase(url);
  await deployMigrations(url);
  for (const port of ports) {
    const server = startNext(url, port, ["ignore", "inherit", "inherit"]);
    server.on("exit", (code) => {
      if (!stopping) {
        console.error(`next start on port ${port} exited with ${code}`);
        void stop(1);
      }
    });
    servers.push(server);
  }
  await Promise.all(ports.map((port) => waitUntilServing(`http://127.0.0.1:${port}/api/products`)));
  console.log(`ready: ${providerOf(url)} on ports ${ports.join(", ")}`);
}

async function createFreshDatabase(url: string) {
  if (providerOf(url) === "postgresql") {
    await createPostgresDatabase(url).catch((error: unknown) => {
      throw isOutOfReach(error) ? new Error(unreachablePostgresMessage(url, error)) : error;
    });
    createdDatabase = true;
    return;
  }
  const file = path.resolve(url.slice("file:".length));
  for (const suffix of ["", "-wal", "-shm", "-journal"]) await fs.rm(file + suffix, { force: true });
}

/**
 * No server, or not one we may use: a network error (ECONNREFUSED, ENOTFOUND...), a
 * refused login (SQLSTATE class 28), or a password that the server asks for and the
 * URL lacks.
 */
function isOutOfReach(error: unknown) {
  const { code, message } = error as { code?: unknown; message?: unknown };
  // Network errors are E + capitals (ECONNREFUSED); Node's own ERR_... codes are not.
  if (typeof code === "string") return /^E[A-Z]+$/.test(code) || code.startsWith("28");
  return typeof message === "string" && message.includes("password");
}

/** Says what the tests need, where the driver only says what went wrong. */
function unreachablePostgresMessage(url: string, error: unknown) {
  const server = new URL(url);
  server.password = server.password && "***";
  server.pathname = "";
  return [
    `The PostgreSQL tests could not use the server at ${server.href}: ${error instanceof Error ? error.message : String(error)}`,
    "They need one that lets them create databases: PostgreSQL on 127.0.0.1:5432 trusting local",
    "connections as postgres, or the server in TEST_POSTGRES_URL (with its password).",
    '.ci/run installs and starts one on Debian. See the README, "Test it".',
  ].join("\n");
}

async function dropDatabase(url: string) {
  // A SQLite file stays for a post-mortem; the next run replaces it.
  if (providerOf(url) === "postgresql" && createdDatabase) await dropPostgresDatabase(url);
}

/** How long a server may take to stop on SIGTERM before it is killed. */
const stopGraceMs = 5_000;

async function stop(exitCode: number) {
  if (stopping) return;
  stopping = true;
  await stopServers();
  await dropDatabase(databaseUrl ?? "").catch((error: unknown) =>
    console.error("Could not drop the test database", error),
  );
  process.exit(exitCode);
}

/**
 * Stops each server's whole process group (a process `next start` forks is in it too),
 * and waits until the groups are gone. Playwright gives this process a few seconds
 * before it kills it, and then servers in groups of their own would live on with the
 * ports and the database.
 */
async function stopServers() {
  await Promise.all(servers.map((server) => stopProcessGroup(server, { graceMs: stopGraceMs })));
}

process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

main(databaseUrl).catch((error: unknown) => {
  console.error(error);
  void stop(1);
});
