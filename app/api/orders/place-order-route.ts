// POST /api/orders: places an order, safely retryable with an Idempotency-Key.
//
// The route is thin on purpose. The idempotency wrapper (lib/idempotency) decides
// whether this request may do any work at all and stores what it answers; the order
// service (lib/orders) does the work inside the wrapper's transaction; this file
// only translates between HTTP and the service. It takes the database as an
// argument so that tests can run the very same route against their own database
// and clock (tests/idempotency.test.ts); route.ts wires it to the app's database.
import { customerIdOf } from "@/lib/customer";
import type { Database } from "@/lib/database/client";
import { isUniqueViolation } from "@/lib/database/errors";
import { keyInUse, unstored, withIdempotency, type IdempotencyOptions } from "@/lib/idempotency/with-idempotency";
import { toOrderJson } from "@/lib/orders/order-json";
import { orderKeyFor, placeOrder } from "@/lib/orders/place-order";
import { placeOrderBody, type PlaceOrderBody } from "@/lib/orders/schemas";
import { StockContentionError } from "@/lib/orders/stock";
import { problemResponse } from "@/lib/problem";
import type { Order } from "@/prisma/generated/sqlite/client";

export function createPlaceOrderRoute(
  db: Database,
  options: Pick<IdempotencyOptions<PlaceOrderBody>, "now" | "leaseSeconds" | "ttlSeconds"> = {},
) {
  return withIdempotency<PlaceOrderBody>(
    async ({ body, scope: customerId, key, tx }) => {
      const result = await placeOrder(tx, {
        customerId,
        orderKey: orderKeyFor(customerId, key),
        productId: body.productId,
        quantity: body.quantity,
      });
      switch (result.kind) {
        case "placed":
          return orderCreated(result.order);
        case "already-placed":
          // The idempotency record of this intent expired (or was never written), but
          // the order exists: answer as the first request was answered.
          if (result.order.productId !== body.productId || result.order.quantity !== body.quantity) {
            // Not stored under this key, or it would answer the retries of the order
            // that the key did place.
            return unstored(
              problemResponse(
                "idempotency-key-reused",
                "This Idempotency-Key already placed a different order. Make a new key for a new order.",
              ),
            );
          }
          return orderCreated(result.order);
        case "product-not-found":
          return problemResponse("product-not-found", `There is no product with id "${body.productId}".`);
        case "out-of-stock":
          // A business outcome, not a failure: stored and replayed like a success.
          return problemResponse(
            "out-of-stock",
            result.available === 0
              ? "This product is sold out."
              : `Only ${result.available} left in stock; ${body.quantity} requested.`,
            {
              extensions: { available: result.available },
            },
          );
      }
    },
    {
      db,
      bodySchema: placeOrderBody,
      scope: customerIdOf,
      // Answers that must not be stored: the claim is released and a retry runs afresh.
      onError(error) {
        if (error instanceof StockContentionError) {
          return problemResponse("stock-contention", "Many orders for this product arrived at once. Please retry.", {
            headers: { "Retry-After": "1" },
          });
        }
        // Another request with this key placed this very order a moment ago; a retry gets it back.
        if (isUniqueViolation(error, "orderKey")) return keyInUse();
        return undefined;
      },
      ...options,
    },
  );
}

function orderCreated(order: Order) {
  return Response.json(
    { order: toOrderJson(order) },
    { status: 201, headers: { Location: `/api/orders/${order.id}` } },
  );
}
