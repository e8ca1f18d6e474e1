import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import { customerIdOf } from "@/lib/customer";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { listOrdersOf } from "@/lib/orders/list-orders";
import { toOrderJson } from "@/lib/orders/order-json";
import { answeringFailuresAsProblems, otherMethods } from "@/lib/problem";

/** Places an order; see place-order-route.ts. */
export const POST = createPlaceOrderRoute(db);

/** The calling customer's orders, newest first. */
export const GET = answeringFailuresAsProblems(async (request: Request) => {
  const customerId = customerIdOf(request);
  const orders = await runInTransaction(db, (tx) => listOrdersOf(tx, customerId));
  return Response.json({ orders: orders.map(toOrderJson) });
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "HEAD", "POST");
