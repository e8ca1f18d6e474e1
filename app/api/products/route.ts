import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { answeringFailuresAsProblems, otherMethods } from "@/lib/problem";
import { listProducts } from "@/lib/products";

export const GET = answeringFailuresAsProblems(async () => {
  const products = await runInTransaction(db, listProducts);
  return Response.json({ products });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "HEAD");
