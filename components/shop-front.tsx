"use client";

// The shop's products and order form: the client half of safe retries.
//
// What it guards against, and how:
// - A double click or impatient clicking: while a request is pending the button is
//   disabled, and a ref (set synchronously, before React re-renders) ignores any
//   submit that slips through in between.
// - A click before React has hydrated the page: until then the button is disabled,
//   so the click neither submits twice nor submits the form natively (a GET to this
//   page with the order in the URL).
// - A lost response, a network failure or a 5xx: the form offers "Retry", which
//   resends with the same idempotency key; the server replays the order it placed.
// - A key still being processed (409 with Retry-After): it waits as told and asks again.
// - A reload in the middle: the key lives in sessionStorage with the draft order
//   (order-draft.ts), and the form comes back with the same order filled in.
// The server does not trust any of this (e2e/browser/guard-off.spec.ts); the browser
// tests in e2e/browser prove each point.
import { useId, useRef, useState, useSyncExternalStore, type FormEvent } from "react";
import { clearDraft, draftFor, loadDraft, subscribeToDraft, type OrderDraft } from "@/components/order-draft";
import { formatCents } from "@/lib/money";
import type { OrderJson } from "@/lib/orders/order-json";
import type { ProductView } from "@/lib/products";

type Outcome =
  | { kind: "none" }
  | { kind: "pending"; waiting: boolean }
  | { kind: "placed"; order: OrderJson; product: ProductView | undefined; replayed: boolean }
  | { kind: "refused"; message: string }
  | { kind: "failed"; message: string };

type Problem = { type?: string; detail?: string; errors?: { detail: string; pointer: string }[] };

/** The API takes 1 to 10 of a product per order. */
const quantities = Array.from({ length: 10 }, (_, i) => i + 1);

/** How often a 409 "key in use" is asked again before the customer is handed the Retry button. */
const maxInUsePolls = 5;

