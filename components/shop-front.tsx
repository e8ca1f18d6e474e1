"use client";

// The shop's products and order form: the client half of safe retries.
//
// What it guards against, and how:
// - A double click or impatient clicking: while a request is pending the button is
//   disabled, and the submit handler reads "being sent" from order-draft.ts (set
//   synchronously, before React re-renders), so it ignores any submit that slips
//   through in between.
// - A second click that comes after the answer (a fast server answers within a double
//   click): the order just placed stays on screen and its button stays disabled, until
//   the customer changes the order or asks for another one. Only then is there a new
//   intent, and a new key. "Being sent" and "placed" (and "refused") live in
//   order-draft.ts, not in this component: a form shown again (after a visit to the
//   orders page while the order was pending, or a reload) knows them too.
// - A click before React has hydrated the page: until then the button is disabled,
//   so the click neither submits twice nor submits the form natively (a GET to this
//   page with the order in the URL). The fields are disabled too: React would reset
//   a choice made before it runs, and the order sent would not be the one shown.
// - A lost response, a network failure, a 5xx or no answer within 30 seconds: the form
//   offers "Retry", which resends with the same idempotency key; the server replays
//   the order it placed.
// - A key still being processed (409 with Retry-After), or a busy server or proxy (503
//   or 429 with Retry-After): it waits as told and asks again, with the same key.
//   (What each answer means for the order and its key is send-order.ts's to say.)
// - A reload in the middle: the key lives in sessionStorage with the draft order
//   (order-draft.ts), and the form comes back with the same order filled in, says it
//   was not confirmed, and offers Retry. Changing the order instead is a new intent
//   with a new key, and the form warns that the earlier one may have gone through.
//   (If the shop no longer sells its product, it cannot be sent again: the form says
//   it may have been placed, and to check the orders.)
// - A browser that refuses cookies: every request would be a new customer's, and a
//   Retry a second order. The form says the shop needs cookies, and sends nothing.
// The server does not trust any of this (e2e/browser/guard-off.spec.ts); the browser
// tests in e2e/browser prove each point.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useEffectEvent, useId, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { flushSync } from "react-dom";
import {
  clearDraft,
  draftFor,
  isSending,
  lastRefusal,
  loadDraft,
  setRefusal,
  sendingState,
  setSending,
  subscribeToDraft,
  unmarkPlaced,
  type OrderDraft,
} from "@/components/order-draft";
import { anotherOrder, preselect } from "@/components/choose-product";
import { sendOrder, type OrderAnswer } from "@/components/send-order";
import { useHydrated } from "@/components/use-hydrated";
import { formatCents } from "@/lib/money";
import type { OrderJson } from "@/lib/orders/order-json";
import { productListJson, type ProductView } from "@/lib/products";

type Answer =
  | { kind: "placed"; order: OrderJson; replayed: boolean }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string };

/** The API takes 1 to 10 of a product per order. */
const quantities = Array.from({ length: 10 }, (_, i) => i + 1);

/**
 * Said of an order that no answer confirmed: the stock shown, refreshed since, may
 * already have its units taken, and a Retry must not look doomed for that.
 */
const mayBeCounted = "If it went through, the stock shown may already be lower because of it.";

/** What the customer is told when no answer confirmed the order. */
const failureMessages: Record<Extract<OrderAnswer, { kind: "failed" }>["why"], string> = {
  timeout: "The shop did not answer in time, so we do not know if the order went through.",
  "cut-off": "The shop's answer was cut off, so we do not know if the order went through.",
  unreachable: "The connection to the shop failed, so we do not know if the order went through.",
  unreadable: "The shop's answer could not be read.",
  unconfirmed: "The shop could not confirm your order.",
};

