// Makes a POST route handler safe to retry, with the Idempotency-Key header.
//
// What it guards against: a client that sends the same request twice (a double
// click, an impatient user, an automatic retry, a response lost on the way back)
// must get one effect and one answer. The naive way, "look for a record; if none,
// do the work; then save a record", lets two concurrent requests both find nothing,
// can crash between the work and the record, never checks that the retry is the
// same request, and mixes up customers who happen to pick the same key.
//
// What this does instead, for each request:
// 1. Refuses bad requests before touching the key (400, 413, 415); nothing is stored.
// 2. Claims the key atomically, scoped to the caller (see store.ts). Only one of
//    any number of concurrent requests with a key gets the claim; the others get
//    409 while the first is still working (whatever their body); once its answer is
//    stored, that answer (a replay), or 422 if their body is not the one it answered.
//    (A first request that fails gives the key back, to whichever comes next.)
// 3. Runs the handler and stores its response in ONE transaction: the work and
//    its record commit together or not at all.
// 4. On an unexpected failure (a thrown error or a 5xx), rolls the work back and
//    releases the claim, so that a retry can succeed. Such failures are not stored;
//    a 5xx the handler returned goes out as it made it (Retry-After and all). So
//    does an answer the handler marks `unstored()`: one that is not this key's answer.
//
// It knows nothing about what the handler does. Proven by e2e/api/idempotency.spec.ts
// (over HTTP) and tests/idempotency.test.ts (crashes, leases and expiry).
import type { z } from "zod";
import type { Database, Transaction } from "@/lib/database/client";
import { runInTransaction } from "@/lib/database/transaction";
import { readEnv } from "@/lib/env";
import { requestFingerprint } from "@/lib/idempotency/fingerprint";
import { parseIdempotencyKey } from "@/lib/idempotency/key";
import {
  claimKey,
  completeRecord,
  LostClaimError,
  releaseClaim,
  type Claim,
  type StoredResponse,
} from "@/lib/idempotency/store";
import { readJsonBody } from "@/lib/json-body";
import { answeringFailuresAsProblems, internalError, invalidRequest, problemResponse } from "@/lib/problem";

export type IdempotentRequest<Body> = {
  /** The request, its body already read: use `body`. */
  request: Request;
  /** The validated body. */
  body: Body;
  /** Whose key this is (the customer). */
  scope: string;
  key: string;
  /** Do all the work in this transaction: the response is stored in it too. */
  tx: Transaction;
};

export type IdempotencyOptions<Body> = {
  db: Database;
  bodySchema: z.ZodType<Body>;
  /** Who is asking. Keys are scoped to it: two customers' "abc" are different keys. */
  scope: (request: Request) => string;
  /** How long a stored response is replayed. Defaults to IDEMPOTENCY_KEY_TTL_SECONDS. */
  ttlSeconds?: number;
  /** How long a claim holds before a retry may take it over. Defaults to IDEMPOTENCY_LEASE_SECONDS. */
  leaseSeconds?: number;
  /**
   * Response headers stored with the body and replayed. The first answer is sent from
   * the stored copy too, so it and its replays are alike: other headers are dropped.
   */
  replayHeaders?: readonly string[];
  /**
   * Turns an error thrown by the handler into a response. Like every failure, it is
   * not stored and the claim is released, so a retry runs afresh.
   */
  onError?: (error: unknown) => Response | undefined;
  /** The clock, for tests to set. Read as each claim is written, not as the request arrives. */
  now?: () => Date;
};

const defaultReplayHeaders = ["content-type", "location"];

