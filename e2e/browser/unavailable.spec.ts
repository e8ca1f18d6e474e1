// The shop when its database cannot be reached, and when it has nothing to sell: an
// app of its own, started here on a database of its own, since the app under test
// must stay up, and stocked, for the other tests.
import { spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import path from "node:path";
import { expect, test as base } from "@/e2e/support/fixtures";
import { shopPage } from "@/e2e/support/shop-page";
import { deployMigrations } from "@/prisma/migrate";

const test = base.extend<{ startApp: (databaseUrl: string) => Promise<string> }>({
  startApp: async ({}, use) => {
    const stops: (() => Promise<void>)[] = [];
    await use(async (databaseUrl) => {
      const port = await freePort();
      // In its own process group, as e2e/support/serve.ts starts the app under test, so
      // that stopping it stops the next-server it forks as well.
      const server = spawn(
        path.resolve("node_modules/.bin/next"),
        ["start", "--port", String(port), "--hostname", "127.0.0.1"],
        { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore", detached: true },
      );
      const exited = once(server, "exit");
      stops.push(async () => {
        process.kill(-(server.pid ?? 0), "SIGTERM");
        await exited;
      });
      const url = `http://127.0.0.1:${port}`;
      // The icon needs no database: the app is up when it serves it.
      await expect
        .poll(
          () =>
            fetch(`${url}/icon.svg`).then(
              (r) => r.ok,
              () => false,
            ),
          { timeout: 30_000 },
        )
        .toBe(true);
      return url;
    });
    for (const stop of stops) await stop();
  },
});

test("a database out of reach: the pages say the shop is not available and offer to try again; the API answers with a problem", async ({
  page,
  startApp,
}, testInfo) => {
  // A SQLite file in a folder that does not exist yet: it cannot be opened.
  const databaseUrl = `file:${testInfo.outputPath("missing", "shop.db")}`;
  const url = await startApp(databaseUrl);

  await page.goto(url);
  const alert = page.getByRole("alert");
  await expect(alert.getByRole("heading", { name: "The shop is not available right now" })).toBeVisible();
  const api = await page.request.get(`${url}/api/products`);
  expect(api.status()).toBe(500);
  expect(api.headers()["content-type"]).toBe("application/problem+json");
  expect((await api.json()).type).toMatch(/\/internal-error$/);

  // The database is back (empty: nothing for sale yet), and "Try again" renders the page afresh.
  await deployMigrations(databaseUrl);
  await alert.getByRole("button", { name: "Try again" }).click();
  const form = shopPage(page);
  await expect(page.getByRole("cell", { name: "The shop has no products yet." })).toBeVisible();
  await expect(form.submit).toHaveAccessibleDescription("There is nothing to order yet.");
  await expect(form.submit).toBeDisabled();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Your orders" }).click();
  await expect(page.getByText("You have not placed any orders yet.")).toBeVisible();
});

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}
