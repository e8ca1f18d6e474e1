import { z } from "zod";
import type { Transaction } from "@/lib/database/client";

/** The shop's products with their current stock, as the API and the shop page show them. */
export function listProducts(tx: Transaction) {
  return tx.product.findMany({
    select: { id: true, name: true, priceCents: true, stock: true, version: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export type ProductView = Awaited<ReturnType<typeof listProducts>>[number];

/** The body of GET /api/products, as the shop page reads it back when it refreshes the stock. */
export const productListJson = z.object({
  products: z.array(
    z.object({ id: z.string(), name: z.string(), priceCents: z.number(), stock: z.number(), version: z.number() }),
  ),
});
