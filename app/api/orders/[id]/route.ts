import { customerIdOf } from "@/lib/customer";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { toOrderJson } from "@/lib/orders/order-json";
import { answeringFailuresAsProblems, otherMethods, problemResponse } from "@/lib/problem";
import { isUuid } from "@/lib/uuid";

/** One order, for its owner only: anyone else gets the same 404 as for a missing order. */
export const GET = answeringFailuresAsProblems(
  async (request: Request, { params }: RouteContext<"/api/orders/[id]">) => {
    const { id } = await params;
    const customerId = customerIdOf(request);
    // Order ids are UUIDs. Anything else is no order, and is not sent to the database:
    // PostgreSQL fails on a text with a NUL in it, where the answer is simply 404.
    const order = isUuid(id)
      ? await runInTransaction(db, (tx) => tx.order.findFirst({ where: { id, customerId } }))
      : null;
    if (!order) return problemResponse("order-not-found", `There is no order "${id}" for you.`);
    return Response.json({ order: toOrderJson(order) });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "HEAD");
