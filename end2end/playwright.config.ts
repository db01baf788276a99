import { defineConfig } from "@playwright/test";

// The server under test: the binary `cargo leptos build` made, on its own port
// and its own database (the Makefile recreates it for every run).
const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;
const databaseUrl = process.env.E2E_DATABASE_URL;
// The development OpenID provider (end2end/oidc/provider.mjs), started beside
// the app: browsers sign in through its real login form.
const OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? 3150);
const issuer = `http://127.0.0.1:${OIDC_PORT}`;
if (!databaseUrl) throw new Error("E2E_DATABASE_URL must name the database the tests may fill (make test-e2e sets it)");

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
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
  projects: [
    { name: "chromium", testIgnore: /no-js\.spec\.ts/ },
    { name: "chromium-no-js", testMatch: /no-js\.spec\.ts/, use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: "node end2end/oidc/provider.mjs",
      cwd: "..",
      url: `${issuer}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: "ignore",
      stderr: "pipe",
      env: { OIDC_PORT: String(OIDC_PORT) },
    },
    {
    command: process.env.E2E_SERVER ?? "./target/debug/server",
    cwd: "..",
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: databaseUrl,
      TRAINYARD_ADDR: `127.0.0.1:${PORT}`,
      TRAINYARD_PUBLIC_URL: baseURL,
      LEPTOS_SITE_ROOT: "target/site",
      // A release build (E2E_SERVER=./target/release/server) has hashed names.
      LEPTOS_HASH_FILES: process.env.E2E_SERVER?.includes("/release/") ? "true" : "false",
      RUST_LOG: process.env.RUST_LOG ?? "warn",
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: "trainyard",
      OIDC_CLIENT_SECRET: "trainyard-dev-secret",
    },
    },
  ],
});
