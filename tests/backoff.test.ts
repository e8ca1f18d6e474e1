import { expect, test } from "@playwright/test";
import { jitteredBackoffMs } from "@/lib/backoff";

const limits = { baseMs: 25, capMs: 400 };

test.describe("jittered backoff", () => {
  test("the wait is a random part of a ceiling that doubles with each attempt", () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4].map((attempt) => jitteredBackoffMs(attempt, limits, half))).toEqual([25, 50, 100, 200]);
  });

  test("the ceiling stops at the cap, however many attempts", () => {
    const almostOne = () => 0.999;
    for (const attempt of [5, 6, 10, 50]) {
      const wait = jitteredBackoffMs(attempt, limits, almostOne);
      expect(wait).toBeGreaterThan(399);
      expect(wait).toBeLessThan(400);
    }
  });

  test("waits stay between zero and the ceiling, and differ from one request to the next", () => {
    const waits = Array.from({ length: 200 }, () => jitteredBackoffMs(3, limits));
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(200);
    }
    // Requests that failed together must not all retry together.
    expect(new Set(waits).size).toBeGreaterThan(150);
  });

  test("a random of zero means no wait at all", () => {
    expect(jitteredBackoffMs(4, limits, () => 0)).toBe(0);
  });
});
