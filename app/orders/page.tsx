import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PendingOrderNotice } from "@/components/pending-order-notice";
import { customerCookie } from "@/lib/customer";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { formatCents } from "@/lib/money";
import { listOrdersOf } from "@/lib/orders/list-orders";
import { listProducts } from "@/lib/products";

export const metadata: Metadata = { title: "Your orders" };

const statusLabels: Record<string, string> = { confirmed: "Confirmed" };

export default async function OrdersPage() {
  const customerId = (await cookies()).get(customerCookie)?.value ?? "";
  const { orders, products } = await runInTransaction(db, async (tx) => ({
    orders: await listOrdersOf(tx, customerId),
    products: await listProducts(tx),
  }));
  return (
    <>
      <h1>Your orders</h1>
      <PendingOrderNotice
        listedOrderIds={orders.map((order) => order.id)}
        productNames={Object.fromEntries(products.map((product) => [product.id, product.name]))}
      />
      {orders.length === 0 ? (
        <p className="empty">
          You have not placed any orders yet. <Link href="/">Go to the shop</Link>.
        </p>
      ) : (
        <section className="card table-scroll" aria-label="Your orders" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="number">
                  Quantity
                </th>
                <th scope="col" className="number">
                  Total
                </th>
                <th scope="col">Status</th>
                <th scope="col">Placed</th>
                <th scope="col">Order number</th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  {/* What was bought first: on a phone, the later columns scroll into view. */}
                  <th scope="row">{order.product.name}</th>
                  <td className="number">{order.quantity}</td>
                  <td className="number">{formatCents(order.totalCents)}</td>
                  <td>{statusLabels[order.status] ?? order.status}</td>
                  <td>
                    <LocalTime iso={order.createdAt.toISOString()} />
                  </td>
                  <td className="order-number">{order.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
