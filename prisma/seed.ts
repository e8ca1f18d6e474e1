// Demo products. Safe to run again: existing products keep their stock.
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";

export const demoProducts = [
  { id: "espresso-beans", name: "Espresso beans, 1 kg", priceCents: 1850, stock: 40 },
  { id: "pour-over-kettle", name: "Pour-over kettle", priceCents: 3900, stock: 12 },
  { id: "ceramic-dripper", name: "Ceramic dripper", priceCents: 2400, stock: 5 },
  { id: "paper-filters", name: "Paper filters, 100 pack", priceCents: 450, stock: 100 },
];

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
