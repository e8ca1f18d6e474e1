// The order the customer is about to place, and the one idempotency key that names it.
//
// The key belongs to the intent, not to the HTTP request: every attempt to place the
// same order (a retry after a network failure, a second click, a submit after a page
// reload) carries the same key, so the server can tell it is the same order. It is
// kept in sessionStorage, which survives a reload but is private to the tab. A new key
// is made only when the customer asks for a different order, or after the server has
// given a final answer for this one. After a success the draft stays, marked placed
// with its order, until the customer starts another: so that a form shown again (after
// a reload, or after a visit to another page while the order was pending) still knows
// the order was placed, and does not take the next click for a new one.
//
// Whether a request is in flight is kept here too (in memory: it concerns this page
// alone), so that a form mounted again while it is does not send another; and so is
// the last final refusal, so that such a form can still say why its order was not placed.
import { z } from "zod";
import { orderJson, type OrderJson } from "@/lib/orders/order-json";
import { placeOrderBody } from "@/lib/orders/schemas";

/**
 * The draft as stored. Storage is outside the app's control (a draft written by an
 * older version of it, or edited by hand): what is read is parsed, never trusted.
 */
const orderDraft = placeOrderBody.extend({
  key: z.uuid(), // as newIdempotencyKey makes them
  placed: orderJson.optional(),
});

export type OrderDraft = z.infer<typeof orderDraft>;

const storageKey = "order-draft";

/** The stored draft if it is for this very order; otherwise a new draft with a new key. */
export function draftFor(productId: string, quantity: number): OrderDraft {
  const stored = loadDraft();
  if (stored && stored.productId === productId && stored.quantity === quantity) return stored;
  const draft = { key: newIdempotencyKey(), productId, quantity };
  saveDraft(draft);
  return draft;
}

// A tiny store over sessionStorage, for React's useSyncExternalStore: components read
// the draft with loadDraft (the same object until it changes) and hear of changes.
const listeners = new Set<() => void>();
// The draft as last written. Once sessionStorage has refused a write (disabled, or
// full), this is the only true copy: reading storage then would bring back an older
// draft, or none, and a Retry would go out with a new key.
let memory: string | null = null;
let storageRefused = false;
let cached: { raw: string | null; draft: OrderDraft | null } = { raw: null, draft: null };

export function subscribeToDraft(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function loadDraft(): OrderDraft | null {
  const raw = readRaw();
  if (raw !== cached.raw) cached = { raw, draft: parseDraft(raw) };
  return cached.draft;
}

/** Done with this draft (a final refusal, or the customer starts another order): the next order gets a new key. */
export function clearDraft() {
  writeRaw(null);
}

/** The server placed this draft's order: kept, with the order, until the customer starts another. */
export function markPlaced(draft: OrderDraft, order: OrderJson) {
  saveDraft({ ...draft, placed: order });
}

/**
 * Whether an order request of this page is in flight (the form may have been mounted
 * again since): "slow" once its answer is slow to come, "waiting" once the server has
 * said to ask again later (a 409, or a 503 or 429 with Retry-After).
 */
export type Sending = "idle" | "sending" | "slow" | "waiting";

let sending: Sending = "idle";

export function sendingState() {
  return sending;
}

export function isSending() {
  return sending !== "idle";
}

export function setSending(value: Sending) {
  if (value === sending) return;
  sending = value;
  for (const listener of listeners) listener();
}

/**
 * A final refusal of an order: the draft is gone, the reason stays until the next order
 * is sent or changed. `attempts`: how many times in a row this order was refused.
 */
export type Refusal = { productId: string; quantity: number; message: string; attempts: number };

let refusal: Refusal | null = null;

export function lastRefusal() {
  return refusal;
}

export function setRefusal(value: Refusal | null) {
  if (value === refusal) return;
  refusal = value;
  for (const listener of listeners) listener();
}

/** The placed draft is sent again (the unguarded form allows it): unconfirmed until its answer. */
export function unmarkPlaced({ key, productId, quantity }: OrderDraft) {
  saveDraft({ key, productId, quantity });
}

function saveDraft(draft: OrderDraft) {
  writeRaw(JSON.stringify(draft));
}

function readRaw(): string | null {
  if (storageRefused) return memory;
  try {
    return sessionStorage.getItem(storageKey);
  } catch {
    return memory; // storage disabled: the draft lives as long as the page
  }
}

function writeRaw(raw: string | null) {
  memory = raw;
  try {
    if (raw === null) sessionStorage.removeItem(storageKey);
    else sessionStorage.setItem(storageKey, raw);
  } catch {
    storageRefused = true; // from now on the draft lives as long as the page
  }
  for (const listener of listeners) listener();
}

function parseDraft(raw: string | null): OrderDraft | null {
  if (raw === null) return null;
  try {
    const parsed = orderDraft.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON: not ours
  }
}

/**
 * A random UUID (version 4). `crypto.randomUUID` exists only in secure contexts
 * (https, or http on localhost); `crypto.getRandomValues` exists everywhere.
 */
function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