export function withIdempotency<Body>(
  handler: (input: IdempotentRequest<Body>) => Promise<Response>,
  options: IdempotencyOptions<Body>,
) {
  const env = readEnv();
  const ttlMs = (options.ttlSeconds ?? env.IDEMPOTENCY_KEY_TTL_SECONDS) * 1000;
  const leaseMs = (options.leaseSeconds ?? env.IDEMPOTENCY_LEASE_SECONDS) * 1000;
  // An expired record is free for the taking (store.ts): its lease must be over by then.
  if (!(ttlMs > leaseMs)) throw new Error("An idempotency record must live longer than its lease");
  const replayHeaders = options.replayHeaders ?? defaultReplayHeaders;
  const now = options.now ?? (() => new Date());

  // A failure that escapes handleOnce came before a claim (the database is out of
  // reach, say): there is nothing to release, only a 500 to send.
  return answeringFailuresAsProblems(handleOnce);

  async function handleOnce(request: Request): Promise<Response> {
    // 1. Validate everything we can before the key is claimed. Nothing is stored.
    const parsedKey = parseIdempotencyKey(request.headers.get("idempotency-key"));
    if (!parsedKey.ok) return problemResponse(parsedKey.problem, parsedKey.detail);
    const json = await readJsonBody(request);
    if (!json.ok) return json.response;
    const body = options.bodySchema.safeParse(json.value);
    if (!body.success) return invalidRequest("The request body has invalid fields.", body.error.issues);
    const { key } = parsedKey;
    const scope = options.scope(request);

    // 2. Claim the key, or learn why we cannot. The fingerprint is taken of the body
    // as sent, before validation drops fields it does not know: a retry must send
    // the same payload, and one with a field added is a different request.
    const fingerprint = requestFingerprint(request.method, new URL(request.url).pathname, json.value);
    const outcome = await claimKey(options.db, { scope, key, fingerprint, now, leaseMs, ttlMs });
    switch (outcome.kind) {
      case "completed":
        return replayStoredResponse(outcome.response);
      case "in-progress":
        return keyInUse();
      case "fingerprint-mismatch":
        return problemResponse(
          "idempotency-key-reused",
          "This Idempotency-Key was already used for a request with a different body. Use a new key for a new request.",
        );
      case "claimed":
        break;
    }

    // 3. Do the work and store its response in one transaction.
    const { claim } = outcome;
    try {
      const stored = await runInTransaction(options.db, async (tx) => {
        const response = await handler({ request, body: body.data, scope, key, tx });
        // A 5xx means "we failed", not "this is the answer": never store or replay it.
        // Thrown to roll the work back; its body is left unread, to be sent as it is.
        if (response.status >= 500 || unstoredResponses.has(response)) throw new UnstoredResponse(response);
        const captured = await captureResponse(response, replayHeaders);
        await completeRecord(tx, claim, captured);
        return captured;
      });
      return toResponse(stored);
    } catch (error) {
      // 4. Nothing was committed; give the key back so that a retry can run.
      return failAndRelease(error, claim);
    }
  }

  async function failAndRelease(error: unknown, claim: Claim): Promise<Response> {
    if (error instanceof LostClaimError) return keyInUse(); // someone else owns the key now
    await releaseClaim(options.db, claim).catch((releaseError: unknown) => {
      // The database is out of reach. The claim stays until its lease runs out;
      // then a retry takes the key over and succeeds.
      console.error("Could not release an idempotency claim", releaseError);
    });
    if (error instanceof UnstoredResponse) return error.response;
    const handled = options.onError?.(error);
    if (handled) return handled;
    console.error("Idempotent request failed", error);
    return internalError();
  }
}

const unstoredResponses = new WeakSet<Response>();

/**
 * Marks a handler's answer as not the answer to this key: it is sent, but, as for a
 * failure, the work rolls back, nothing is stored and the claim is released, so that
 * a retry runs afresh.
 */
export function unstored(response: Response): Response {
  unstoredResponses.add(response);
  return response;
}

/**
 * The 409 for a key another request of the caller is still working on: come back in a
 * second. A handler answers it too when it runs into that other request's work.
 */
export function keyInUse() {
  return problemResponse(
    "idempotency-key-in-use",
    "A request with this Idempotency-Key is still being processed. Retry after the time in Retry-After.",
    { headers: { "Retry-After": "1" } },
  );
}

/** The stored response, byte for byte, marked as a replay. */
function replayStoredResponse(stored: StoredResponse): Response {
  const response = toResponse(stored);
  response.headers.set("Idempotent-Replayed", "true");
  return response;
}

function toResponse(stored: StoredResponse): Response {
  return new Response(stored.body, { status: stored.status, headers: stored.headers });
}

async function captureResponse(response: Response, replayHeaders: readonly string[]): Promise<StoredResponse> {
  const headers: Record<string, string> = {};
  for (const name of replayHeaders) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { status: response.status, headers, body: await response.text() };
}

class UnstoredResponse extends Error {
  constructor(readonly response: Response) {
    super(`Handler answered ${response.status}`);
  }
}
