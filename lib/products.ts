import type { Transaction } from "@/lib/database/client";

/** The shop's products with their current stock, as the API and the shop page show them. */
export function listProducts(tx: Transaction) {
  return tx.product.findMany({
    select: { id: true, name: true, priceCents: true, stock: true, version: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
}

export type ProductView = Awaited<ReturnType<typeof listProducts>>[number];
