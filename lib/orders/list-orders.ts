import type { Transaction } from "@/lib/database/client";

/**
 * A customer's orders, newest first (by id among orders of the same moment, so the
 * list is stable), as GET /api/orders and the orders page list them. Each comes with
 * its product's name, for the page; the API's order JSON (toOrderJson) leaves it out.
 */
export function listOrdersOf(tx: Transaction, customerId: string) {
  return tx.order.findMany({
    where: { customerId },
    include: { product: { select: { name: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
}
