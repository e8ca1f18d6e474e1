import type { Metadata } from "next";
import Link from "next/link";
import { NavLink } from "@/components/nav-link";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Safe retries for web orders", template: "%s · Safe Orders" },
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
            <NavLink href="/">Shop</NavLink>
            <NavLink href="/orders">Your orders</NavLink>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
