"use client";

import Link from "next/link";
import { useSyncExternalStore } from "react";
import { loadDraft, sendingState, subscribeToDraft } from "@/components/order-draft";

/**
 * On the orders page: an order sent from the shop in this tab that is not listed here.
 * While it has no answer, it is on its way: once the shop confirms it, the shop's form
 * refreshes the page (router.refresh), the order appears, and this notice goes. If no
 * answer confirmed it (none came, or a 5xx), it may or may not have been placed, and
 * the shop's form sends it again with its key.
 */
export function PendingOrderNotice() {
  const sending = useSyncExternalStore(subscribeToDraft, sendingState, () => "idle" as const);
  const draft = useSyncExternalStore(subscribeToDraft, loadDraft, () => null);
  return (
    <div role="status">
      {sending !== "idle" ? (
        <p className="notice warn">An order is on its way to the shop. It is listed here once the shop confirms it.</p>
      ) : draft && !draft.placed ? (
        <p className="notice warn">
          An order sent from this tab was not confirmed, and is not listed here. <Link href="/">Back to the shop</Link>{" "}
          to retry it: it will not be placed twice.
        </p>
      ) : null}
    </div>
  );
}
