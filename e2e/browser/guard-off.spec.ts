import type { Response } from "@playwright/test";
import { expect, test } from "@/e2e/support/fixtures";
import { holdOrderPosts, shopPage } from "@/e2e/support/shop-page";

test.describe("with the client guard off", () => {
  test("a double click sends two requests and the server still places one order", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Unguarded jug", stock: 5 });
    const posts = await holdOrderPosts(page);
    const form = shopPage(page);
    const placedAnswers: Response[] = [];
    page.on("response", (response) => {
      if (response.request().method() === "POST" && response.status() === 201) placedAnswers.push(response);
    });

    await page.goto(`/?product=${product.id}&guard=off`);
    await expect(page.getByText("Client guard off.")).toBeVisible(); // the demo says what it is
    await expect(form.submit).toBeEnabled();
    await form.submit.dblclick();
    await expect.poll(() => posts.requests.length).toBe(2); // the browser let both through
    posts.release();

    await expect(form.status).toContainText("Order confirmed");
    // Each click ends with the order: one placed it, the other has it replayed (at once,
    // or after it was told to wait while the first held the key). Counted only once both
    // have, so that a second order made on the way would be seen.
    await expect.poll(() => placedAnswers.length).toBe(2);
    expect(placedAnswers.map((answer) => answer.headers()["idempotent-replayed"]).sort()).toEqual(["true", undefined]);
    const keys = posts.keys();
    expect(keys.every((key) => key === keys[0])).toBe(true);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
    expect(await shop.stockOf(product.id)).toBe(4);
  });

  test("a second click after the answer sends the same key, and the server replays the order", async ({
    page,
    shop,
  }) => {
    const product = await shop.createProduct({ name: "Unguarded carafe", stock: 5 });
    const posts = await holdOrderPosts(page);
    posts.release();
    const form = shopPage(page);
    await page.goto(`/?product=${product.id}&guard=off`);

    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    await expect(form.status).not.toContainText("Idempotent-Replayed");
    await expect(form.submit).toHaveText("Send it again (same key)"); // what a click on it does
    const orderNumber = await form.status.getByText("Order number").textContent();
    const replay = page.waitForResponse((response) => response.request().method() === "POST");
    await form.submit.click(); // still enabled: nothing in the browser stops it
    expect((await replay).headers()["idempotent-replayed"]).toBe("true");

    await expect(form.status.getByText("Order number")).toHaveText(orderNumber ?? "");
    // The demo says what happened; the guarded shop shows a replay as the first answer.
    await expect(form.status).toContainText(
      "The last click sent this order again: the shop recognised its key and answered with the order it had already placed (Idempotent-Replayed).",
    );
    await form.submit.click(); // and again: counted, or the click would seem to do nothing
    await expect(form.status).toContainText("This order was sent again 2 times: the shop recognised its key");
    const keys = posts.keys();
    expect(keys).toEqual([keys[0], keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);

    // Another order, placed afresh: nothing of the replays is said of it.
    await form.another.click();
    await form.submit.click();
    await expect(form.status.getByText("Order number")).not.toHaveText(orderNumber ?? "");
    await expect(form.status).not.toContainText("sent this order again");
    await expect(form.status).not.toContainText("sent again");
  });

  test("a click after the answer whose own answer is lost offers Retry, with the same key", async ({ page, shop }) => {
    const product = await shop.createProduct({ name: "Unguarded pitcher", stock: 5 });
    const form = shopPage(page);
    const keys: string[] = [];
    await page.route("**/api/orders", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      keys.push(route.request().headers()["idempotency-key"] ?? "");
      if (keys.length === 2) return route.abort("connectionreset"); // the resend's answer is lost
      await route.continue();
    });
    await page.goto(`/?product=${product.id}&guard=off`);

    await form.submit.click();
    await expect(form.status).toContainText("Order confirmed");
    await form.submit.click();
    await expect(form.status).toContainText("Order not confirmed");
    await expect(form.submit).toHaveText("Retry"); // as the message says
    await page.reload(); // the key is kept for the reload too
    await form.retry.click();

    await expect(form.status).toContainText("Order confirmed");
    expect(keys).toEqual([keys[0], keys[0], keys[0]]);
    expect(await shop.ordersFor(product.id)).toHaveLength(1);
  });
});
