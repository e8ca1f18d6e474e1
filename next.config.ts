import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // No X-Powered-By header: the app does not advertise what it runs on.
  poweredByHeader: false,
  // `next dev` serves its scripts only to the origin it was started for (localhost);
  // without this, the shop opened at http://127.0.0.1:3000 would never hydrate.
  allowedDevOrigins: ["127.0.0.1"],
};

export default nextConfig;
