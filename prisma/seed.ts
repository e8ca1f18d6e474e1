// Demo products. Safe to run again: existing products keep their stock.
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { demoProducts } from "@/prisma/demo-products";

const db = createDatabaseClient(readEnv().DATABASE_URL);
try {
  await runInTransaction(db, async (tx) => {
    for (const product of demoProducts) {
      await tx.product.upsert({ where: { id: product.id }, create: product, update: {} });
    }
  });
  console.log(`Seeded ${demoProducts.length} demo products`);
} finally {
  await db.$disconnect();
}
