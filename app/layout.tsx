import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";

export const metadata: Metadata = {
  title: "Safe retries for web orders",
  description: "An order form that a double click, a retry or a lost response cannot turn into two orders.",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <nav aria-label="Main">
            <Link href="/" className="brand">
              Safe Orders
            </Link>
            <Link href="/">Shop</Link>
            <Link href="/orders">Your orders</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
