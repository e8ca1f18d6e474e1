"use client";

import { useHydrated } from "@/components/use-hydrated";

/**
 * A moment in the reader's own time zone and language, to the second (two orders of
 * the same thing a minute apart must not look alike). The server knows neither, so
 * its HTML says the time in UTC, labelled as such, until the browser takes over.
 */
export function LocalTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  const date = new Date(iso);
  return (
    <time dateTime={iso}>
      {hydrated
        ? date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" })
        : `${date.toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "medium" })} UTC`}
    </time>
  );
}
