import { useSyncExternalStore } from "react";

/**
 * False in the server's HTML and while React hydrates it, true once React runs the
 * page. Without an effect: the server snapshot is used for hydration, the client one after.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}

function subscribeToNothing() {
  return () => {};
}
