import { expect, test } from "@playwright/test";
import { parseIdempotencyKey } from "@/lib/idempotency/key";

test.describe("reading the Idempotency-Key header", () => {
  test("accepts a bare token", () => {
    expect(parseIdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324")).toEqual({
      ok: true,
      key: "8e03978e-40d5-43e8-bc93-6894a57f9324",
    });
  });

  test("accepts the draft's structured-field string as the same key", () => {
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toEqual({
      ok: true,
      key: "8e03978e-40d5-43e8-bc93-6894a57f9324",
    });
    expect(parseIdempotencyKey('"a\\"b\\\\c"')).toEqual({ ok: true, key: 'a"b\\c' });
  });

  test("accepts 1 to 255 printable ASCII characters", () => {
    expect(parseIdempotencyKey("k").ok).toBe(true);
    expect(parseIdempotencyKey("x".repeat(255)).ok).toBe(true);
    expect(parseIdempotencyKey(`"${"x".repeat(255)}"`).ok).toBe(true);
    expect(parseIdempotencyKey("order 42 ~!@#$%^&*()").ok).toBe(true);
  });

  test("a key with a comma is still one key, unless it is one key repeated", () => {
    expect(parseIdempotencyKey("order 42, second try")).toEqual({ ok: true, key: "order 42, second try" });
    expect(parseIdempotencyKey("a,b")).toEqual({ ok: true, key: "a,b" });
    // Repeated lines arrive joined by exactly ", ": anything else is a key like any other.
    for (const key of ["a,a", "x , x", ",", "k,k,k", "k,  k", "k ,k", "k, k,", "k, k, kk"]) {
      expect(parseIdempotencyKey(key), key).toEqual({ ok: true, key });
    }
    expect(parseIdempotencyKey("k, k, k")).toMatchObject({ ok: false, problem: "invalid-idempotency-key" });
    // A key that holds ", " itself, sent twice.
    expect(parseIdempotencyKey("a, b, a, b")).toMatchObject({ ok: false, problem: "invalid-idempotency-key" });
    expect(parseIdempotencyKey('"a, b", "a, b"')).toMatchObject({ ok: false, problem: "invalid-idempotency-key" });
  });

  test("a missing header is its own problem", () => {
    expect(parseIdempotencyKey(null)).toMatchObject({ ok: false, problem: "missing-idempotency-key" });
  });

  for (const [name, header] of [
    ["empty", ""],
    ["blank", "   "],
    ["longer than 255", "x".repeat(256)],
    ["quoted and longer than 255", `"${"x".repeat(256)}"`],
    ["not ASCII", "clé"],
    ["a control character", "a\tb"],
    ["followed by a non-breaking space", "abc\u00a0"],
    ["an empty quoted string", '""'],
    ["an unterminated quoted string", '"abc'],
    ["text after the closing quote", '"abc"def'],
    ["a bad escape", '"a\\nb"'],
    ["sent twice, two header lines joined", "8e03978e, 8e03978e"],
    ["one character sent twice", "k, k"],
    ["quoted and sent twice", '"k", "k"'],
  ] as const) {
    test(`refuses a key that is ${name}`, () => {
      expect(parseIdempotencyKey(header)).toMatchObject({ ok: false, problem: "invalid-idempotency-key" });
    });
  }
});