export function ShopFront({
  initialProducts,
  initialProductId,
  clientGuard = true,
}: {
  initialProducts: ProductView[];
  /** The product to preselect (`/?product=<id>`); the first one in stock otherwise. */
  initialProductId?: string;
  /** Off only to demonstrate that the server alone prevents duplicates (`/?guard=off`). */
  clientGuard?: boolean;
}) {
  const [products, setProducts] = useState(initialProducts);
  // Which stock refresh the products shown come from (0: the page's own), set with them.
  const [productsFrom, setProductsFrom] = useState(0);
  // Why this form's last attempt was not confirmed (no answer, or not the shop's), if it
  // was not, and how many attempts in a row were not: a Retry that fails again must not
  // look as if it did nothing. The other states live in order-draft.ts, where a form
  // mounted again finds them: being sent, placed (with the draft), refused.
  const [failure, setFailure] = useState<{ message: string; attempts: number } | null>(null);
  // How many answers in a row were replays of an order already placed: said only in the
  // unguarded demo, where a second click reaches the server (a replay looks the same as
  // the first answer, as it must), and counted, or a third click would seem to do nothing.
  const [replays, setReplays] = useState(0);
  // The stock fetched after an order was placed, for its confirmation.
  const [stockAfter, setStockAfter] = useState<{ orderId: string; stock: number } | null>(null);
  // Answers are read out (aria-live) once the customer has acted on this page: one
  // shown again after a reload, or after a visit to the orders page, is not news.
  const [acted, setActed] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const productField = useRef<HTMLSelectElement>(null);
  const confirmationHeading = useRef<HTMLHeadingElement>(null);
  // Stock refreshes can overtake one another: one is shown only if none asked for
  // later has been shown already.
  const refreshesAsked = useRef(0);
  const refreshShown = useRef(0);
  // The order last placed from this page, and the stock refreshes asked for before its
  // answer: until a later one is shown, the stock shown is taken as from before it.
  const placedHere = useRef<{ orderId: string; refreshesBefore: number } | null>(null);
  const result = useRef<HTMLDivElement>(null);
  const formId = useId();
  const hydrated = useHydrated();
  // The customer is known by a cookie, and the idempotency key is scoped to the
  // customer. A browser that refuses cookies is a new customer on every request: a
  // Retry after a lost answer would not be recognised, and could place a second order.
  const cookiesRefused = hydrated && !navigator.cookieEnabled;
  const router = useRouter();

  // What the form shows: the order the customer picked or last sent, else an order
  // that was sent but not confirmed before the page was reloaded (so it goes out again
  // with its key), else the defaults. The default product is chosen once: a refreshed
  // stock must not switch it under the customer's eyes.
  const [choice, setChoice] = useState<{ productId: string; quantity: number } | null>(null);
  const [firstShown] = useState(() => preselect(initialProducts, initialProductId));
  const draft = useSyncExternalStore(subscribeToDraft, loadDraft, () => null);
  const sending = useSyncExternalStore(subscribeToDraft, sendingState, () => "idle" as const);
  const refusal = useSyncExternalStore(subscribeToDraft, lastRefusal, () => null);
  const listed = (id: string | undefined) => products.some((product) => product.id === id);
  const restored = draft && listed(draft.productId) ? draft : null;
  // (A refused order is still the one shown by a form mounted after the refusal.)
  const earlier = restored ?? (refusal && listed(refusal.productId) ? refusal : null);
  // (A product taken off the shop since it was picked is not shown: the customer picks again.)
  const picked = choice && listed(choice.productId) ? choice : null;
  const productId = picked?.productId ?? earlier?.productId ?? (listed(firstShown) ? firstShown : preselect(products));
  const quantity = picked?.quantity ?? earlier?.quantity ?? 1;

  const pending = sending !== "idle";
  // A form mounted again while its order is pending reads out the answer when it comes.
  if (pending && !acted) setActed(true);
  // The order shown was placed: sending it again is not a new order.
  const placedDraft = placedAs(restored, productId, quantity);
  const selected = products.find((product) => product.id === productId);
  const nameOf = (id: string) => products.find((product) => product.id === id)?.name ?? id;
  // A draft outlives its request only when no final answer came (none at all, a 5xx, or
  // one that was not the shop's): that order may or may not have been placed. Sending
  // it again with its key is safe; a changed order is not it.
  const unconfirmed = !pending && restored && !restored.placed ? restored : null;
  const retrying = unconfirmed !== null && unconfirmed.productId === productId && unconfirmed.quantity === quantity;
  // Such an order for a product the shop no longer lists: it cannot be sent again, and
  // the form shows another product, but the customer must still hear that it may have
  // been placed.
  const orphaned = !pending && draft && !draft.placed && !listed(draft.productId) ? draft : null;
  // Said while the customer makes up an order, from the stock last seen; the server
  // still decides. Not beside an answer, nor for a Retry: the stock that order may
  // already have taken is no reason to hold it back.
  const stockHint =
    selected && quantity > selected.stock && !failure && !refusal && !pending && !placedDraft && !retrying
      ? selected.stock === 0
        ? `${selected.name} is sold out.`
        : `Only ${selected.stock} left in stock.`
      : null;

  // When the answer is on screen: to this form's order, or to one that a form shown
  // earlier sent (the customer went to the orders page and back while it was pending).
  const onAnswered = useEffectEvent(() => {
    // Disabling the pending button took the keyboard focus away from it (or, in some
    // browsers, left it on the disabled button, where keys do nothing); give it back,
    // or, once the order is placed and the button stays disabled, to the confirmation.
    // Not to "Place another order": a key pressed again, as a double press would, must
    // not start a new order.
    const focused = document.activeElement ?? document.body;
    if (focused === document.body || focused === button.current) {
      (confirmationHeading.current ?? button.current)?.focus();
    }
    // On a phone the answer lands below the fold: bring it into view. (Only an answer
    // that has just come: a form shown again with an earlier one stays where it is.)
    result.current?.scrollIntoView({ block: "nearest" });
    // Then the stock the answer changed.
    const stored = loadDraft();
    if (stored?.placed) placedHere.current = { orderId: stored.placed.id, refreshesBefore: refreshesAsked.current };
    const answeredFor = stored?.productId ?? lastRefusal()?.productId;
    if (answeredFor) void showStockAfter(answeredFor, stored?.placed);
  });
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !pending) onAnswered();
    wasPending.current = pending;
  }, [pending]);

  // The stock, added to a confirmation, makes it longer: keep it all in view.
  useEffect(() => {
    if (stockAfter) result.current?.scrollIntoView({ block: "nearest" });
  }, [stockAfter]);

  /** The stock an answer changed: in the table, and with the order placed, if one was. */
  async function showStockAfter(productId: string, order?: OrderJson) {
    const fresh = await refreshProducts();
    const stock = fresh?.find((product) => product.id === productId)?.stock;
    if (order && stock !== undefined) setStockAfter({ orderId: order.id, stock });
  }

  /** The stock now, if it is the newest shown: a late answer is overtaken, and returns nothing. */
  async function refreshProducts() {
    const asked = ++refreshesAsked.current;
    const fresh = await fetchProducts();
    if (!fresh || asked <= refreshShown.current) return undefined; // the table keeps what it shows
    refreshShown.current = asked;
    setProducts(fresh);
    setProductsFrom(asked);
    return fresh;
  }

  // Another tab (or another customer) may have bought something meanwhile.
  const onVisible = useEffectEvent(() => {
    if (document.visibilityState === "visible") void refreshProducts();
  });
  useEffect(() => {
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, []);

  async function submitOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Read from the store, not from this render: it changes before React re-renders.
    if (clientGuard && (isSending() || placedAs(loadDraft(), productId, quantity))) return;
    if (cookiesRefused) return; // not even unguarded: the server could not tell a retry from a new order
    const attempts = (failure?.attempts ?? 0) + 1; // (changing the order clears the failure)
    // (Sending this order once more after a refusal: if refused again, the answer says so.)
    const refusedBefore = lastRefusal();
    // Live before "Placing your order…" goes in: screen readers may miss text that comes
    // with the attribute.
    if (!acted) flushSync(() => setActed(true));
    setRefusal(null);
    // The same order keeps its key: after no answer, or after it was placed (only the
    // unguarded form sends it again then), when the server replays it.
    const intent = draftFor(productId, quantity);
    if (intent.placed) unmarkPlaced(intent); // unconfirmed again until its answer
    setChoice({ productId, quantity }); // the form keeps showing this order, whatever comes back
    setFailure(null);
    // Pending from here to the answer, and nothing between may throw past the catch below.
    // (Set before the first await, so a second submit in between finds it.)
    setSending("sending");
    let answer: Answer;
    try {
      answer = toAnswer(
        await sendOrder(intent, { onSlow: () => setSending("slow"), onWait: () => setSending("waiting") }),
        intent,
      );
    } catch {
      // Nothing should throw here; if something does, the form must not stay on
      // "Placing order…". Whatever happened, a Retry with the same key is safe.
      answer = { kind: "failed", message: failureMessages.unreadable };
    }
    if (answer.kind === "refused") {
      const again = refusedBefore?.productId === intent.productId && refusedBefore.quantity === intent.quantity;
      setRefusal({
        productId: intent.productId,
        quantity: intent.quantity,
        message: answer.message,
        attempts: again ? refusedBefore.attempts + 1 : 1,
      });
    }
    setSending("idle"); // a placed order is marked so by now: the guard stays shut
    setFailure(answer.kind === "failed" ? { message: answer.message, attempts } : null);
    const replayed = answer.kind === "placed" && answer.replayed;
    setReplays((count) => (replayed ? count + 1 : 0));

    // Pages kept for the browser's Back button (this one, the orders page) are out of
    // date now. (The stock on this page is refreshed once the answer is on screen.) Not
    // after a failure: Next loads the whole page again when a refresh cannot reach the
    // server, and offline that would put the browser's error page in place of the shop.
    if (answer.kind === "placed" || answer.kind === "refused") router.refresh();
  }

  /** What the form says of an answer. */
  function toAnswer(answer: OrderAnswer, draft: OrderDraft): Answer {
    if (answer.kind === "placed") return answer;
    if (answer.kind === "failed") return { kind: "failed", message: failureMessages[answer.why] };
    const { type, problem } = answer;
    const name = nameOf(draft.productId);
    switch (type) {
      case "out-of-stock":
        return {
          kind: "refused",
          message: problem.available
            ? `Only ${problem.available} × ${name} left in stock; you asked for ${draft.quantity}.`
            : `${name} is sold out.`,
        };
      case "product-not-found":
        return { kind: "refused", message: `${name} is no longer sold. Choose another product.` };
      case "idempotency-key-reused":
        // This order's key answered a different request before (a draft changed by hand,
        // say): an order, or a refusal. Which, the shop does not say.
        return {
          kind: "refused",
          message: "This order was sent before with different details. Check your orders before you order again.",
        };
      case "invalid-order": {
        // The order itself refused (the shop's 400), with the fields at fault if it says so.
        const fields = problem.errors?.map((error) => error.detail).join(" ");
        return { kind: "refused", message: fields || problem.detail || "The order is not valid." };
      }
    }
  }

  function changeOrder(next: { productId: string; quantity: number }) {
    // A different order is a different intent: it will get a new key when sent. (An
    // unconfirmed draft is kept, to go back to; a placed one is done with.)
    if (loadDraft()?.placed) clearDraft();
    setRefusal(null);
    setChoice(next);
    setFailure(null);
    setActed(true);
  }

  function startAnotherOrder() {
    // The same order again (no more than is left), but asked for: a new intent, with a
    // new key (the order shown may be the placed draft's alone, after a reload: it
    // stays, as a choice).
    // Unless it took the last of its product. The stock shown says so, unless no refresh
    // asked after the order's answer has been shown yet.
    const before = placedHere.current;
    const stockShownIsBefore =
      before !== null && before.orderId === placedDraft?.placed?.id && productsFrom <= before.refreshesBefore;
    const next = anotherOrder(products, { productId, quantity }, { stockShownIsBefore });
    clearDraft();
    flushSync(() => {
      // The fields are there now, not at the next render.
      setFailure(null);
      setChoice(next);
    });
    // The button that had the focus goes away with the confirmation. Not onto the
    // submit button: a key pressed twice would place the new order at once.
    productField.current?.focus();
  }

  const buttonLabel = pending
    ? sending === "sending"
      ? "Placing order…"
      : "Still placing your order…"
    : placedDraft
      ? clientGuard
        ? "Order placed"
        : "Send it again (same key)" // the demo's button stays enabled: say what it does
      : retrying
        ? "Retry"
        : "Place order";

  return (
    <div className="shop">
      {clientGuard ? null : (
        <p className="notice warn demo">
          <strong>Client guard off.</strong> The button stays enabled while an order is pending and after it is placed,
          so a double click sends it twice. The idempotency key keeps it to one order.
        </p>
      )}
      <section className="card" aria-labelledby={`${formId}-products`}>
        <h2 id={`${formId}-products`}>Products</h2>
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="number">
                  Price
                </th>
                <th scope="col" className="number">
                  In stock
                </th>
              </tr>
            </thead>
            <tbody>
              {products.length === 0 ? (
                <tr>
                  <td colSpan={3}>The shop has no products yet.</td>
                </tr>
              ) : null}
              {products.map((product) => (
                <tr key={product.id}>
                  <th scope="row">{product.name}</th>
                  <td className="number">{formatCents(product.priceCents)}</td>
                  <td className="number">{product.stock}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {/* Named by its form (the landmark), not named twice. */}
      <section className="card">
        <h2 id={`${formId}-order`}>Place an order</h2>
        <form
          className="order-form"
          aria-labelledby={`${formId}-order`}
          aria-busy={pending}
          onSubmit={submitOrder}
          noValidate
        >
          <div className="field">
            <label htmlFor={`${formId}-product`}>Product</label>
            <select
              ref={productField}
              id={`${formId}-product`}
              value={productId}
              disabled={!hydrated || pending}
              onChange={(event) => changeOrder({ productId: event.target.value, quantity })}
            >
              {products.map((product) => (
                <option key={product.id} value={product.id}>
                  {product.name} ({formatCents(product.priceCents)}
                  {product.stock > 0 ? `, ${product.stock} left` : ", sold out"})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-quantity`}>Quantity</label>
            <select
              id={`${formId}-quantity`}
              aria-describedby={stockHint ? `${formId}-stock-hint` : undefined}
              value={quantity}
              disabled={!hydrated || pending}
              onChange={(event) => changeOrder({ productId, quantity: Number(event.target.value) })}
            >
              {quantities.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            {stockHint ? (
              <p id={`${formId}-stock-hint`} className="hint">
                {stockHint}
              </p>
            ) : null}
          </div>
          <p className="total">
            Total: <strong>{selected ? formatCents(selected.priceCents * quantity) : "–"}</strong>
          </p>
          <button
            ref={button}
            type="submit"
            className={pending ? "primary busy" : "primary"}
            aria-describedby={
              !hydrated
                ? `${formId}-loading`
                : cookiesRefused
                  ? `${formId}-cookies`
                  : !selected
                    ? `${formId}-no-products`
                    : undefined
            }
            disabled={!hydrated || cookiesRefused || !selected || (clientGuard && (pending || placedDraft !== null))}
          >
            {buttonLabel}
          </button>
          {/* Until React runs the page, why the button does not answer yet; if it never
              will (JavaScript is off), why not. */}
          {hydrated ? null : (
            <p id={`${formId}-loading`} className="hint">
              <span className="with-scripts">Loading the shop…</span>
              {/* Shown (by CSS, which needs no script) only if loading takes very long. */}
              <span className="with-scripts slow-loading"> Taking long? Reload the page.</span>
              <span className="without-scripts">
                Placing orders needs JavaScript, which is turned off in this browser.
              </span>
            </p>
          )}
          {hydrated && !selected ? (
            <p id={`${formId}-no-products`} className="hint">
              There is nothing to order yet.
            </p>
          ) : null}
          {cookiesRefused ? (
            <p id={`${formId}-cookies`} className="hint">
              This shop needs cookies to place orders: it tells your orders apart from others&apos; by one. Allow
              cookies for this site, then reload the page.
            </p>
          ) : null}
        </form>

        {/* Not atomic: the stock, added to a confirmation already read out, is read out alone. */}
        <div ref={result} role="status" aria-live={acted ? "polite" : "off"} aria-atomic="false" className="outcome">
          {pending ? (
            sending === "waiting" ? (
              <p>Your order is still being processed. Checking again…</p>
            ) : sending === "slow" ? (
              <p>The shop is taking longer than usual to answer. Still waiting…</p>
            ) : (
              // For screen readers: on screen, the button says so already.
              <p className="visually-hidden">Placing your order…</p>
            )
          ) : orphaned ? (
            <div className="notice warn">
              <h3>Order not confirmed</h3>
              <p>
                An order you sent was not confirmed, and the shop no longer sells its product, so it cannot be sent
                again. It may have been placed all the same: check <Link href="/orders">your orders</Link>.
              </p>
            </div>
          ) : failure ? (
            <div className="notice warn">
              <h3>Order not confirmed</h3>
              <p>
                {failure.message}
                {failure.attempts > 1 ? ` (${failure.attempts} attempts so far.)` : ""} {mayBeCounted} Press Retry: it
                sends the same order again, and it will not be placed twice.
              </p>
            </div>
          ) : refusal ? (
            <div className="notice bad">
              <h3>Order not placed</h3>
              <p>
                {refusal.message}
                {refusal.attempts > 1 ? ` (${refusal.attempts} attempts.)` : ""}
              </p>
            </div>
          ) : placedDraft?.placed ? (
            <Confirmation
              order={placedDraft.placed}
              productName={nameOf(placedDraft.productId)}
              stockLeft={stockAfter?.orderId === placedDraft.placed.id ? stockAfter.stock : undefined}
              replays={clientGuard ? 0 : replays}
              heading={confirmationHeading}
              onAnother={startAnotherOrder}
            />
          ) : unconfirmed ? (
            <UnconfirmedNotice
              draft={unconfirmed}
              productName={nameOf(unconfirmed.productId)}
              shown={retrying}
              onBack={() => {
                setChoice(null);
                setActed(true);
                button.current?.focus(); // this button goes away; the submit button, now Retry, stays
              }}
            />
          ) : null}
        </div>
      </section>
    </div>
  );
}

async function fetchProducts(): Promise<ProductView[] | undefined> {
  try {
    const response = await fetch("/api/products", { cache: "no-store", signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return undefined;
    // Parsed, not cast: a 200 in another shape (a proxy's, a cache's) must not become
    // the table's rows.
    const parsed = productListJson.safeParse(await response.json());
    return parsed.success ? parsed.data.products : undefined;
  } catch {
    return undefined;
  }
}

/** The stored draft, if it is the order shown and was placed. */
function placedAs(draft: OrderDraft | null, productId: string, quantity: number) {
  return draft?.placed && draft.productId === productId && draft.quantity === quantity ? draft : null;
}

function Confirmation({
  order,
  productName,
  stockLeft,
  replays,
  heading,
  onAnother,
}: {
  order: OrderJson;
  productName: string;
  /** Once fetched after the order (unknown after a reload). */
  stockLeft: number | undefined;
  /** How many answers in a row were replays of it, to say so (the unguarded demo only). */
  replays: number;
  /** Where the keyboard focus goes once the order is placed. */
  heading: React.Ref<HTMLHeadingElement>;
  onAnother: () => void;
}) {
  return (
    <div className="notice ok">
      <h3 ref={heading} tabIndex={-1}>
        Order confirmed
      </h3>
      <p>
        {order.quantity} × {productName} for {formatCents(order.totalCents)}.
        {stockLeft === undefined ? "" : stockLeft === 0 ? " Now sold out." : ` ${stockLeft} left in stock.`}
      </p>
      <p className="small">
        Order number {order.id}. <Link href="/orders">See your orders</Link>
      </p>
      {replays > 0 ? (
        <p className="small">
          {replays === 1 ? "The last click sent this order again" : `This order was sent again ${replays} times`}: the
          shop recognised its key and answered with the order it had already placed (Idempotent-Replayed).
        </p>
      ) : null}
      <p>
        <button type="button" className="link" onClick={onAnother}>
          Place another order
        </button>
      </p>
    </div>
  );
}

/** An order sent earlier (before a reload, or before the customer changed the form) that no answer confirmed. */
function UnconfirmedNotice({
  draft,
  productName,
  shown,
  onBack,
}: {
  draft: OrderDraft;
  productName: string;
  /** Whether the form shows that order now (then the button says Retry). */
  shown: boolean;
  onBack: () => void;
}) {
  const order = `${draft.quantity} × ${productName}`;
  return (
    <div className="notice warn">
      <h3>Order not confirmed</h3>
      {shown ? (
        <p>
          Your order of {order} was sent, but the shop has not confirmed it. {mayBeCounted} Press Retry: it sends the
          same order again, and it will not be placed twice.
        </p>
      ) : (
        <>
          <p>
            Your earlier order of {order} was sent, but the shop has not confirmed it: it may have been placed. Check{" "}
            <Link href="/orders">your orders</Link> before placing a different one.
          </p>
          <p>
            <button type="button" className="link" onClick={onBack}>
              Go back to that order
            </button>
          </p>
        </>
      )}
    </div>
  );
}
