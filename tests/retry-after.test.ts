import { expect, test } from "@playwright/test";
import { retryAfterSeconds } from "@/components/send-order";

const now = Date.parse("2026-11-28T12:00:00Z");

test("Retry-After is read as seconds or as an HTTP date", () => {
  expect(retryAfterSeconds("3", now)).toBe(3);
  expect(retryAfterSeconds(" 7 ", now)).toBe(7);
  expect(retryAfterSeconds("Sat, 28 Nov 2026 12:00:05 GMT", now)).toBe(5);
});

test("a Retry-After that is missing, unreadable, zero or past means a second: the polls are not used up at once", () => {
  for (const header of [null, "", "soon", "0", "Sat, 28 Nov 2026 11:59:00 GMT"]) {
    expect(retryAfterSeconds(header, now), String(header)).toBe(1);
  }
});
