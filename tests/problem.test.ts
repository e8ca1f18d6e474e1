import { expect, test } from "@playwright/test";
import { answeringFailuresAsProblems, problemResponse } from "@/lib/problem";

test.describe("problem details", () => {
  test("a problem is application/problem+json with type, title, status and detail", async () => {
    const response = problemResponse("out-of-stock", "Only 1 left.", { extensions: { available: 1 } });
    expect(response.status).toBe(409);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await response.json()).toEqual({
      type: "https://safe-retries.example/problems/out-of-stock",
      title: "Not enough stock",
      status: 409,
      detail: "Only 1 left.",
      available: 1,
    });
  });

  test("a read route that fails answers 500 as a problem, without the error's message", async () => {
    const route = answeringFailuresAsProblems(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
    });
    const response = await route();
    expect(response.status).toBe(500);
    expect(response.headers.get("Content-Type")).toBe("application/problem+json");
    const body = await response.json();
    expect(body.type).toMatch(/\/internal-error$/);
    expect(JSON.stringify(body)).not.toContain("ECONNREFUSED");
  });

  test("a read route that succeeds answers as it would alone", async () => {
    const route = answeringFailuresAsProblems(async (id: string) => Response.json({ id }));
    expect(await (await route("a")).json()).toEqual({ id: "a" });
  });
});
