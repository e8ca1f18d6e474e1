// The shop's demo products, added by prisma/seed.ts. One has little stock, to show
// what happens when it runs out.
export const demoProducts = [
  { id: "espresso-beans", name: "Espresso beans, 1 kg", priceCents: 1850, stock: 40 },
  { id: "pour-over-kettle", name: "Pour-over kettle", priceCents: 3900, stock: 12 },
  { id: "ceramic-dripper", name: "Ceramic dripper", priceCents: 2400, stock: 5 },
  { id: "paper-filters", name: "Paper filters, 100 pack", priceCents: 450, stock: 100 },
];
