// The shop page as a customer sees it, and a way to hold its order requests.
import fs from "node:fs/promises";
import path from "node:path";
import { test, type Page, type Request, type Route } from "@playwright/test";
import { problemResponse } from "@/lib/problem";

/** The button while an order is pending: after five seconds without an answer, it says it is still at it. */
export const pendingLabel = /^(Placing order|Still placing your order)…$/;

export function shopPage(page: Page) {
  return {
    form: page.getByRole("form", { name: "Place an order" }),
    product: page.getByRole("combobox", { name: "Product", exact: true }),
    quantity: page.getByRole("combobox", { name: "Quantity", exact: true }),
    submit: page.getByRole("button", {
      name: /^(place order|placing order…|still placing your order…|order placed|send it again \(same key\)|retry)$/i,
    }),
    retry: page.getByRole("button", { name: "Retry" }),
    /** Shown with a confirmation: the way to order the same again, as a new order. */
    another: page.getByRole("button", { name: "Place another order" }),
    status: page.getByRole("status"),
    /** The "In stock" cell of a product's row in the products table. */
    stockOf: (productName: string) =>
      page
        .getByRole("row")
        .filter({ has: page.getByRole("rowheader", { name: productName, exact: true }) })
        .getByRole("cell")
        .nth(1),
  };
}

/**
 * Intercepts POST /api/orders. Each request waits at the gate until the test calls
 * release(), then goes on to the real server (or to `forward`, if given).
 */
export async function holdOrderPosts(page: Page, forward?: (route: Route) => Promise<void>) {
  const requests: Request[] = [];
  let open = false;
  const waiting: (() => void)[] = [];
  await page.route("**/api/orders", async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    requests.push(route.request());
    if (!open) await new Promise<void>((resolve) => waiting.push(resolve));
    await (forward ? forward(route) : route.continue());
  });
  return {
    requests,
    keys: () => requests.map((request) => request.headers()["idempotency-key"]),
    /** Lets every held request through, and every later one at once. */
    release() {
      open = true;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

/** Answers an intercepted request as the app refuses one: the problem lib/problem.ts would send. */
export async function fulfillWithProblem(route: Route, ...problem: Parameters<typeof problemResponse>) {
  const response = problemResponse(...problem);
  await route.fulfill({
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: await response.text(),
  });
}

/** Saves a screenshot where CI keeps artifacts (test-results/screenshots), and in the test's report. */
export async function saveScreenshot(page: Page, name: string) {
  const file = path.join("test-results", "screenshots", `${name}.png`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: "image/png" });
}
