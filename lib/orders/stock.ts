// Taking stock with an optimistic lock.
//
// Reading a product and then writing what we decided from that read (the new stock,
// the price we charge) is only safe if nobody changed the row in between. The
// `version` column tells: the update matches only the version we read, and bumps it.
// If someone else got there first, nothing is written; we read again and retry, a
// bounded number of times, with jittered backoff so that the losers do not collide
// again in lockstep. Each lost round means another write to the product committed
// meanwhile (a sale, mostly; a restock or a new price), so the rounds are bounded by
// those writes as well.
//
// `stock >= quantity` in the same update, and a CHECK constraint in the database,
// make sure stock never goes below zero whatever a caller does.
import { jitteredBackoffMs, sleep } from "@/lib/backoff";
import type { Transaction } from "@/lib/database/client";
import type { Product } from "@/prisma/generated/sqlite/client";

export type TakenStock =
  | {
      kind: "taken";
      /** The price at the version whose stock was taken: the one to charge. */
      priceCents: number;
    }
  | { kind: "product-not-found" }
  | { kind: "out-of-stock"; available: number };

/** The product was changed by others on every attempt: the caller may try again later. */
export class StockContentionError extends Error {
  constructor(
    readonly productId: string,
    readonly attempts: number,
  ) {
    super(`Product ${productId} changed under us ${attempts} times in a row`);
  }
}

const maxStockAttempts = 10;

/** Takes `quantity` from the product's stock for good: the order is placed in the same transaction. */
export async function takeStock(
  tx: Transaction,
  productId: string,
  quantity: number,
  { maxAttempts = maxStockAttempts, random = Math.random } = {},
): Promise<TakenStock> {
  for (let attempt = 1; ; attempt++) {
    const product = await tx.product.findUnique({ where: { id: productId } });
    if (!product) return { kind: "product-not-found" };
    if (product.stock < quantity) return { kind: "out-of-stock", available: product.stock };
    if (await decrementStockWithVersion(tx, product, quantity))
      return { kind: "taken", priceCents: product.priceCents };
    if (attempt >= maxAttempts) throw new StockContentionError(productId, attempt);
    await sleep(jitteredBackoffMs(attempt, { baseMs: 5, capMs: 100 }, random));
  }
}

/** Takes `quantity` from the stock if the row is still at `version`. True if it did. */
export async function decrementStockWithVersion(
  tx: Transaction,
  product: Pick<Product, "id" | "version">,
  quantity: number,
): Promise<boolean> {
  const { count } = await tx.product.updateMany({
    where: { id: product.id, version: product.version, stock: { gte: quantity } },
    data: { stock: { decrement: quantity }, version: { increment: 1 } },
  });
  return count === 1;
}
