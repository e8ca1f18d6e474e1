import type { Transaction } from "@/lib/database/client";

/**
 * A customer's orders, newest first (by id among orders of the same moment, so the
 * list is stable), each with its product's name, as the API and the orders page show them.
 */
export function listOrdersOf(tx: Transaction, customerId: string) {
  return tx.order.findMany({
    where: { customerId },
    include: { product: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}
