// Gives every visitor an anonymous customer id, in an httpOnly, SameSite=Lax cookie,
// and renews it with every answer. A new id is added to the request as well, so the
// page or route handler that runs next sees it even on the visitor's very first
// request. And refuses API paths that cannot be decoded, before Next fails on them.
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { customerCookie, customerCookieOptions, isCustomerId } from "@/lib/customer";
import { notFoundAt } from "@/lib/problem";

export function proxy(request: NextRequest) {
  // A path whose percent-escapes do not decode (`/api/orders/%ZZ`) names nothing, but
  // Next would answer it with a plain-text 500 as it decodes the route's parameters.
  // The API answers it as it answers any other path it does not have.
  const { pathname } = request.nextUrl;
  if ((pathname === "/api" || pathname.startsWith("/api/")) && !decodes(pathname)) {
    return notFoundAt(pathname);
  }

  const known = request.cookies.get(customerCookie)?.value;
  const customerId = isCustomerId(known) ? known : randomUUID();
  if (customerId !== known) request.cookies.set(customerCookie, customerId);
  const response = NextResponse.next({ request: { headers: request.headers } });
  // Set again with every answer, so that its year runs from the customer's last visit,
  // not their first: an id that lapsed would take their orders list with it, and a
  // retry sent as it lapsed would be a new customer's, with a second order.
  if (!sentByAnotherSite(request)) {
    response.cookies.set(customerCookie, customerId, {
      ...customerCookieOptions,
      secure: request.nextUrl.protocol === "https:",
    });
  }
  return response;
}

/**
 * A POST (or other write) that another site's page had the browser send, a form say.
 * The browser left the customer's cookie out (SameSite=Lax), so the request looks like
 * a new customer's; but a cookie set in its answer would replace theirs, and take their
 * orders list, and their keys, with it. (Sec-Fetch-Site is the browser's to set: a page
 * cannot forge it. Another site's links, GETs, do carry the customer's cookie.)
 */
function sentByAnotherSite(request: NextRequest) {
  return request.headers.get("sec-fetch-site") === "cross-site" && !["GET", "HEAD"].includes(request.method);
}

function decodes(pathname: string) {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // Pages and API routes; not Next's static files, nor the icon.
  matcher: ["/((?!_next/static|_next/image|icon.svg).*)"],
};
