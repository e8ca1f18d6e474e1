import { expect, test } from "@playwright/test";
import { createPlaceOrderRoute } from "@/app/api/orders/place-order-route";
import type { Database } from "@/lib/database/client";
import { maxJsonDepth, readJsonBody } from "@/lib/json-body";
import { useTestDatabase } from "@/tests/support/database";

function streamOf(chunks: string[]) {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

function jsonRequest(body: ReadableStream<Uint8Array>) {
  // No Content-Length: the body arrives in chunks, as with Transfer-Encoding: chunked.
  return new Request("http://localhost/api/orders", {
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body,
    duplex: "half",
  } as RequestInit);
}

test.describe("reading a JSON body", () => {
  test("counts the bytes that arrive, not the declared length", async () => {
    const result = await readJsonBody(jsonRequest(streamOf(['{"a":"', "x".repeat(600), '"}'])), 512);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.response.status).toBe(413);
  });

  test("reads a chunked body under the limit", async () => {
    const result = await readJsonBody(jsonRequest(streamOf(['{"productId":', '"p1","quantity":2}'])));
    expect(result).toEqual({ ok: true, value: { productId: "p1", quantity: 2 } });
  });

  test("refuses bytes that are not UTF-8, even inside a string of valid JSON", async () => {
    // Read leniently, 0xFF would become U+FFFD: two different bodies, one fingerprint.
    const bytes = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array([...Buffer.from('{"a":"'), 0xff, ...Buffer.from('"}')]));
        controller.close();
      },
    });
    const result = await readJsonBody(jsonRequest(bytes));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.response.status).toBe(400);
    expect((await result.response.json()).detail).toBe("The request body is not valid UTF-8.");
  });

  test(`takes arrays and objects nested ${maxJsonDepth} deep, and refuses deeper ones`, async () => {
    const nested = (depth: number) => `{"a":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    expect((await readJsonBody(jsonRequest(streamOf([nested(maxJsonDepth)])))).ok).toBe(true);
    const deeper = await readJsonBody(jsonRequest(streamOf([nested(maxJsonDepth + 1)])));
    expect(deeper.ok).toBe(false);
    if (!deeper.ok) expect(deeper.response.status).toBe(400);
  });
});

test.describe("pointing at what is wrong in a body", () => {
  // Validation comes before the key is claimed: the database must not be touched. The
  // route gets the real client, which notes every query it is asked to run.
  const database = useTestDatabase("sqlite");
  const queries: string[] = [];
  const placeOrder = (request: Request) => {
    const watched = database.db.$extends({
      query: {
        async $allOperations({ model, operation, args, query }) {
          queries.push(`${model ?? "raw"}.${operation}`);
          return query(args);
        },
      },
    }) as unknown as Database;
    return createPlaceOrderRoute(watched)(request);
  };

  async function pointersFor(body: string) {
    const response = await placeOrder(
      new Request("http://localhost/api/orders", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Idempotency-Key": "k" },
        body,
      }),
    );
    expect(response.status).toBe(400);
    expect(queries).toEqual([]);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    return problem.errors.map((error) => error.pointer);
  }

  for (const body of ["[]", "null", '"an order"', "42"]) {
    test(`a body that is not an object at all (${body}) is pointed at as the root, "#"`, async () => {
      expect(await pointersFor(body)).toEqual(["#"]);
    });
  }

  test('the root is "#" for an unreadable body too, and a missing field is "#/<field>"', async () => {
    expect(await pointersFor("{")).toEqual(["#"]);
    expect(await pointersFor('{"quantity":1}')).toEqual(["#/productId"]);
  });
});
