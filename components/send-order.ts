// Sends an order to the shop as a client that retries safely must, and says what came
// of it. The form (components/shop-front.tsx) decides what to show; this decides what
// an answer means for the order and its key:
// - 201: placed (or replayed: the same order, placed once). The draft is marked placed.
// - A final refusal (out of stock, no such product, the key used for another order,
//   or the order itself invalid): nothing was placed. The draft and its key are done
//   with; the next attempt is a new order, with a new key.
// - "Not now" (409 key in use or stock contention, or a 503 or 429 with Retry-After):
//   wait as told, then ask again with the same key, a few times.
// - Anything else (no answer, a cut-off or unreadable one, a 5xx, a proxy's page):
//   unknown. The draft keeps its key, and a Retry with it is always safe: the server
//   replays the order if it placed one.
// The browser tests in e2e/browser prove each case (retries.spec.ts most of them; out of
// stock in two-tabs.spec.ts, a product no longer sold in after-an-order.spec.ts).
import { z } from "zod";
import { clearDraft, markPlaced, type OrderDraft } from "@/components/order-draft";
import { sleep } from "@/lib/backoff";
import { orderJson, type OrderJson } from "@/lib/orders/order-json";

/**
 * What the form reads of a problem document (RFC 9457). An error body may come from a
 * proxy, in any shape: it is parsed, and what does not fit is left out.
 */
const problemSchema = z
  .object({
    type: z.string(),
    detail: z.string(),
    available: z.number(),
    errors: z.array(z.object({ detail: z.string() })),
  })
  .partial();

export type Problem = z.infer<typeof problemSchema>;

/** The final refusals, by the last segment of the problem's type. */
type RefusalType = "out-of-stock" | "product-not-found" | "idempotency-key-reused" | "invalid-order";

export type OrderAnswer =
  | { kind: "placed"; order: OrderJson; replayed: boolean }
  /** Final: nothing was placed. (invalid-order: the shop's own 400, whatever its type.) */
  | { kind: "refused"; type: RefusalType; problem: Problem }
  /** Unknown whether it was placed: `why` no answer was understood. */
  | { kind: "failed"; why: "timeout" | "cut-off" | "unreachable" | "unreadable" | "unconfirmed" };

/** How often the form waits and asks again (key in use, stock contention, busy) before it hands over Retry. */
const maxPolls = 5;

/**
 * How long to wait for an answer before giving up, in milliseconds: for an answer lost
 * on a connection that stays open. The server's database waits are bounded
 * (lib/env.ts). If it is still at work when the Retry comes, the Retry is told to wait
 * (409, key in use) while the first request's lease holds, and then gets the order
 * replayed; after the lease, it takes the key over, and the first request's work is
 * rolled back (its token no longer holds the key). One order either way.
 */
const answerTimeoutMs = 30_000;

/** How long an answer may take before the customer is told it is slow (a spinner alone looks like a page that hangs). */
const slowAnswerMs = 5_000;

/** The longest wait accepted from a Retry-After header, in seconds. */
const maxRetryAfterSeconds = 10;

/** Answers that are final for this order: the next attempt is a new order, with a new key. */
const finalRefusals = new Set<string>([
  "out-of-stock",
  "product-not-found",
  "idempotency-key-reused",
] satisfies RefusalType[]);

function isFinalRefusal(type: string): type is RefusalType {
  return finalRefusals.has(type);
}

/** The shop's own 400s: refused before the key was claimed, so nothing was placed. */
const refusedBeforeClaim = new Set(["invalid-request", "missing-idempotency-key", "invalid-idempotency-key"]);

/** Answers that mean "not now, ask again with the same key after Retry-After". */
const askAgainLater = new Set(["idempotency-key-in-use", "stock-contention"]);

/** The body of a 201: the order placed, checked, since it is stored with the draft. */
const placedBody = z.object({ order: orderJson });

/**
 * Sends the draft's order with its key. `onSlow` is called when an answer is slow to
 * come, `onWait` when the shop says "not now" (and the form waits to ask again).
 */
export async function sendOrder(
  draft: OrderDraft,
  { onSlow, onWait }: { onSlow: () => void; onWait: () => void },
): Promise<OrderAnswer> {
  for (let poll = 0; ; poll++) {
    let response: Response | undefined;
    let body: string;
    // An answer that never comes (a proxy that holds the connection open) must not
    // leave the order pending for ever: give up waiting, and let the customer retry.
    const waiting = new AbortController();
    const timer = setTimeout(() => waiting.abort(), answerTimeoutMs);
    const slow = setTimeout(onSlow, slowAnswerMs);
    try {
      response = await fetch("/api/orders", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": draft.key },
        body: JSON.stringify({ productId: draft.productId, quantity: draft.quantity }),
        signal: waiting.signal,
      });
      body = await response.text();
    } catch {
      return { kind: "failed", why: waiting.signal.aborted ? "timeout" : response ? "cut-off" : "unreachable" };
    } finally {
      clearTimeout(timer);
      clearTimeout(slow);
    }

    if (response.status === 201) {
      // A success whose body is not the order is not the shop's answer: we do not
      // know what happened, and a Retry with the same key is always safe.
      const placed = placedBody.safeParse(parseJson(body));
      if (!placed.success) return { kind: "failed", why: "unreadable" };
      markPlaced(draft, placed.data.order);
      return {
        kind: "placed",
        order: placed.data.order,
        replayed: response.headers.get("Idempotent-Replayed") === "true",
      };
    }

    const problem = parseProblem(body);
    const type = problem.type?.split("/").at(-1) ?? "";
    // A busy server or proxy that says when to come back (RFC 9110): the order may
    // not have reached the shop, and if it did, the same key is replayed.
    const busy = (response.status === 503 || response.status === 429) && response.headers.has("Retry-After");
    if ((askAgainLater.has(type) || busy) && poll < maxPolls) {
      // Still being processed, too many buyers at once, or busy: wait as told, then ask again.
      onWait();
      const seconds = Math.min(retryAfterSeconds(response.headers.get("Retry-After")), maxRetryAfterSeconds);
      await sleep(seconds * 1000);
      continue;
    }
    // A final answer for this order: nothing was placed, and the next attempt is a new
    // order, with a new key. (A 400 that is not the shop's, from a proxy, says nothing
    // about the order.)
    const refusal = isFinalRefusal(type)
      ? type
      : response.status === 400 && refusedBeforeClaim.has(type)
        ? "invalid-order"
        : null;
    if (refusal) {
      clearDraft();
      return { kind: "refused", type: refusal, problem };
    }
    // A 5xx, or an answer that is not the shop's (a proxy's 400, 403, or 429 without
    // Retry-After): the order may or may not have been placed, and a Retry with the
    // same key will tell.
    return { kind: "failed", why: "unconfirmed" };
  }
}

/**
 * Retry-After in seconds: it is a number of seconds or an HTTP date (RFC 9110); 1 if
 * it is neither or less.
 */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? "";
  const seconds = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - now) / 1000;
  // At least a second: "0", a date already past (or a clock behind the server's) would
  // otherwise use up every poll at once.
  return Number.isNaN(seconds) ? 1 : Math.max(seconds, 1);
}

/** A problem document, or nothing we can read (a proxy's error page). */
function parseProblem(body: string): Problem {
  const parsed = problemSchema.safeParse(parseJson(body));
  return parsed.success ? parsed.data : {};
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
