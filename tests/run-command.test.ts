// The README's run command, `npm run dev`, on a copy of the project as a fresh clone
// has it after `npm install`: no database yet, nothing configured. It must make the
// SQLite file, migrate and seed it, and serve the shop, whose orders are idempotent.
// (The copy has its own `.next`, so a developer's own `npm run dev` can keep running.)
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { expect, request, test } from "@playwright/test";
import { demoProducts } from "@/prisma/demo-products";
import { freePort, stopProcessGroup } from "@/tests/support/processes";

const run = promisify(execFile);

// Stopped and removed after the test, even one that timed out (its own finally would
// not run then, and `next dev` would outlive it).
let app: ChildProcess | undefined;
let dir: string | undefined;
test.afterEach(async () => {
  // npm, next dev and its workers share a process group; the workers may still be
  // writing their files as they stop.
  if (app) await stopProcessGroup(app, { graceMs: 10_000 });
  if (dir) await fs.rm(dir, { recursive: true, force: true });
  app = dir = undefined;
});

test("npm run dev on a fresh copy: a new SQLite database with the demo products, and an order placed once", async () => {
  test.setTimeout(180_000); // the first request compiles the page
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "orders-fresh-"));
  await copyProject(dir);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: "1" };
  delete env.DATABASE_URL; // the embedded default
  const started = spawn("npm", ["run", "dev"], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  app = started;
  await readyOf(started);

  const shop = await request.newContext({ baseURL: `http://127.0.0.1:${port}` });
  try {
    const page = await shop.get("/");
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain("Ceramic dripper");

    const stockOf = async (id: string) => {
      const { products } = (await (await shop.get("/api/products")).json()) as {
        products: { id: string; stock: number }[];
      };
      expect(products).toHaveLength(demoProducts.length);
      return products.find((product) => product.id === id)?.stock;
    };
    expect(await stockOf("ceramic-dripper")).toBe(5);

    const order = () =>
      shop.post("/api/orders", {
        headers: { "Idempotency-Key": "fresh-copy-order-1" },
        data: { productId: "ceramic-dripper", quantity: 2 },
      });
    const first = await order();
    expect(first.status()).toBe(201);
    const again = await order();
    expect(again.status()).toBe(201);
    expect(again.headers()["idempotent-replayed"]).toBe("true");
    expect(await again.text()).toBe(await first.text());
    expect(await stockOf("ceramic-dripper")).toBe(3);
  } finally {
    await shop.dispose();
  }
  await fs.access(path.join(dir, "prisma", "dev.db")); // where the README says it is
});

/**
 * The project's files, as a clone has them, and what `npm install` adds: the packages
 * and the generated Prisma clients. The packages must be inside the copy (Next's
 * bundler does not follow a link out of the project): hard links are made in a
 * moment, and where the temporary folder is on another file system, they are copied.
 */
async function copyProject(dir: string) {
  // Files not yet committed too (but not ignored ones): a test run before a commit
  // sees the change it tests. A clone would lack a file never added; CI, on a clone,
  // catches that.
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
  for (const file of stdout.split("\0").filter(Boolean)) {
    await fs.cp(file, path.join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error; // deleted, not yet committed
    });
  }
  const packages = path.join(dir, "node_modules");
  await run("cp", ["-al", "node_modules", packages]).catch(async () => {
    await fs.rm(packages, { recursive: true, force: true });
    await run("cp", ["-a", "node_modules", packages]);
  });
  await fs.cp(path.join("prisma", "generated"), path.join(dir, "prisma", "generated"), { recursive: true });
}

/** Resolves when Next says it is ready; fails, with what it printed, if it stops first. */
function readyOf(app: ChildProcess) {
  return new Promise<void>((resolve, reject) => {
    let output = "";
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready in/.test(output)) resolve();
    };
    app.stdout?.on("data", read);
    app.stderr?.on("data", read);
    app.on("exit", (code) => reject(new Error(`npm run dev stopped (${code}):\n${output}`)));
  });
}
