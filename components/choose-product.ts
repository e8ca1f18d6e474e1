// Which order a form shows before the customer picks one: when it opens, and when
// they ask for another after an order was placed.
import type { ProductView } from "@/lib/products";

/** The product a form shows before the customer picks one: the one asked for, else the first in stock. */
export function preselect(products: ProductView[], wanted?: string): string {
  return (
    (products.find((product) => product.id === wanted) ?? products.find((product) => product.stock > 0) ?? products[0])
      ?.id ?? ""
  );
}

/**
 * The order a form starts on when the customer asks for another after one was placed:
 * the same product and quantity again, or as many as the stock shown has left if
 * fewer; unless that order took the last of it: then, as in a form opened afresh, the
 * first of the other products in stock, one of it.
 *
 * `stockShownIsBefore`: the stock shown is still the one from before the order (the
 * customer can be quicker than the refresh after it). The order is taken off it to
 * see whether any is left, and the quantity is kept: once the stock after the order
 * is shown, the form's hint says if it is more than is left. (A refresh asked while
 * the order was pending may already count it: then the order is taken off twice, and
 * the form errs towards another product, never back to the one the order sold out.)
 */
export function anotherOrder(
  products: ProductView[],
  placed: { productId: string; quantity: number },
  { stockShownIsBefore }: { stockShownIsBefore: boolean },
): { productId: string; quantity: number } {
  const shown = products.find((product) => product.id === placed.productId)?.stock ?? 0;
  if (stockShownIsBefore) {
    if (shown - placed.quantity > 0) return placed;
  } else if (shown > 0) {
    return { productId: placed.productId, quantity: Math.min(placed.quantity, shown) };
  }
  // Not by the stock shown: it may not know yet that this product is sold out.
  const others = products.filter((product) => product.id !== placed.productId);
  return { productId: preselect(others), quantity: 1 };
}
