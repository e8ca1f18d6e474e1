import { z } from "zod";

/** The body of POST /api/orders. */
export const placeOrderBody = z.object({
  // No control characters: PostgreSQL cannot even compare a text with a NUL in it.
  productId: z
    .string()
    .min(1, "Choose a product.")
    .max(100)
    .regex(/^\P{Cc}*$/u, "A product id has no control characters."),
  quantity: z.number().int("Order whole units.").min(1, "Order at least 1.").max(10, "Order at most 10 at a time."),
});

export type PlaceOrderBody = z.infer<typeof placeOrderBody>;
