// Demo products. Safe to run again: existing products keep their stock.
import "@/lib/load-env-files";
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { addDemoProducts, demoProducts } from "@/prisma/demo-products";

const db = createDatabaseClient(readEnv().DATABASE_URL);
try {
  const added = await runInTransaction(db, addDemoProducts);
  const kept = demoProducts.length - added;
  console.log(`Demo products: ${added} added, ${kept} already there and kept as they were`);
} finally {
  await db.$disconnect();
}
