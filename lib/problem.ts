// Every error the API sends is an RFC 9457 problem details object, built here.
//
// `type` identifies the case (clients switch on its last path segment), `title` is
// fixed per type, `status` repeats the HTTP status, and `detail` explains this
// occurrence. Extra members (such as `errors` for field errors) are allowed by the RFC.

const problemTypeBase = "https://safe-retries.example/problems/";

const problems = {
  "missing-idempotency-key": { status: 400, title: "Idempotency-Key header is missing" },
  "invalid-idempotency-key": { status: 400, title: "Idempotency-Key header is malformed" },
  "invalid-request": { status: 400, title: "The request body is not valid" },
  "unsupported-media-type": { status: 415, title: "The request body must be application/json" },
  "payload-too-large": { status: 413, title: "The request body is too large" },
  "product-not-found": { status: 404, title: "No such product" },
  "order-not-found": { status: 404, title: "No such order" },
  "out-of-stock": { status: 409, title: "Not enough stock" },
  "stock-contention": { status: 409, title: "The product is busy, try again" },
  "idempotency-key-in-use": { status: 409, title: "A request with this Idempotency-Key is in progress" },
  "idempotency-key-reused": { status: 422, title: "The Idempotency-Key was used for a different request" },
  "not-found": { status: 404, title: "No such resource" },
  "method-not-allowed": { status: 405, title: "This method is not allowed here" },
  "internal-error": { status: 500, title: "Something went wrong on our side" },
} as const;

export type ProblemType = keyof typeof problems;

type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
};

function problemDetails(type: ProblemType, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = problems[type];
  return { type: `${problemTypeBase}${type}`, title, status, detail, ...extensions };
}

export function problemResponse(
  type: ProblemType,
  detail: string,
  options: { extensions?: Record<string, unknown>; headers?: HeadersInit } = {},
): Response {
  const body = problemDetails(type, detail, options.extensions);
  const headers = new Headers(options.headers);
  headers.set("Content-Type", "application/problem+json");
  return new Response(JSON.stringify(body), { status: body.status, headers });
}

/** What is wrong with one part of a request body: the shape of a zod issue. */
export type BodyIssue = { message: string; path: readonly PropertyKey[] };

/**
 * A 400 for a body that is not valid, with `errors`: for each issue, its message and a
 * JSON Pointer (as a URI fragment) to the part of the body it is about.
 */
export function invalidRequest(detail: string, issues: readonly BodyIssue[]): Response {
  const errors = issues.map((issue) => ({ detail: issue.message, pointer: jsonPointer(issue.path) }));
  return problemResponse("invalid-request", detail, { extensions: { errors } });
}

function jsonPointer(path: readonly PropertyKey[]): string {
  // The empty path is the whole body: "#", as for a body that cannot be read at all.
  // (Member names with "~" or "/" would need escaping; the request schemas have none.)
  return path.length === 0 ? "#" : `#/${path.map(String).join("/")}`;
}

/** The answer to a path the API does not have. */
export function notFoundAt(pathname: string): Response {
  return problemResponse("not-found", `There is nothing at ${pathname}.`);
}

/** The answer to a failure nobody expected. Its cause goes to the server's log, never to the client. */
export function internalError(): Response {
  return problemResponse("internal-error", "The request failed and nothing was saved. It is safe to retry.");
}

/**
 * Handlers for the methods a route does not have, which refuse them as a problem (Next's
 * own 405 has an empty body), and for OPTIONS, which lists the same methods as the 405's
 * Allow. A route exports those it needs:
 * `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "HEAD", "POST");`
 */
export function otherMethods(...answered: ("GET" | "HEAD" | "POST")[]) {
  const allow = [...answered, "OPTIONS"].join(", ");
  const refuse = () =>
    problemResponse("method-not-allowed", `This resource answers ${allow} only.`, { headers: { Allow: allow } });
  return {
    POST: refuse,
    PUT: refuse,
    PATCH: refuse,
    DELETE: refuse,
    OPTIONS: () => new Response(null, { status: 204, headers: { Allow: allow } }),
  };
}

/**
 * Wraps a route handler so that an unexpected failure (the database is down, say) is
 * answered as a 500 problem, like every other error of the API, instead of with
 * Next's HTML error page.
 */
export function answeringFailuresAsProblems<Args extends unknown[]>(
  handler: (...args: Args) => Promise<Response>,
): (...args: Args) => Promise<Response> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (error) {
      console.error("Request failed", error);
      return internalError();
    }
  };
}
