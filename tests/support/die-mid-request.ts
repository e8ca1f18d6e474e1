// A process that dies in the middle of placing an order: it claims the key, takes
// the stock and inserts the order, and is killed (SIGKILL, no cleanup of any kind)
// just before it stores the response. Used by tests/idempotency.test.ts.
//
//   node --import tsx tests/support/die-mid-request.ts <DATABASE_URL> <customerId> <key> <body> <leaseSeconds>
import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import { createDatabaseClient, type Database } from "@/lib/database/client";
import { orderRequest } from "@/tests/support/database";

const [databaseUrl = "", customerId = "", key = "", body = "{}", leaseSeconds = "30"] = process.argv.slice(2);

const db = createDatabaseClient(databaseUrl).$extends({
  query: {
    idempotencyRecord: {
      async updateMany({ args, query }) {
        if (args.data.state === "completed") process.kill(process.pid, "SIGKILL");
        return query(args);
      },
    },
  },
});

const placeOrderRoute = createPlaceOrderRoute(db as unknown as Database, { leaseSeconds: Number(leaseSeconds) });
await placeOrderRoute(orderRequest(customerId, key, JSON.parse(body)));
console.error("die-mid-request: the process was meant to die before this line");
process.exit(1);
