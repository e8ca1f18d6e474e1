import type { Metadata } from "next";
import { cookies } from "next/headers";
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PendingOrderNotice } from "@/components/pending-order-notice";
import { customerCookie, customerIdIn } from "@/lib/customer";
import { db } from "@/lib/db";
import { runInTransaction } from "@/lib/database/transaction";
import { formatCents } from "@/lib/money";
import { listOrdersOf } from "@/lib/orders/list-orders";
import { listProducts } from "@/lib/products";

export const metadata: Metadata = { title: "Your orders" };

const statusLabels: Record<string, string> = { confirmed: "Confirmed" };

export default async function OrdersPage() {
  const customerId = customerIdIn((await cookies()).get(customerCookie)?.value);
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
        // On a phone the table is laid out as one card per order (globals.css): the
        // explicit roles keep it a table for screen readers, which some browsers stop
        // doing when CSS changes how a table's parts are displayed. Each cell's
        // data-label names it on screen there, where the column headers are hidden.
        <section className="card table-scroll" aria-label="Your orders" tabIndex={0}>
          <table className="orders-table" role="table">
            <thead role="rowgroup">
              <tr role="row">
                <th scope="col" role="columnheader">
                  Product
                </th>
                <th scope="col" role="columnheader" className="number">
                  Quantity
                </th>
                <th scope="col" role="columnheader" className="number">
                  Total
                </th>
                <th scope="col" role="columnheader">
                  Status
                </th>
                <th scope="col" role="columnheader">
                  Placed
                </th>
                <th scope="col" role="columnheader">
                  Order number
                </th>
              </tr>
            </thead>
            <tbody role="rowgroup">
              {orders.map((order) => (
                <tr key={order.id} role="row">
                  <th scope="row" role="rowheader">
                    {order.product.name}
                  </th>
                  <td role="cell" data-label="Quantity" className="number">
                    {order.quantity}
                  </td>
                  <td role="cell" data-label="Total" className="number">
                    {formatCents(order.totalCents)}
                  </td>
                  <td role="cell" data-label="Status">
                    {statusLabels[order.status] ?? order.status}
                  </td>
                  <td role="cell" data-label="Placed">
                    <LocalTime iso={order.createdAt.toISOString()} />
                  </td>
                  <td role="cell" data-label="Order number">
                    <span className="order-number">{order.id}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </>
  );
}
