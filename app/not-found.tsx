import type { Metadata } from "next";
import Link from "next/link";

// For an address the app does not have (the API answers its own 404s as problems).
export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p className="empty">
        There is no page at this address. <Link href="/">Go to the shop</Link>.
      </p>
    </>
  );
}
