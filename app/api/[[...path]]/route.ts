import { notFoundAt } from "@/lib/problem";

/** /api and any other path under it: a problem, like every error of the API, not the HTML 404 page. */
function notFound(request: Request): Response {
  return notFoundAt(new URL(request.url).pathname);
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
