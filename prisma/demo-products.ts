// The shop's demo products, added by prisma/seed.ts. One has little stock, to show
// what happens when it runs out.
import type { Transaction } from "@/lib/database/client";

export const demoProducts = [
  { id: "espresso-beans", name: "Espresso beans, 1 kg", priceCents: 1850, stock: 40 },
  { id: "pour-over-kettle", name: "Pour-over kettle", priceCents: 3900, stock: 12 },
  { id: "ceramic-dripper", name: "Ceramic dripper", priceCents: 2400, stock: 5 },
  { id: "paper-filters", name: "Paper filters, 100 pack", priceCents: 450, stock: 100 },
];

/**
 * Adds the demo products that are missing and leaves the others (and their stock)
 * alone; returns how many it added. One INSERT ... ON CONFLICT DO NOTHING per product,
 * so that two instances seeding one database at once cannot collide: Prisma's upsert
 * with an empty update reads first and inserts after, and the second insert fails.
 */
export async function addDemoProducts(tx: Transaction): Promise<number> {
  let added = 0;
  for (const { id, name, priceCents, stock } of demoProducts) {
    added += await tx.$executeRaw`
      INSERT INTO "Product" ("id", "name", "priceCents", "stock", "version")
      VALUES (${id}, ${name}, ${priceCents}, ${stock}, 0)
      ON CONFLICT ("id") DO NOTHING`;
  }
  return added;
}
