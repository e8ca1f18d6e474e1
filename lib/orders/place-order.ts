// Placing an order: take the stock, write the order, all in the caller's transaction.
//
// This module knows nothing about HTTP or idempotency keys. It is given an
// `orderKey`, a name for the customer's intent, and the database refuses a second
// order with the same key (a unique constraint). So even if the idempotency record
// expired or was never written, a repeated intent gets the existing order back
// instead of a second one.
import type { Transaction } from "@/lib/database/client";
import { takeStock } from "@/lib/orders/stock";
import type { Order } from "@/prisma/generated/sqlite/client";

export type PlaceOrderInput = {
  customerId: string;
  orderKey: string;
  productId: string;
  quantity: number;
};

export type PlaceOrderResult =
  | { kind: "placed"; order: Order }
  | { kind: "already-placed"; order: Order }
  | { kind: "product-not-found" }
  | { kind: "out-of-stock"; available: number };

export async function placeOrder(tx: Transaction, input: PlaceOrderInput): Promise<PlaceOrderResult> {
  const existing = await tx.order.findUnique({ where: { orderKey: input.orderKey } });
  if (existing) return { kind: "already-placed", order: existing };

  const stock = await takeStock(tx, input.productId, input.quantity);
  if (stock.kind !== "taken") return stock;

  // If a concurrent transaction wrote this orderKey first, this insert fails on the
  // unique constraint and the whole transaction, stock included, rolls back.
  const order = await tx.order.create({
    data: {
      orderKey: input.orderKey,
      customerId: input.customerId,
      productId: input.productId,
      quantity: input.quantity,
      totalCents: stock.priceCents * input.quantity,
      status: "confirmed",
    },
  });
  return { kind: "placed", order };
}

/** The business key of an order: one customer's one intent (their idempotency key). */
export function orderKeyFor(customerId: string, idempotencyKey: string) {
  return `${customerId}:${idempotencyKey}`;
}
