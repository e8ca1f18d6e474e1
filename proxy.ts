// Gives every visitor an anonymous customer id, in an httpOnly, SameSite=Lax cookie.
// The id is added to the request as well, so the page or route handler that runs
// next sees it even on the visitor's very first request.
import { randomUUID } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { customerCookie, customerCookieOptions, isCustomerId } from "@/lib/customer";

export function proxy(request: NextRequest) {
  if (isCustomerId(request.cookies.get(customerCookie)?.value)) return NextResponse.next();

  const customerId = randomUUID();
  request.cookies.set(customerCookie, customerId);
  const response = NextResponse.next({ request: { headers: request.headers } });
  response.cookies.set(customerCookie, customerId, {
    ...customerCookieOptions,
    secure: request.nextUrl.protocol === "https:",
  });
  return response;
}

export const config = {
  // Pages and API routes; not Next's static files, nor the icon.
  matcher: ["/((?!_next/static|_next/image|icon.svg).*)"],
};
