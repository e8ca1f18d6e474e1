"use client";

import { useHydrated } from "@/components/use-hydrated";

/**
 * A moment in the reader's own time zone and language. The server knows neither, so
 * its HTML says the time in UTC, labelled as such, until the browser takes over.
 */
export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const date = new Date(iso);
  return (
    <time dateTime={iso}>
      {hydrated
        ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })
        : `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" })} UTC`}
    </time>
  );
}
