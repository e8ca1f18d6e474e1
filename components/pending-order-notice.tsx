"use client";

import Link from "next/link";
import { useState, useSyncExternalStore } from "react";
import { loadDraft, sendingState, subscribeToDraft } from "@/components/order-draft";

/**
 * On the orders page: an order sent from the shop in this tab that the shop has not
 * confirmed. While it has no answer, it is on its way: once the shop confirms it, the
 * shop's form refreshes the page (router.refresh), and a moment later the order
 * appears and this notice goes. If no answer confirmed it (none came, or a 5xx), it may
 * or may not have been placed, and the list is as it was (nothing refreshes it: the
 * shop may be out of reach); the shop's form offers a Retry, which sends it again with
 * its key.
 */
export function PendingOrderNotice({
  listedOrderIds,
  productNames,
}: {
  listedOrderIds: string[];
  /** To name the order (by product id). */
  productNames: Record<string, string>;
}) {
  const sending = useSyncExternalStore(subscribeToDraft, sendingState, () => "idle" as const);
  const draft = useSyncExternalStore(subscribeToDraft, loadDraft, () => null);
  // Seen on its way while this page was open: once placed, it is still on its way until
  // the refreshed list has it (the answer comes a moment before the list does).
  const [awaited, setAwaited] = useState(false);
  if (sending !== "idle" && !awaited) setAwaited(true);
  const arriving = awaited && draft?.placed !== undefined && !listedOrderIds.includes(draft.placed.id);
  const name = draft ? productNames[draft.productId] : undefined;
  const yourOrder = draft && name ? `Your order of ${draft.quantity} × ${name}` : "An order from this tab";
  return (
    // Read out only what happens while the page is open: a notice found on loading it is not news.
    <div className="order-notices" role="status" aria-live={awaited ? "polite" : "off"}>
      {sending !== "idle" ? (
        <p className="notice warn">{yourOrder} is being placed. It is listed here once the shop confirms it.</p>
      ) : arriving ? (
        <p className="notice ok">{yourOrder} is placed. It is listed here in a moment.</p>
      ) : draft && !draft.placed ? (
        name ? (
          <p className="notice warn">
            {yourOrder}, sent from this tab, was not confirmed, so it may or may not have been placed (if it was, it is
            listed here once this page is loaded again). <Link href="/">Retry it from the shop</Link>: if it was placed,
            you get its confirmation, and it will not be placed twice.
          </p>
        ) : (
          // Its product is no longer sold: the shop cannot send it again.
          <p className="notice warn">
            An order sent from this tab was not confirmed, and its product is no longer sold, so it cannot be sent
            again. It may have been placed all the same.
          </p>
        )
      ) : null}
    </div>
  );
}
