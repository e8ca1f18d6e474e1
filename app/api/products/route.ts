import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { listProducts } from "@/lib/products";

export async function GET() {
  const products = await runInTransaction(db, listProducts);
  return Response.json({ products });
}
