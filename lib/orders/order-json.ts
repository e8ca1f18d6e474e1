import { z } from "zod";
import type { Order } from "@/prisma/generated/sqlite/client";

/** An order as the API shows it (and as the order form keeps the one it placed). */
export const orderJson = z.object({
  id: z.string(),
  productId: z.string(),
  quantity: z.number(),
  totalCents: z.number(),
  status: z.string(),
  createdAt: z.string(),
});

export type OrderJson = z.infer<typeof orderJson>;

/** The field order is fixed, so equal orders give equal bytes. */
export function toOrderJson(order: Order): OrderJson {
  return {
    id: order.id,
    productId: order.productId,
    quantity: order.quantity,
    totalCents: order.totalCents,
    status: order.status,
    createdAt: order.createdAt.toISOString(),
  };
}
