// The customer is anonymous: a random id in an httpOnly cookie, issued by proxy.ts
// to any request that comes without one. Idempotency keys and orders belong to it.

export const customerCookie = "customer_id";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isCustomerId(value: string | undefined): value is string {
  return value !== undefined && uuid.test(value);
}

export const customerCookieOptions = {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: 60 * 60 * 24 * 365,
} as const;

/** Reads the customer id from a request that went through proxy.ts. */
export function customerIdOf(request: Request): string {
  const id = readCookie(request.headers.get("cookie"), customerCookie);
  if (!isCustomerId(id)) throw new Error("No customer id on the request: is proxy.ts running for this path?");
  return id;
}

function readCookie(header: string | null, name: string): string | undefined {
  for (const pair of header?.split(";") ?? []) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
