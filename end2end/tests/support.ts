import { expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import path from "node:path";

// Signs in through the development provider's own login form.
export async function signIn(page: Page, user: string, password = `${user}-pass`) {
  await page.goto("/");
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page.getByLabel("Username")).toBeVisible();
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

// A CI token made the way an operator makes one: with the server's CLI.
export function ciToken(name: string, scopes: string): string {
  const root = path.resolve(__dirname, "../..");
  const server = path.resolve(root, process.env.E2E_SERVER ?? "target/debug/server");
  return execFileSync(server, ["token", "create", "--name", name, "--scopes", scopes], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, RUST_LOG: "error" },
    encoding: "utf8",
  }).trim();
}

// `YYYY-MM-DDTHH:MM` in UTC, as the forms' datetime-local fields take it.
export function utcInput(daysFromNow: number, hour = 10): string {
  const d = new Date(Date.now() + daysFromNow * 86_400_000);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString().slice(0, 16);
}

// Marks the document, so a test can tell that no reload replaced it.
export async function markDocument(page: Page) {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}

export async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as any).__sameDocument === true);
}

export async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
}

// `YYYY-MM-DDTHH:MM` in UTC, `minutes` from now.
export function utcInMinutes(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);
}
