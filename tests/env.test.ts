import { expect, test } from "@playwright/test";
import { readEnv } from "@/lib/env";

test("the defaults need no environment at all", () => {
  expect(readEnv({})).toMatchObject({
    DATABASE_URL: "file:./prisma/dev.db",
    IDEMPOTENCY_KEY_TTL_SECONDS: 24 * 60 * 60,
    IDEMPOTENCY_LEASE_SECONDS: 30,
  });
});

test("an empty variable counts as unset", () => {
  expect(readEnv({ DATABASE_URL: " ", IDEMPOTENCY_LEASE_SECONDS: "" })).toMatchObject({
    DATABASE_URL: "file:./prisma/dev.db",
    IDEMPOTENCY_LEASE_SECONDS: 30,
  });
});

test("a value that is not a setting's is refused at start, by the variable's name", () => {
  expect(() => readEnv({ DATABASE_POOL_MAX: "many" })).toThrow(/DATABASE_POOL_MAX/);
  expect(() => readEnv({ IDEMPOTENCY_LEASE_SECONDS: "-1" })).toThrow(/IDEMPOTENCY_LEASE_SECONDS/);
});

// Records would expire, and be free for the taking, while their requests still hold them.
test("a time-to-live no longer than the lease is refused, by the variables' names", () => {
  expect(() => readEnv({ IDEMPOTENCY_KEY_TTL_SECONDS: "30", IDEMPOTENCY_LEASE_SECONDS: "30" })).toThrow(
    "IDEMPOTENCY_KEY_TTL_SECONDS must be longer than IDEMPOTENCY_LEASE_SECONDS",
  );
  expect(readEnv({ IDEMPOTENCY_KEY_TTL_SECONDS: "31", IDEMPOTENCY_LEASE_SECONDS: "30" })).toMatchObject({
    IDEMPOTENCY_KEY_TTL_SECONDS: 31,
  });
});
