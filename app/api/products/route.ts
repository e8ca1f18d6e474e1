import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { answeringFailuresAsProblems } from "@/lib/problem";
import { listProducts } from "@/lib/products";

export const GET = answeringFailuresAsProblems(async () => {
  const products = await runInTransaction(db, listProducts);
  return Response.json({ products });
});
