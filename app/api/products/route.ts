import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { answeringFailuresAsProblems, methodNotAllowed } from "@/lib/problem";
import { listProducts } from "@/lib/products";

export const GET = answeringFailuresAsProblems(async () => {
  const products = await runInTransaction(db, listProducts);
  return Response.json({ products });
});

export const POST = methodNotAllowed("GET");
export const PUT = POST;
export const PATCH = POST;
export const DELETE = POST;
