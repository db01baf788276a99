import { expect, test } from "@playwright/test";

const rows = (page: import("@playwright/test").Page) =>
  page.getByRole("table", { name: "Upcoming trains" }).locator("tbody tr");

test("the calendar shows the demo trains from Postgres", async ({ page }) => {
  await page.goto("/calendar");
  await expect(page.getByRole("heading", { level: 1, name: "Calendar" })).toBeVisible();
  await expect(rows(page).first()).toBeVisible();
  expect(await rows(page).count()).toBeGreaterThanOrEqual(6);
  await expect(page.getByRole("cell", { name: "v0.5.0-staging.1" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Audit");
  await page.screenshot({ path: "test-results/screenshots/calendar.png", fullPage: true });
});

test("filtering by track happens in the hydrated page, without a reload", async ({ page }) => {
  await page.goto("/calendar");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const all = await rows(page).count();
  // A full page load would wipe this marker.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  await page.getByRole("link", { name: "staging", exact: true }).click();
  await expect(page).toHaveURL(/\/calendar\?track=staging$/);
  await expect(rows(page).first()).toHaveAttribute("data-track", "staging");
  const staging = await rows(page).count();
  expect(staging).toBeGreaterThan(0);
  expect(staging).toBeLessThan(all);
  for (const track of await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-track")))) {
    expect(track).toBe("staging");
  }
  await expect(page.getByRole("link", { name: "staging", exact: true })).toHaveAttribute("aria-current", "true");
  await expect(page.getByRole("link", { name: "dev", exact: true })).not.toHaveAttribute("aria-current", /.*/);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);

  await page.getByRole("link", { name: "All tracks" }).click();
  await expect(rows(page)).toHaveCount(all);
  await expect(page.getByRole("link", { name: "All tracks" })).toHaveAttribute("aria-current", "true");
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test("the dashboard shows the next train of each track", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  await expect(page.getByText(/^cut in /).first()).toBeVisible();
  await expect(page.getByText("No planned train: this track runs on demand.")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });
});

test("an unknown address answers 404 with a way back", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.getByRole("link", { name: "Back to the dashboard" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
});

test("the page loads its wasm under the Content-Security-Policy without violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") violations.push(msg.text());
  });
  await page.goto("/calendar");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  expect(violations).toEqual([]);
});
