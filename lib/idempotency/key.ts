// Reads the Idempotency-Key request header.
//
// The IETF draft (draft-ietf-httpapi-idempotency-key-header) defines the header as a
// Structured Field string, `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`;
// most clients (and Stripe) send the bare token instead. Both forms are accepted and
// name the same key. A key is 1 to 255 printable ASCII characters.
//
// The header holds one key. A client that adds it twice (retry code appending to the
// headers it reused) sends two lines, which reach us joined with a comma and one
// space: "k, k" (RFC 9110, 5.3; Node and fetch's Headers join them so). Taken as a
// key, that would be a new one, and the retry a second order: it is refused. Only that
// exact shape is: any other value is a key, commas and all ("a,a", "x , x", "k1, k2"),
// as the contract allows any printable ASCII, and a key that is always sent the same
// way is still one key.

const maxKeyLength = 255;

export type ParsedKey =
  | { ok: true; key: string }
  | { ok: false; problem: "missing-idempotency-key" | "invalid-idempotency-key"; detail: string };

const printableAscii = /^[\x20-\x7e]+$/;

export function parseIdempotencyKey(header: string | null): ParsedKey {
  if (header === null) {
    return {
      ok: false,
      problem: "missing-idempotency-key",
      detail: "Send an Idempotency-Key header with this request.",
    };
  }
  // HTTP's optional whitespace is spaces and tabs only; String.trim() would also take
  // away a non-breaking space, and so accept a key that is not ASCII.
  const value = header.replace(/^[ \t]+|[ \t]+$/g, "");
  if (isRepeated(value)) {
    return {
      ok: false,
      problem: "invalid-idempotency-key",
      detail: "The Idempotency-Key header came more than once. Send it once.",
    };
  }
  const key = value.startsWith('"') ? parseStructuredString(value) : value;
  if (key === null) {
    return {
      ok: false,
      problem: "invalid-idempotency-key",
      detail: "The quoted Idempotency-Key is not a valid string.",
    };
  }
  if (key.length < 1 || key.length > maxKeyLength || !printableAscii.test(key)) {
    return {
      ok: false,
      problem: "invalid-idempotency-key",
      detail: `An Idempotency-Key is 1 to ${maxKeyLength} printable ASCII characters.`,
    };
  }
  return { ok: true, key };
}

/**
 * One value sent on two or more lines, as they arrive joined: "k, k" or '"k", "k"'.
 * The part may hold ", " itself ("a, b, a, b" is "a, b" twice), so each possible
 * count of parts is tried: `count` copies joined by ", " fill the value exactly.
 */
function isRepeated(value: string): boolean {
  const separator = ", ";
  for (let count = 2; count * (1 + separator.length) - separator.length <= value.length; count++) {
    const partLength = (value.length + separator.length) / count - separator.length;
    if (!Number.isInteger(partLength)) continue;
    const part = value.slice(0, partLength);
    if (Array.from({ length: count }, () => part).join(separator) === value) return true;
  }
  return false;
}

/** An RFC 8941 sf-string: characters in double quotes, with \" and \\ as escapes. */
function parseStructuredString(value: string): string | null {
  let key = "";
  for (let i = 1; i < value.length; i++) {
    const char = value[i];
    if (char === "\\") {
      const next = value[++i];
      if (next !== '"' && next !== "\\") return null;
      key += next;
    } else if (char === '"') {
      return i === value.length - 1 ? key : null;
    } else {
      key += char;
    }
  }
  return null; // no closing quote
}
