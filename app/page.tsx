import type { Metadata } from "next";
import { connection } from "next/server";
import { ShopFront } from "@/components/shop-front";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { listProducts } from "@/lib/products";

// The root layout's title template applies to the pages below it, not to this one.
export const metadata: Metadata = { title: { absolute: "Shop · Safe Orders" } };

export default async function ShopPage({ searchParams }: PageProps<"/">) {
  await connection(); // stock changes with every order: render per request
  const products = await runInTransaction(db, listProducts);
  // `?product=<id>` preselects a product. `?guard=off` turns the client guard off, to
  // show that the server alone still places one order per intent
  // (e2e/browser/guard-off.spec.ts).
  const { guard, product } = await searchParams;
  return (
    <>
      <h1>Shop</h1>
      <noscript>
        <p className="notice warn">This shop needs JavaScript to place orders, and it is turned off in this browser.</p>
      </noscript>
      <ShopFront
        initialProducts={products}
        initialProductId={typeof product === "string" ? product : undefined}
        clientGuard={guard !== "off"}
      />
    </>
  );
}
