// The whole test suite: unit and library tests (tests/), HTTP tests against the
// running app (e2e/api), and browser tests in Debian's Chromium (e2e/browser).
// `npm test` builds the app once; the web servers below only start it.
import { defineConfig } from "@playwright/test";
import type { DatabaseOptions } from "@/e2e/support/fixtures";

const sqlite = { databaseUrl: "file:./.e2e/sqlite.db", port: 3100 };
const baseURL = (port: number) => `http://127.0.0.1:${port}`;

export default defineConfig<DatabaseOptions>({
  forbidOnly: true,
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  outputDir: "test-results/artifacts",
  use: {
    trace: "retain-on-failure",
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
  projects: [
    { name: "unit", testDir: "tests", testMatch: "**/*.test.ts" },
    {
      name: "api-sqlite",
      testDir: "e2e/api",
      use: { baseURL: baseURL(sqlite.port), databaseUrl: sqlite.databaseUrl },
    },
    {
      name: "browser",
      testDir: "e2e/browser",
      use: { browserName: "chromium", baseURL: baseURL(sqlite.port), databaseUrl: sqlite.databaseUrl },
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
  ],
});
