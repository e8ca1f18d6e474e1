import type { Order } from "@/prisma/generated/sqlite/client";

/** An order as the API shows it. The field order is fixed, so equal orders give equal bytes. */
export function toOrderJson(order: Order) {
  return {
    id: order.id,
    productId: order.productId,
    quantity: order.quantity,
    totalCents: order.totalCents,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
  };
}

export type OrderJson = ReturnType<typeof toOrderJson>;