export function ShopFront({
  initialProducts,
  initialProductId,
  clientGuard = true,
}: {
  initialProducts: ProductView[];
  /** The product to preselect (`/?product=<id>`); the first one otherwise. */
  initialProductId?: string;
  /** Off only to demonstrate that the server alone prevents duplicates (`/?guard=off`). */
  clientGuard?: boolean;
}) {
  const [products, setProducts] = useState(initialProducts);
  const [outcome, setOutcome] = useState<Outcome>({ kind: "none" });
  const inFlight = useRef(false);
  const formId = useId();
  // False in the server's HTML and during hydration, true once React runs the page.
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );

  // What the form shows: the customer's own choice, else an order that was in flight
  // when the page was reloaded (so it goes out again with its key), else the defaults.
  const [choice, setChoice] = useState<{ productId: string; quantity: number } | null>(null);
  const draft = useSyncExternalStore(subscribeToDraft, loadDraft, () => null);
  const restored = draft && products.some((product) => product.id === draft.productId) ? draft : null;
  const productId =
    choice?.productId ??
    restored?.productId ??
    products.find((product) => product.id === initialProductId)?.id ??
    products[0]?.id ??
    "";
  const quantity = choice?.quantity ?? restored?.quantity ?? 1;

  const pending = outcome.kind === "pending";
  const selected = products.find((product) => product.id === productId);

  async function placeOrder(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (clientGuard && inFlight.current) return;
    inFlight.current = true;
    setOutcome({ kind: "pending", waiting: false });
    try {
      setOutcome(await send(draftFor(productId, quantity)));
    } catch {
      // An answer we could not read (a proxy's error page, a cut-off body): we do not
      // know what happened, and a Retry with the same key is always safe.
      setOutcome({ kind: "failed", message: "The shop's answer could not be read." });
    } finally {
      inFlight.current = false;
    }
  }

  async function send(draft: OrderDraft): Promise<Outcome> {
    for (let poll = 0; ; poll++) {
      let response: Response;
      try {
        response = await fetch("/api/orders", {
          method: "POST",
          headers: { "Content-Type": "application/json", "Idempotency-Key": draft.key },
          body: JSON.stringify({ productId: draft.productId, quantity: draft.quantity }),
        });
      } catch {
        return { kind: "failed", message: "We could not reach the shop, so we do not know if the order went through." };
      }

      if (response.status === 201) {
        const { order } = (await response.json()) as { order: OrderJson };
        clearDraft();
        const fresh = await refreshProducts();
        return {
          kind: "placed",
          order,
          product: fresh?.find((product) => product.id === order.productId),
          replayed: response.headers.get("Idempotent-Replayed") === "true",
        };
      }

      const problem = (await response.json().catch(() => ({}))) as Problem;
      const type = problem.type?.split("/").at(-1);
      if (type === "idempotency-key-in-use" && poll < maxInUsePolls) {
        // The first attempt is still being processed: wait as told, then ask again.
        setOutcome({ kind: "pending", waiting: true });
        const seconds = Number(response.headers.get("Retry-After")) || 1;
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      if (response.status >= 500 || type === "idempotency-key-in-use" || type === "stock-contention") {
        return { kind: "failed", message: "The shop could not confirm your order." };
      }
      if (response.status === 400) {
        const fields = problem.errors?.map((error) => error.detail).join(" ");
        return { kind: "refused", message: fields || problem.detail || "The order is not valid." };
      }
      // A final answer for this order (out of stock, unknown product): the next
      // attempt is a new order, with a new key.
      clearDraft();
      await refreshProducts();
      return { kind: "refused", message: problem.detail ?? "The order could not be placed." };
    }
  }

  async function refreshProducts() {
    try {
      const response = await fetch("/api/products", { cache: "no-store" });
      if (!response.ok) return undefined;
      const { products: fresh } = (await response.json()) as { products: ProductView[] };
      setProducts(fresh);
      return fresh;
    } catch {
      return undefined; // the table keeps its last known stock
    }
  }

  function changeOrder(next: { productId: string; quantity: number }) {
    // A different order is a different intent: it will get a new key when sent.
    setChoice(next);
    if (outcome.kind !== "pending") setOutcome({ kind: "none" });
  }

  const buttonLabel = pending
    ? outcome.waiting
      ? "Still placing your order…"
      : "Placing order…"
    : outcome.kind === "failed"
      ? "Retry"
      : "Place order";

  return (
    <div className="shop">
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
              {products.map((product) => (
                <tr key={product.id}>
                  <th scope="row">{product.name}</th>
                  <td className="number">{formatCents(product.priceCents)}</td>
                  <td className="number" data-testid={`stock-${product.id}`}>
                    {product.stock}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby={`${formId}-order`}>
        <h2 id={`${formId}-order`}>Place an order</h2>
        <form
          className="order-form"
          aria-labelledby={`${formId}-order`}
          aria-busy={pending}
          onSubmit={placeOrder}
          noValidate
        >
          <div className="field">
            <label htmlFor={`${formId}-product`}>Product</label>
            <select
              id={`${formId}-product`}
              value={productId}
              disabled={pending}
              onChange={(event) => changeOrder({ productId: event.target.value, quantity })}
            >
              {products.map((product) => (
                <option key={product.id} value={product.id}>
                  {product.name} ({formatCents(product.priceCents)})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${formId}-quantity`}>Quantity</label>
            <select
              id={`${formId}-quantity`}
              value={quantity}
              disabled={pending}
              onChange={(event) => changeOrder({ productId, quantity: Number(event.target.value) })}
            >
              {quantities.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <p className="total">
            Total: <strong>{selected ? formatCents(selected.priceCents * quantity) : "–"}</strong>
          </p>
          <button type="submit" className="primary" disabled={!hydrated || (clientGuard && pending)}>
            {buttonLabel}
          </button>
        </form>

        <div role="status" aria-live="polite" className="outcome">
          <OutcomeMessage outcome={outcome} />
        </div>
      </section>
    </div>
  );
}

function subscribeToNothing() {
  return () => {};
}

function OutcomeMessage({ outcome }: { outcome: Outcome }) {
  switch (outcome.kind) {
    case "none":
      return null;
    case "pending":
      return <p>{outcome.waiting ? "Your order is still being processed. Checking again…" : "Placing your order…"}</p>;
    case "placed": {
      const { order, product } = outcome;
      return (
        <div className="notice ok">
          <h3>Order confirmed</h3>
          <p>
            {order.quantity} × {product?.name ?? order.productId} for {formatCents(order.totalCents)}.
            {product ? ` ${product.stock} left in stock.` : ""}
          </p>
          <p className="small">Order number {order.id}</p>
        </div>
      );
    }
    case "refused":
      return (
        <div className="notice bad">
          <h3>Order not placed</h3>
          <p>{outcome.message}</p>
        </div>
      );
    case "failed":
      return (
        <div className="notice bad">
          <h3>Order not confirmed</h3>
          <p>{outcome.message} Press Retry: it sends the same order again, and you will not be charged twice.</p>
        </div>
      );
  }
}
