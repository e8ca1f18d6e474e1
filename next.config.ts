import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // No X-Powered-By header: the app does not advertise what it runs on.
  poweredByHeader: false,
  // `next dev` serves its scripts only to the origin it was started for (localhost);
  // without this, the shop opened at http://127.0.0.1:3000 would never hydrate.
  allowedDevOrigins: ["127.0.0.1"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // No other site may show the shop in a frame, where it could lay its own page
          // over "Place order" and have the customer click it unawares (clickjacking).
          // X-Frame-Options says the same to browsers that predate frame-ancestors.
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
          { key: "X-Frame-Options", value: "DENY" },
          // Browsers take a response for the type it says it is, never guess another
          // (a problem document shown as a page, say).
          { key: "X-Content-Type-Options", value: "nosniff" },
          // Other sites are not told which of the shop's pages a visitor came from.
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
      {
        // Every API answer is one customer's: their orders, or the stock along with their
        // cookie (proxy.ts renews it with every answer). No cache may keep one, and a
        // shared cache must never hand one customer's cookie to the next. (Next marks
        // its pages no-store already, the page for a missing address too.)
        source: "/api/:path*",
        headers: [{ key: "Cache-Control", value: "no-store" }],
      },
    ];
  },
};

export default nextConfig;
