import { defineConfig } from "@playwright/test";

// Run by .ci/scale-out.sh, which starts two instances of the dist tarball
// and nginx in front of them (SCALE_URL) before it runs these tests.
const baseURL = process.env.SCALE_URL;
if (!baseURL) throw new Error("SCALE_URL must name the load balancer (.ci/scale-out.sh sets it)");

export default defineConfig({
  testDir: ".",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  outputDir: "../test-results/scale-out",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
