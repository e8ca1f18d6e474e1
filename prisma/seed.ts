// Demo products. Safe to run again: existing products keep their stock.
import { createDatabaseClient } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { demoProducts } from "@/prisma/demo-products";

const db = createDatabaseClient(readEnv().DATABASE_URL);
try {
  const added = await runInTransaction(db, async (tx) => {
    const present = await tx.product.findMany({
      where: { id: { in: demoProducts.map((product) => product.id) } },
      select: { id: true },
    });
    const missing = demoProducts.filter((product) => !present.some(({ id }) => id === product.id));
    for (const product of missing) await tx.product.create({ data: product });
    return missing.length;
  });
  const kept = demoProducts.length - added;
  console.log(
    kept === 0
      ? `Added ${added} demo products`
      : `Added ${added} demo products; ${kept} were there already and keep their stock`,
  );
} finally {
  await db.$disconnect();
}
