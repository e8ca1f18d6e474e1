import { expect, test } from "@playwright/test";
import { canonicalJson, requestFingerprint } from "@/lib/idempotency/fingerprint";

test.describe("request fingerprints", () => {
  test("canonical JSON sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson(JSON.parse('{ "b": 1, "a": { "d": [ 2, {"y":1,"x":0} ], "c": null } }'))).toBe(
      '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}',
    );
    // A body built in code rather than parsed: an undefined field is left out, as JSON.stringify does.
    expect(canonicalJson({ quantity: 1, note: undefined })).toBe('{"quantity":1}');
  });

  test("the same request spelled differently has the same fingerprint", () => {
    const a = requestFingerprint("POST", "/api/orders", JSON.parse('{"productId":"p1","quantity":2}'));
    const b = requestFingerprint("post", "/api/orders", JSON.parse('{ "quantity" : 2,\n "productId": "p1" }'));
    expect(a).toBe(b);
  });

  test("a different body, path or method has a different fingerprint", () => {
    const base = requestFingerprint("POST", "/api/orders", { productId: "p1", quantity: 2 });
    expect(requestFingerprint("POST", "/api/orders", { productId: "p1", quantity: 3 })).not.toBe(base);
    expect(requestFingerprint("POST", "/api/orders", { productId: "p2", quantity: 2 })).not.toBe(base);
    expect(requestFingerprint("POST", "/api/other", { productId: "p1", quantity: 2 })).not.toBe(base);
    expect(requestFingerprint("PUT", "/api/orders", { productId: "p1", quantity: 2 })).not.toBe(base);
    expect(requestFingerprint("POST", "/api/orders", { productId: "p1", quantity: "2" })).not.toBe(base);
  });
});
