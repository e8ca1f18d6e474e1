"use client";

import { useSyncExternalStore } from "react";
import { sendingState, subscribeToDraft } from "@/components/order-draft";

/**
 * On the orders page: an order sent from the shop in this tab that has no answer yet.
 * It is not listed until the shop confirms it; then the shop's form refreshes the page
 * (router.refresh), the order appears, and this notice goes.
 */
export function PendingOrderNotice() {
  const sending = useSyncExternalStore(subscribeToDraft, sendingState, () => "idle" as const);
  return (
    <div role="status">
      {sending === "idle" ? null : (
        <p className="notice warn">An order is on its way to the shop. It is listed here once the shop confirms it.</p>
      )}
    </div>
  );
}
