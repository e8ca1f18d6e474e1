// Reads a JSON request body, refusing what is not JSON (415), too large (413), not
// parseable or nested too deep (400) before any work is done.
import { invalidRequest, problemResponse } from "@/lib/problem";

const maxJsonBodyBytes = 16 * 1024;

/**
 * How deeply arrays and objects may nest. 16 KiB of brackets nest thousands deep, and
 * whatever walks such a body recursively (the idempotency fingerprint does) runs out of
 * stack: a 500 for what is only a bad request.
 */
export const maxJsonDepth = 32;

export type JsonBody = { ok: true; value: unknown } | { ok: false; response: Response };

export async function readJsonBody(request: Request, maxBytes = maxJsonBodyBytes): Promise<JsonBody> {
  const mediaType = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return fail(problemResponse("unsupported-media-type", "Send the body as Content-Type: application/json."));
  }
  const tooLarge = () =>
    fail(problemResponse("payload-too-large", `The request body is larger than ${maxBytes} bytes.`));

  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > maxBytes) return tooLarge();

  // The declared length may be absent (chunked) or wrong: count what really arrives.
  const chunks: Uint8Array[] = [];
  let received = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        return tooLarge();
      }
      chunks.push(value);
    }
  }

  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return fail(invalidJson("The request body is not valid UTF-8."));
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail(invalidJson("The request body is not valid JSON."));
  }
  if (nestsDeeperThan(value, maxJsonDepth)) {
    return fail(invalidJson(`The request body nests arrays or objects more than ${maxJsonDepth} deep.`));
  }
  return { ok: true, value };
}

/** Whether arrays and objects in a JSON value nest deeper than `limit`; found without recursion. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (item.value === null || typeof item.value !== "object") continue;
    const depth = item.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(item.value)) pending.push({ value: child, depth });
  }
  return false;
}

/** A body that cannot be read as JSON: the error is about the whole of it. */
function invalidJson(detail: string) {
  return invalidRequest(detail, [{ message: detail, path: [] }]);
}

function fail(response: Response): JsonBody {
  return { ok: false, response };
}
