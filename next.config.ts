import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // The app is served on its own; no telemetry headers, no external assets.
  poweredByHeader: false,
};

export default nextConfig;
