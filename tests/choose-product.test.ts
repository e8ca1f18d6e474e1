// Which order the form shows before the customer picks one (components/choose-product.ts).
import { expect, test } from "@playwright/test";
import { anotherOrder, preselect } from "@/components/choose-product";

const product = (id: string, stock: number) => ({ id, name: id, priceCents: 100, stock, version: 0 });

test("a form opens on the product asked for, else on the first in stock, else on the first", () => {
  const products = [product("sold-out", 0), product("in-stock", 3), product("also", 1)];
  expect(preselect(products, "also")).toBe("also");
  expect(preselect(products, "sold-out")).toBe("sold-out"); // asked for: shown, and the form says it is sold out
  expect(preselect(products, "unknown")).toBe("in-stock");
  expect(preselect([product("none-left", 0)])).toBe("none-left");
  expect(preselect([])).toBe("");
});

test.describe("another order, after one was placed", () => {
  const placed = { productId: "vase", quantity: 2 };

  test("is the same again while the stock shown, after the order, lasts", () => {
    const products = [product("vase", 2), product("jug", 5)];
    expect(anotherOrder(products, placed, { stockShownIsBefore: false })).toEqual(placed);
  });

  test("asks for no more than the stock shown after the order has left", () => {
    const products = [product("vase", 1), product("jug", 5)];
    expect(anotherOrder(products, placed, { stockShownIsBefore: false })).toEqual({ productId: "vase", quantity: 1 });
  });

  test("starts on another product in stock when the order took the last of it", () => {
    const products = [product("early", 0), product("vase", 0), product("jug", 5)];
    expect(anotherOrder(products, placed, { stockShownIsBefore: false })).toEqual({ productId: "jug", quantity: 1 });
  });

  // The customer was quicker than the refresh after the order: the stock shown is from before it.
  test("takes the order off a stock shown from before it, and never goes back to the product it sold out", () => {
    const products = [product("vase", 2), product("jug", 5)];
    expect(anotherOrder(products, placed, { stockShownIsBefore: true })).toEqual({ productId: "jug", quantity: 1 });
    // Some left: the quantity stays (a refresh may already have counted the order), and
    // the form's hint will say if it is more than is left.
    const more = [product("vase", 3), product("jug", 5)];
    expect(anotherOrder(more, placed, { stockShownIsBefore: true })).toEqual(placed);
  });
});
