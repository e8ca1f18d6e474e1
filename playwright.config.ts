// The whole test suite: unit and in-process tests (tests/), HTTP tests against the
// running app (e2e/api, on SQLite and on PostgreSQL), two app instances sharing one
// PostgreSQL (e2e/scale-out), and browser tests in Debian's Chromium (e2e/browser).
// `npm test` builds the app once; the web servers below only start it.
import { defineConfig } from "@playwright/test";
import type { AppOptions } from "@/e2e/support/fixtures";
import { postgresUrlFor, uniqueDatabaseName } from "@/tests/support/postgres";

const url = (port: number) => `http://127.0.0.1:${port}`;

const sqlite = { databaseUrl: "file:./.e2e/sqlite.db", port: 3100 };

// A fresh PostgreSQL database for each run, created and dropped by e2e/support/serve.ts.
// The name is chosen once, here, in the runner; its workers inherit it.
process.env.E2E_POSTGRES_DATABASE ??= uniqueDatabaseName("orders_e2e");
const postgres = { databaseUrl: postgresUrlFor(process.env.E2E_POSTGRES_DATABASE), ports: [3200, 3201] as const };

export default defineConfig<AppOptions>({
  forbidOnly: true,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  // Emptied at the start of every run, screenshots (test-results/screenshots) too: none is left from an earlier run.
  outputDir: "test-results",
  use: {
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [
    { name: "unit", testDir: "tests", testMatch: "**/*.test.ts" },
    {
      name: "api-sqlite",
      testDir: "e2e/api",
      use: { baseURL: url(sqlite.port), databaseUrl: sqlite.databaseUrl, instances: [url(sqlite.port)] },
    },
    {
      name: "api-postgresql",
      testDir: "e2e/api",
      use: {
        baseURL: url(postgres.ports[0]),
        databaseUrl: postgres.databaseUrl,
        instances: [url(postgres.ports[0])],
      },
    },
    {
      name: "scale-out-postgresql",
      testDir: "e2e/scale-out",
      use: {
        baseURL: url(postgres.ports[0]),
        databaseUrl: postgres.databaseUrl,
        instances: postgres.ports.map(url),
      },
    },
    {
      name: "browser",
      testDir: "e2e/browser",
      use: {
        browserName: "chromium",
        // Traces of the pages a failed test saw (the other projects' errors say enough).
        trace: "retain-on-failure",
        baseURL: url(sqlite.port),
        databaseUrl: sqlite.databaseUrl,
        instances: [url(sqlite.port)],
      },
    },
  ],
  webServer: [
    {
      command: `tsx e2e/support/serve.ts ${sqlite.databaseUrl} ${sqlite.port}`,
      wait: { stdout: /ready: sqlite/ },
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
    },
    {
      // Two `next start` processes on one database: stateless instances scale out.
      command: `tsx e2e/support/serve.ts ${postgres.databaseUrl} ${postgres.ports.join(" ")}`,
      wait: { stdout: /ready: postgresql/ },
      timeout: 120_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stdout: "pipe",
    },
  ],
});
