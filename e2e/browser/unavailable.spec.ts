// The shop when its database cannot be reached, and when it has nothing to sell: an
// app of its own, started here on a database of its own, since the app under test
// must stay up, and stocked, for the other tests.
import type { ChildProcess } from "node:child_process";
import { expect, test as base } from "@/e2e/support/fixtures";
import { shopPage } from "@/e2e/support/shop-page";
import { deployMigrations } from "@/prisma/migrate";
import { freePort, startNext, stopProcessGroup, waitUntilServing } from "@/tests/support/processes";

const test = base.extend<{ startApp: (databaseUrl: string) => Promise<string> }>({
  startApp: async ({}, use) => {
    const started: ChildProcess[] = [];
    await use(async (databaseUrl) => {
      const port = await freePort();
      started.push(startNext(databaseUrl, port));
      const url = `http://127.0.0.1:${port}`;
      await waitUntilServing(`${url}/icon.svg`); // the icon needs no database
      return url;
    });
    for (const server of started) await stopProcessGroup(server);
  },
});

test("a database out of reach: the pages say the shop is not available and offer to try again; the API answers with a problem", async ({
  page,
  startApp,
}, testInfo) => {
  test.setTimeout(60_000); // an app of its own to start, beside the others, on two cores
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
