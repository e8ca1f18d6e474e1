const euros = new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" });

export function formatCents(cents: number) {
  return euros.format(cents / 100);
}
