"use client";

import { useState } from "react";
import type { ProductView } from "@/lib/products";

export function OrderForm({ products }: { products: ProductView[] }) {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState("");

  async function submit(formData: FormData) {
    setPending(true);
    const response = await fetch("/api/orders", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": key },
      body: JSON.stringify({ productId: formData.get("productId"), quantity: Number(formData.get("quantity")) }),
    });
    const body = (await response.json()) as { order?: { id: string }; detail?: string };
    setMessage(response.ok ? `Order ${body.order?.id} placed.` : (body.detail ?? "The order failed."));
    if (response.ok) setKey(crypto.randomUUID());
    setPending(false);
  }

  return (
    <form action={submit} className="card">
      <label>
        Product
        <select name="productId">
          {products.map((product) => (
            <option key={product.id} value={product.id}>
              {product.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Quantity
        <input name="quantity" type="number" min={1} max={10} defaultValue={1} />
      </label>
      <button type="submit" disabled={pending}>
        Place order
      </button>
      <p role="status">{message}</p>
    </form>
  );
}
