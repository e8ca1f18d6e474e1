import { connection } from "next/server";
import { OrderForm } from "@/components/order-form";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { formatCents } from "@/lib/money";
import { listProducts } from "@/lib/products";

export default async function ShopPage() {
  await connection(); // stock changes with every order: render per request
  const products = await runInTransaction(db, listProducts);
  return (
    <>
      <h1>Shop</h1>
      <section className="card" aria-labelledby="products-heading">
        <h2 id="products-heading">Products</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="number">Price</th>
              <th scope="col" className="number">In stock</th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id}>
                <td>{product.name}</td>
                <td className="number">{formatCents(product.priceCents)}</td>
                <td className="number">{product.stock}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <OrderForm products={products} />
    </>
  );
}
