"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** A link in the main navigation that tells assistive technology when it is the current page. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const current = usePathname() === href;
  return (
    <Link href={href} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
