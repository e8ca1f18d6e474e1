// Measures the order API of a running app and prints figures. Timings belong here,
// not in tests: they vary with the machine, and a test should fail for a reason.
//
//   npm run build && npm start                # in one terminal (or several instances)
//   npm run benchmark                         # in another
//
// BENCHMARK_URLS: the app instances to spread requests over (comma-separated,
//                 default http://127.0.0.1:3000). DATABASE_URL: the app's database,
//                 where a benchmark product is created and afterwards removed.
// BENCHMARK_REQUESTS: requests per scenario (default 200). Bad values stop it, saying why.
import "@/lib/load-env-files";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { createDatabaseClient } from "@/lib/database/client";
import { optional, readEnv } from "@/lib/env";

const settingsSchema = z.object({
  BENCHMARK_URLS: optional(
    z
      .string()
      .default("http://127.0.0.1:3000")
      .transform((urls) => urls.split(",").map((url) => url.trim()))
      .pipe(z.array(z.url({ protocol: /^https?$/, error: "each URL must be http:// or https://" }))),
  ),
  BENCHMARK_REQUESTS: optional(z.coerce.number().int().positive().default(200)),
});

const settings = settingsSchema.safeParse(process.env);
if (!settings.success) {
  console.error(`Invalid benchmark settings:\n${z.prettifyError(settings.error)}`);
  process.exit(1);
}
const { BENCHMARK_URLS: instances, BENCHMARK_REQUESTS: requests } = settings.data;
const db = createDatabaseClient(readEnv().DATABASE_URL);

type Result = { status: number; type?: string; ms: number };

async function customerCookie(instance: string) {
  const response = await fetch(`${instance}/api/products`);
  const cookie = response.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error(`${instance} issued no customer cookie`);
  return cookie;
}

async function placeOrder(instance: string, cookie: string, key: string, productId: string): Promise<Result> {
  const started = performance.now();
  const response = await fetch(`${instance}/api/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": key, Cookie: cookie },
    body: JSON.stringify({ productId, quantity: 1 }),
  });
  const body = (await response.json()) as { type?: string };
  return { status: response.status, type: body.type?.split("/").at(-1), ms: performance.now() - started };
}

async function scenario(name: string, stock: number, keyFor: (i: number) => string) {
  const product = await db.product.create({
    data: { id: `benchmark-${randomUUID()}`, name: "Benchmark product", priceCents: 100, stock },
  });
  try {
    await expectListedEverywhere(product.id);
    // One customer for every request: its id is only a cookie, and every instance takes it.
    const cookie = await customerCookie(instances[0] ?? "");
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: requests }, (_, i) =>
        placeOrder(instances[i % instances.length] ?? "", cookie, keyFor(i), product.id),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const orders = await db.order.count({ where: { productId: product.id } });
    report(name, results, seconds, orders);
  } finally {
    await db.order.deleteMany({ where: { productId: product.id } });
    await db.product.delete({ where: { id: product.id } });
  }
}

/**
 * An app on another database than DATABASE_URL would refuse every order as "product
 * not found", and the figures would measure that: stop, and say so, instead.
 */
async function expectListedEverywhere(productId: string) {
  for (const instance of instances) {
    const { products } = (await (await fetch(`${instance}/api/products`)).json()) as { products: { id: string }[] };
    if (!products.some((product) => product.id === productId)) {
      throw new Error(
        `${instance} does not list the benchmark product: is it running on this DATABASE_URL (${withoutPassword(readEnv().DATABASE_URL)})?`,
      );
    }
  }
}

function withoutPassword(url: string) {
  const shown = new URL(url);
  if (shown.password) shown.password = "***";
  return shown.href;
}

function report(name: string, results: Result[], seconds: number, orders: number) {
  const latencies = results.map((result) => result.ms).sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  const outcomes = new Map<string, number>();
  for (const { status, type } of results) {
    const label = type ? `${status} ${type}` : String(status);
    outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
  }
  console.log(`\n${name}`);
  console.log(
    `  ${results.length} requests in ${seconds.toFixed(2)} s: ${(results.length / seconds).toFixed(0)} req/s`,
  );
  console.log(
    `  latency p50 ${percentile(0.5).toFixed(0)} ms, p95 ${percentile(0.95).toFixed(0)} ms, max ${percentile(1).toFixed(0)} ms`,
  );
  console.log(`  orders placed: ${orders}`);
  for (const [label, count] of [...outcomes].sort()) console.log(`  ${label}: ${count}`);
}

try {
  console.log(`${requests} concurrent requests per scenario, over ${instances.join(", ")}`);
  await scenario("Distinct keys, plenty of stock (throughput)", requests, () => randomUUID());
  const key = randomUUID();
  await scenario("One key for every request (a storm of retries)", requests, () => key);
  await scenario(`Distinct keys, stock for a quarter of them (contention)`, Math.floor(requests / 4), () =>
    randomUUID(),
  );
} finally {
  await db.$disconnect();
}
