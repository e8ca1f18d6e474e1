// Demo products. Safe to run again: existing products keep their stock.
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { demoProducts } from "@/prisma/demo-products";

const db = createDatabaseClient(readEnv().DATABASE_URL);
try {
  const added = await runInTransaction(db, async (tx) => {
    const present = await tx.product.count({ where: { id: { in: demoProducts.map((product) => product.id) } } });
    // An upsert that updates nothing: safe when two instances seed one database at once.
    for (const product of demoProducts) {
      await tx.product.upsert({ where: { id: product.id }, create: product, update: {} });
    }
    return demoProducts.length - present;
  });
  const kept = demoProducts.length - added;
  console.log(`Demo products: ${added} added, ${kept} already there and kept as they were`);
} finally {
  await db.$disconnect();
}
