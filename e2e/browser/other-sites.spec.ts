// What another site can do to the shop's customers: neither show the shop in a frame
// (to trick them into clicking "Place order"), nor place an order from their browser.
//
// The other site is a real server of its own, on "localhost", while the shop is on
// 127.0.0.1: another site to the browser (the cookie is not sent to it, nor from it),
// and, like the shop, on this machine, so that the browser's checks on pages that
// reach into the local network do not stop it first, as they would not on the web.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test as base } from "@/e2e/support/fixtures";
import { shopPage } from "@/e2e/support/shop-page";
import { customerCookie } from "@/lib/customer";

const test = base.extend<{ otherSite: (html: string) => Promise<string> }>({
  otherSite: async ({}, use) => {
    const servers: http.Server[] = [];
    await use(async (html) => {
      const server = http.createServer((_, response) => {
        response.writeHead(200, { "Content-Type": "text/html" }).end(html);
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return `http://localhost:${(server.address() as AddressInfo).port}/`;
    });
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  },
});

test("another site cannot show the shop in a frame", async ({ page, baseURL, otherSite }) => {
  const url = await otherSite(
    `<title>Other site</title><iframe src="${baseURL}/" onload="document.title = 'framed'"></iframe>`,
  );
  const blocked = page.waitForEvent("console", (message) => message.text().includes("frame-ancestors"));
  await page.goto(url);
  await expect(page).toHaveTitle("framed"); // the frame has loaded what it could
  await blocked;
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  expect(frame?.url()).not.toContain(baseURL);
});

test("another site cannot place an order from the customer's browser", async ({ page, shop, baseURL, otherSite }) => {
  const product = await shop.createProduct({ name: "Cross-site kettle", stock: 5 });
  await page.goto(`/?product=${product.id}`); // the customer has the shop's cookie
  await expect(shopPage(page).submit).toBeEnabled();
  const customerId = (await page.context().cookies()).find((cookie) => cookie.name === customerCookie)?.value;
  expect(customerId).toMatch(/^[0-9a-f-]{36}$/);

  // The other site tries both ways a page can send a POST: a script, asking for the
  // customer's cookies and sending every header the API wants; then a form, whose
  // text body is shaped to read as JSON.
  const body = JSON.stringify({ productId: product.id, quantity: 1 });
  const url = await otherSite(`<title>Other site</title>
    <form method="post" action="${baseURL}/api/orders" enctype="text/plain">
      <input type="hidden" name='${body.slice(0, -1)}, "x": "' value='"}'>
    </form>
    <script>
      fetch(${JSON.stringify(`${baseURL}/api/orders`)}, {
        method: "POST",
        credentials: "include",
        headers: { "Content-Type": "application/json", "Idempotency-Key": "from-another-site" },
        body: ${JSON.stringify(body)},
      }).catch(() => {}).then(() => document.forms[0].submit());
    </script>`);
  // The script's request never leaves the browser: the API answers no other origin's
  // preflight (CORS).
  const preflightRefused = page.waitForEvent("console", (message) => message.text().includes("blocked by CORS policy"));
  const formSent = page.waitForResponse(
    (response) => response.url() === `${baseURL}/api/orders` && response.request().method() === "POST",
  );
  await page.goto(url);
  await preflightRefused;

  // The form is sent, but not with the customer's cookie (SameSite=Lax): the shop
  // takes it for a new customer's. It is refused, since a form cannot send the
  // Idempotency-Key header (nor a JSON content type). And it sets no cookie: one would
  // replace the customer's, and they would lose their orders list and their keys.
  const form = await formSent;
  expect(form.status()).toBe(400);
  await expect(page.locator("body")).toContainText("missing-idempotency-key");
  const cookieAfter = (await page.context().cookies()).find((cookie) => cookie.name === customerCookie)?.value;
  expect(cookieAfter).toBe(customerId);
  expect(await form.headerValue("set-cookie")).toBeNull();
  expect(await shop.ordersFor(product.id)).toHaveLength(0);
});
