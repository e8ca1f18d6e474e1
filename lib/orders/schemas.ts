import { z } from "zod";

/** The body of POST /api/orders. */
export const placeOrderBody = z.object({
  // No id holds a control character; and PostgreSQL cannot even compare a text with a
  // NUL in it, so without this rule such an id would be a 500 rather than a 400.
  productId: z
    .string()
    .min(1, "Choose a product.")
    .max(100)
    .regex(/^\P{Cc}*$/u, "A product id has no control characters."),
  quantity: z.number().int("Order whole units.").min(1, "Order at least 1.").max(10, "Order at most 10 at a time."),
});

export type PlaceOrderBody = z.infer<typeof placeOrderBody>;
