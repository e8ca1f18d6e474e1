// The server's settings, read from the environment and validated once, here.
import { z } from "zod";

// An empty variable counts as unset: an empty DATABASE_URL would otherwise open a
// temporary, empty SQLite database without a word.
export const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema);

const seconds = z.coerce.number().positive();

const envSchema = z
  .object({
    /** `file:` for SQLite (the default), `postgres://` or `postgresql://` for PostgreSQL. */
    DATABASE_URL: optional(z.string().default("file:./prisma/dev.db")),
    /** How long a stored idempotent response is replayed. */
    IDEMPOTENCY_KEY_TTL_SECONDS: optional(seconds.default(24 * 60 * 60)),
    /** How long a request may hold a key before a retry may take it over. */
    IDEMPOTENCY_LEASE_SECONDS: optional(seconds.default(30)),
    /** The longest a request waits to start a transaction, and the longest one may run. */
    DATABASE_TRANSACTION_MAX_WAIT_MS: optional(z.coerce.number().int().positive().default(10_000)),
    DATABASE_TRANSACTION_TIMEOUT_MS: optional(z.coerce.number().int().positive().default(10_000)),
    /** PostgreSQL only: connections per app instance. */
    DATABASE_POOL_MAX: optional(z.coerce.number().int().positive().default(5)),
    /** PostgreSQL only: the longest one statement may run. */
    DATABASE_STATEMENT_TIMEOUT_MS: optional(z.coerce.number().int().positive().default(5_000)),
    /** SQLite only: the longest a transaction waits for another process's writer. */
    DATABASE_SQLITE_BUSY_TIMEOUT_MS: optional(z.coerce.number().int().nonnegative().default(10_000)),
  })
  // An expired record is free for the taking; its lease must have run out by then.
  // withIdempotency checks the values it is given as well; this check names the variables.
  .refine((env) => env.IDEMPOTENCY_KEY_TTL_SECONDS > env.IDEMPOTENCY_LEASE_SECONDS, {
    message: "IDEMPOTENCY_KEY_TTL_SECONDS must be longer than IDEMPOTENCY_LEASE_SECONDS",
  });

export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment:\n${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
