import type { Route } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";
import { fulfillWithProblem, holdOrderPosts, shopPage } from "@/e2e/support/shop-page";
import { customerCookie } from "@/lib/customer";

test.describe("retrying an order", () => {
  test("a lost response: Retry resends the same key and shows the order the server placed", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Lost-response grinder", stock: 5, priceCents: 4500 });
    const form = shopPage(page);
    const sent: string[] = [];
    let retryReplayed: string | undefined;
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      const response = await route.fetch(); // the server does the work...
      if (sent.length === 1) return route.abort("connectionreset"); // ...and the answer is lost
      retryReplayed = response.headers()["idempotent-replayed"];
      await route.fulfill({ response });
    });

    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("2");
    await form.submit.click();

    await expect(form.status).toContainText("Order not confirmed");
    expect(await shop.ordersFor(product.id)).toHaveLength(1); // it was placed all the same
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("2 × Lost-response grinder for €90.00. 3 left in stock.");
    await expect(form.status).not.toContainText("Idempotent-Replayed"); // a replay looks like the first answer
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(retryReplayed).toBe("true");
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("offline, the shop stays on screen: the order is not confirmed, and Retry, back online, places it once", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Offline kettle", stock: 5 });
    const form = shopPage(page);
    const keys: string[] = [];
    page.on("request", (request) => {
      if (request.method() === "POST") keys.push(request.headers()["idempotency-key"] ?? "");
    });
    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toBeEnabled();
    await page.evaluate(() => Object.assign(window, { loadedOnce: true })); // gone if the page is loaded again

    await page.context().setOffline(true); // everything the page asks fails, not the order alone
    await form.submit.click();
    await expect(form.status).toContainText("The connection to the shop failed");
    await page.context().setOffline(false);
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    // The page was never loaded again (a refresh that fell back to loading the page
    // would have shown the browser's offline page, and lost the form).
    expect(await page.evaluate(() => "loadedOnce" in window)).toBe(true);
    expect(keys).toEqual([keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  test("a Retry that fails again says so: the attempts are counted, and the key stays the same", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Twice-unreachable press", stock: 5 });
    const form = shopPage(page);
    const posts = await holdOrderPosts(page, async (route) => {
      if (posts.requests.length <= 2) return route.abort("internetdisconnected"); // offline, and still offline
      await route.continue();
    });
    posts.release();

    await page.goto(`/?product=${product.id}`);
    await form.submit.click();
    await expect(form.status).toContainText("The connection to the shop failed");
    await expect(form.status).not.toContainText("attempts so far");
    await form.retry.click();
    await expect(form.status).toContainText(
      "The connection to the shop failed, so we do not know if the order went through. (2 attempts so far.)",
    );
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    const keys = posts.keys();
    expect(keys).toEqual([keys[0], keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  const unconfirmed = "The shop could not confirm your order.";
  const notTheOrder = [
    { what: "a server error", status: 502, contentType: "text/html", body: "<h1>Bad gateway</h1>", told: unconfirmed },
    { what: "a proxy's refusal", status: 429, contentType: "text/plain", body: "Too many requests", told: unconfirmed },
    {
      what: "a proxy's 400",
      status: 400,
      contentType: "text/html",
      body: "<h1>Request header too large</h1>",
      told: unconfirmed,
    },
    // (Read as a problem document without a look at its shape, it would throw.)
    {
      what: "a gateway's JSON error",
      status: 502,
      contentType: "application/json",
      body: '{"type":5,"errors":"x"}',
      told: unconfirmed,
    },
    // (Stored with the draft, it would make the draft unreadable, and its key lost.)
    {
      what: "a success that is not the order",
      status: 201,
      contentType: "application/json",
      body: '{"order":{"id":"half-an-order"}}',
      told: "The shop's answer could not be read.",
    },
  ];
  for (const answer of notTheOrder) {
    test(`${answer.what}: Retry resends the same key and places the order once`, async ({ page, shop }) => {
      const product = await shop.createProduct({ name: `Unanswered filter (${answer.what})`, stock: 5 });
      const form = shopPage(page);
      const sent: string[] = [];
      await page.route("**/api/orders", async (route) => {
        if (route.request().method() !== "POST") return route.fallback();
        sent.push(route.request().headers()["idempotency-key"] ?? "");
        // The first attempt is answered on the way, before it reaches the app.
        if (sent.length === 1) return route.fulfill(answer);
        await route.continue();
      });

      await page.goto(`/?product=${product.id}`);
      await form.submit.click();
      await expect(form.status).toContainText("Order not confirmed");
      await expect(form.status).toContainText(answer.told);
      await expect(form.retry).toBeFocused(); // the button that was disabled has the focus back
      await form.retry.click();

      await expect(form.status).toContainText("Order confirmed");
      expect(sent).toEqual([sent[0], sent[0]]);
      expect(await shop.ordersFor(product.id)).toHaveLength(1);
    });
  }

  // An answer that says "not now". The first because an earlier attempt with this key
  // is still being processed (held in the database, as the real server sees it; the
  // server says 409 with Retry-After: 1). The second as the server answers when the
  // stock's optimistic lock lost every round, here with a Retry-After longer than the
  // form is willing to wait (it waits 10 seconds at most). The third with a date
  // (given the page's clock, which stands still until the test moves it). The last
  // from a busy proxy in front of the shop, which never saw the order.
  const stockContention = (retryAfter: string) => (route: Route) =>
    fulfillWithProblem(route, "stock-contention", "Not now.", { headers: { "Retry-After": retryAfter } });
  const notNow: {
    why: string;
    /** Answers the first attempt on the way (given the page's time); without it, the real server does. */
    refuse?: (route: Route, pageNow: number) => Promise<void>;
    waitMs: number;
  }[] = [
    { why: "a key still in use", waitMs: 1_000 },
    { why: "too many buyers at once", refuse: stockContention("3600"), waitMs: 10_000 },
    {
      why: "a Retry-After that is a date",
      refuse: (route, pageNow) => stockContention(new Date(pageNow + 3_000).toUTCString())(route),
      waitMs: 3_000,
    },
    // Less than a second would use up every poll at once: the form waits a second.
    { why: "a Retry-After of 0", refuse: stockContention("0"), waitMs: 1_000 },
    ...[503, 429].map((status) => ({
      why: `a busy proxy's ${status}`,
      refuse: (route: Route) =>
        route.fulfill({ status, headers: { "Content-Type": "text/html", "Retry-After": "2" }, body: "<h1>Busy</h1>" }),
      waitMs: 2_000,
    })),
  ];
  for (const { why, refuse, waitMs } of notNow) {
    test(`${why}: the form waits for Retry-After and asks again with the same key`, async ({ page, shop }) => {
      const product = await shop.createProduct({ name: `Patient dripper ${why}`, stock: 5 });
      const form = shopPage(page);
      const sent: string[] = [];
      // A whole second: an HTTP date has no milliseconds.
      const pausedAt = Math.ceil((Date.now() + 60_000) / 1000) * 1000;
      await page.route("**/api/orders", async (route) => {
        if (route.request().method() !== "POST") return route.fallback();
        const key = route.request().headers()["idempotency-key"] ?? "";
        sent.push(key);
        if (refuse && sent.length === 1) return refuse(route, pausedAt);
        if (!refuse) {
          const customerId = (await page.context().cookies()).find((c) => c.name === customerCookie)?.value ?? "";
          if (sent.length === 1) await shop.holdKey(customerId, key, { productId: product.id, quantity: 1 });
          else await shop.releaseKey(customerId, key);
        }
        await route.continue();
      });

      // When, on the page's clock, each order request was sent.
      await page.addInitScript(() => {
        const sentAt: number[] = [];
        const fetch = window.fetch;
        Object.assign(window, { sentAt });
        window.fetch = (input, init) => {
          if (init?.method === "POST") sentAt.push(Date.now());
          return fetch(input, init);
        };
      });
      await page.clock.install();
      await page.goto(`/?product=${product.id}`);
      await expect(form.submit).toBeEnabled();
      await page.clock.pauseAt(pausedAt); // from here, time moves only when the test says so

      await form.submit.click();
      await expect(form.submit).toHaveText("Still placing your order…");
      const sentAt = () => page.evaluate(() => (window as unknown as { sentAt: number[] }).sentAt);
      await page.clock.runFor(waitMs - 1); // a form that asked again sooner would do it now...
      expect(await sentAt()).toHaveLength(1); // (counted in the page, where the ask starts)
      await page.clock.runFor(1); // ...this one does it now
      await expect(form.status).toContainText("Order confirmed");

      expect(sent).toEqual([sent[0], sent[0]]);
      const [first = 0, second = 0] = await sentAt();
      expect(second - first).toBe(waitMs);
      expect(await shop.ordersFor(product.id)).toHaveLength(1);
    });
  }

  // When the key stays in use, the form asks again five times (maxPolls in
  // components/send-order.ts) and then stops: a request that holds its key that long
  // is stuck, and the customer decides whether to try again. The tests above cover a
  // key that is free after one wait.
  test("a key in use through every wait: the form stops asking and offers Retry, which sends the same key", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Stuck kettle", stock: 5 });
    const form = shopPage(page);
    const asksBeforeRetry = 6; // the first request and five polls
    const sent: string[] = [];
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      if (sent.length > asksBeforeRetry) return route.continue();
      await fulfillWithProblem(route, "idempotency-key-in-use", "Still being processed.", {
        headers: { "Retry-After": "2" },
      });
    });

    await page.clock.install();
    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toBeEnabled();
    await page.clock.pauseAt(Date.now() + 60_000); // from here, time moves only when the test says so

    await form.submit.click();
    await expect(form.submit).toHaveText("Still placing your order…");
    for (let asked = 1; asked < asksBeforeRetry; asked++) {
      // The form starts each wait only once it has read the answer, which the test
      // cannot see: the clock moves in steps until the form asks again. No step is
      // taken once it has asked, so no second wait can pass unseen.
      await expect
        .poll(
          async () => {
            if (sent.length === asked) await page.clock.runFor(500);
            return sent.length;
          },
          { intervals: [50] },
        )
        .toBe(asked + 1);
    }
    await expect(form.status).toContainText("Order not confirmed");
    expect(sent).toHaveLength(asksBeforeRetry);
    // However long one waits now, the form does not ask again by itself.
    await page.clock.runFor(60_000);
    expect(sent).toHaveLength(asksBeforeRetry);

    await form.retry.click();
    await expect(form.status).toContainText("Order confirmed");
    expect(sent).toEqual(Array.from({ length: asksBeforeRetry + 1 }, () => sent[0]));
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  // An answer lost on a connection that stays open (a proxy that never replies): the
  // form does not wait for ever. The 30 seconds are answerTimeoutMs in
  // components/send-order.ts.
  test("an answer that never comes: the form stops waiting, and Retry gets the order the server placed", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Silent scale", stock: 5 });
    const form = shopPage(page);
    const sent: string[] = [];
    let replayed: string | undefined;
    let placed!: () => void;
    const serverDone = new Promise<void>((resolve) => (placed = resolve));
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      const response = await route.fetch(); // the server places the order...
      if (sent.length === 1) return placed(); // ...and its answer never comes: the request stays open
      replayed = response.headers()["idempotent-replayed"];
      await route.fulfill({ response });
    });

    await page.clock.install();
    await page.goto(`/?product=${product.id}`);
    await expect(form.submit).toBeEnabled();
    await page.clock.pauseAt(Date.now() + 60_000); // from here, time moves only when the test says so

    await form.submit.click();
    await serverDone;
    await page.clock.runFor(4_999);
    await expect(form.submit).toHaveText("Placing order…");
    await page.clock.runFor(1); // a slow answer: the page says so, not a spinner alone
    await expect(form.status).toHaveText("The shop is taking longer than usual to answer. Still waiting…");
    await expect(form.submit).toHaveText("Still placing your order…");
    await page.clock.runFor(25_000 - 1);
    await expect(form.submit).toHaveText("Still placing your order…"); // still waiting...
    await page.clock.runFor(1); // ...and no longer
    await expect(form.status).toContainText("The shop did not answer in time");
    await expect(form.retry).toBeFocused();

    await form.retry.click();
    await expect(form.status).toContainText("Order confirmed");
    expect(sent).toEqual([sent[0], sent[0]]);
    expect(replayed).toBe("true");
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });

  // Final refusals: nothing was placed under the key, and sending the order again is a new order.
  const refusals: { why: string; name: string; refuse: (route: Route) => Promise<void>; told: string }[] = [
    {
      why: "a refusal of the order itself (400)",
      name: "Refused tamper",
      // As a server deployed with a stricter rule than the page knows answers: refused
      // before the key was claimed.
      refuse: (route) =>
        fulfillWithProblem(route, "invalid-request", "The request body has invalid fields.", {
          extensions: { errors: [{ detail: "Order at most 1 at a time.", pointer: "#/quantity" }] },
        }),
      told: "Order at most 1 at a time.",
    },
    {
      why: "a key the shop says was used for a different order (422)",
      name: "Reused-key tray",
      // As for a draft edited by hand (storage is the customer's) to another order under its key.
      refuse: (route) =>
        fulfillWithProblem(route, "idempotency-key-reused", "This Idempotency-Key already placed a different order."),
      told: "This order was sent before with different details.",
    },
  ];
  for (const { why, name, refuse, told } of refusals) {
    test(`${why}: the form says why and drops the draft, so the next submit has a new key`, async ({ page, shop }) => {
      const product = await shop.createProduct({ name, stock: 5 });
      const form = shopPage(page);
      const sent: string[] = [];
      await page.route("**/api/orders", async (route) => {
        if (route.request().method() !== "POST") return route.fallback();
        sent.push(route.request().headers()["idempotency-key"] ?? "");
        if (sent.length === 1) return refuse(route);
        await route.continue();
      });

      await page.goto(`/?product=${product.id}`);
      await form.quantity.selectOption("2");
      await form.submit.click();

      await expect(form.status).toContainText("Order not placed");
      await expect(form.status).toContainText(told);
      // Not a Retry: that order was answered, and sending it again is a new order.
      await expect(form.submit).toHaveText("Place order");

      await form.submit.click();
      await expect(form.status).toContainText("Order confirmed");
      expect(sent).toHaveLength(2);
      expect(sent[1]).not.toBe(sent[0]);
      expect(await shop.ordersFor(product.id)).toHaveLength(1);
    });
  }

  test("a reload while the order is pending, then submit again: one order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Reload scale", stock: 5 });
    const form = shopPage(page);
    const sent: string[] = [];
    let processed!: () => void;
    const serverDone = new Promise<void>((resolve) => (processed = resolve));
    let reloaded!: () => void;
    const afterReload = new Promise<void>((resolve) => (reloaded = resolve));
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sent.push(route.request().headers()["idempotency-key"] ?? "");
      if (sent.length > 1) return route.continue();
      await route.fetch(); // the server places the order...
      processed();
      await afterReload; // ...and the page is reloaded before it hears of it
      await route.abort().catch(() => {}); // that page is gone
    });

    await page.goto(`/?product=${product.id}`);
    await form.quantity.selectOption("3");
    await form.submit.click();
    await expect(form.submit).toBeDisabled();
    await serverDone;
    await page.reload();
    reloaded();

    // The draft came back with the page: same product, same quantity, same key, and
    // the form says that it was not confirmed.
    await expect(form.retry).toBeEnabled();
    await expect(form.quantity).toHaveValue("3");
    await expect(form.status).toContainText(
      "Your order of 3 × Reload scale was sent, but the shop has not confirmed it.",
    );
    await form.retry.click();
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).toContainText("3 × Reload scale");
    expect(sent).toHaveLength(2);
    expect(sent[1]).toBe(sent[0]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });
});
