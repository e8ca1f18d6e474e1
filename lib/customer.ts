// The customer is anonymous: a random id in an httpOnly cookie, issued by proxy.ts
// to any request that comes without one. Idempotency keys and orders belong to it.

import { isUuid } from "@/lib/uuid";

export const customerCookie = "customer_id";

export const isCustomerId = isUuid;

export const customerCookieOptions = {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  maxAge: 60 * 60 * 24 * 365,
} as const;

/** Reads the customer id from a request that went through proxy.ts. */
export function customerIdOf(request: Request): string {
  return customerIdIn(readCookie(request.headers.get("cookie"), customerCookie));
}

/** The customer id in the cookie's value (a page reads it with Next's `cookies()`), which proxy.ts made sure of. */
export function customerIdIn(cookieValue: string | undefined): string {
  if (!isCustomerId(cookieValue)) throw new Error("No customer id on the request: is proxy.ts running for this path?");
  return cookieValue;
}

/**
 * Reads a cookie as Next's parser does for proxy.ts's `request.cookies`, so that both
 * agree on who the customer is: values are URL-decoded, and of two cookies with one
 * name (set for different paths, say) the last one counts. It takes a plain Request,
 * as the idempotency library's `scope` does, and so works outside Next too (the tests).
 */
function readCookie(header: string | null, name: string): string | undefined {
  let found: string | undefined;
  for (const pair of header?.split(/; */) ?? []) {
    const split = pair.indexOf("=");
    if (split === -1 || pair.slice(0, split) !== name) continue;
    try {
      found = decodeURIComponent(pair.slice(split + 1));
    } catch {
      // Not decodable: Next skips it as well.
    }
  }
  return found;
}
