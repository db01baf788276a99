import { expect, test } from "@playwright/test";
import { ciToken, hydrated, markDocument, sameDocument, signIn, utcInMinutes } from "./support";

test.use({ timezoneId: "Europe/Berlin" });

test("the dashboard shows trains in flight, freezes, rollbacks and each track's next train", async ({ page }) => {
  await page.goto("/");
  const inFlight = page.getByRole("table", { name: "Trains in flight" });
  const curve = inFlight.getByRole("row", { name: /curve-2\.1-rollout/ });
  await expect(curve).toContainText("Stabilisation");
  await expect(curve).toContainText("5 blockers");
  // Blocked trains come first, under their own heading.
  await expect(inFlight.getByRole("rowheader").first()).toHaveText(/^Blocked · \d+$/);
  // The filters narrow the table without losing the counts.
  await page.getByRole("link", { name: /^Blocked \d+$/ }).click();
  await expect(page).toHaveURL(/blocked=1/);
  await expect(page.getByRole("link", { name: /^Blocked \d+$/ })).toHaveAttribute("aria-current", "true");
  await expect(inFlight).toContainText("curve-2.1-rollout");
  await page.getByRole("link", { name: /^validating \d+$/ }).click();
  await expect(page).toHaveURL(/state=validating/);
  await expect(inFlight).toContainText("curve-2.1-rollout");
  await expect(inFlight).not.toContainText("backtesting-3.0-rollout");
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Freeze windows now" })).toContainText("validator node upgrade");
  await expect(page.getByRole("list", { name: "Recent rollbacks" })).toContainText("scenario-1.9-rollout");
  await expect(page.getByText(/^cut in /).first()).toBeVisible();
  await page.getByRole("link", { name: "curve-2.1-rollout" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "curve-2.1-rollout" })).toBeVisible();
  await page.goto("/");
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });
});

test("the gate matrix of a seeded train shows each cell's colour, details on focus, and its history on click", async ({ page }) => {
  await page.goto("/trains/curve-2.1-rollout");
  const cell = (p: string, g: string) => page.getByTestId(`cell-${p}-${g}`);
  await expect(cell("curve", "quality")).toHaveAttribute("data-status", "passed");
  await expect(cell("curve", "quality")).toHaveClass(/bg-emerald-100/);
  await expect(cell("backtesting", "quality")).toHaveAttribute("data-status", "failed");
  await expect(cell("backtesting", "quality")).toHaveClass(/bg-rose-100/);
  await expect(cell("scenario", "critical-vulns")).toHaveAttribute("data-status", "failed");
  await expect(cell("backtesting", "quality")).toContainText("72");

  await cell("backtesting", "quality").focus();
  const tip = cell("backtesting", "quality").getByRole("tooltip");
  await expect(tip).toBeVisible();
  await expect(tip).toContainText("quality_score is 72, needs >= 80");
  await expect(tip).toContainText("reported");
  await expect(tip).toContainText("https://ci.example/backtesting/quality_score");

  await cell("backtesting", "quality").click();
  const history = page.getByTestId("cell-history");
  await expect(history.getByRole("heading", { name: "History: backtesting × quality" })).toBeVisible();
  await expect(history).toContainText("Rule: quality_score >= 80");
  await expect(history.getByRole("table", { name: "Reports" }).locator("tbody tr")).toHaveCount(1);
  await page.screenshot({ path: "test-results/screenshots/train.png", fullPage: true });
});

test("the blocked panel lists the failing gates and a freeze an owner adds, in one place", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/calendar/freezes/new");
  await page.getByLabel("Starts (UTC)").fill(utcInMinutes(-2));
  await page.getByLabel("Ends (UTC)").fill(utcInMinutes(120));
  await page.getByLabel("Reason").fill("exchange cut-over");
  await page.getByRole("button", { name: "Save freeze window" }).click();
  await expect(page).toHaveURL(/\/calendar$/);

  await page.goto("/trains/curve-2.1-rollout");
  const panel = page.getByTestId("blocked-panel");
  await expect(panel.getByRole("heading", { name: "Why is this blocked?" })).toBeVisible();
  await expect(panel).toContainText("Gate quality fails for backtesting");
  await expect(panel).toContainText("Gate critical-vulns fails for scenario");
  await expect(panel).toContainText("Freeze window: exchange cut-over");
  await expect(panel).toContainText(/until .* your time/);

  // The owner lifts it again; the train page no longer lists it.
  await page.goto("/calendar");
  await page.getByRole("link", { name: "Edit freeze window: exchange cut-over" }).click();
  await page.getByText("Remove this freeze window…").click();
  await page.getByRole("button", { name: "Remove freeze: exchange cut-over" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await page.goto("/trains/curve-2.1-rollout");
  await expect(page.getByTestId("blocked-panel")).not.toContainText("exchange cut-over");
});

test("a gate result posted through the API appears on an open train page without a reload", async ({ page, request }) => {
  const token = ciToken("e2e-live", "gates:write");
  await page.goto("/trains/curve-2.1-rollout");
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toHaveText("● Live");
  await markDocument(page);
  const cell = page.getByTestId("cell-backtesting-quality");
  await expect(cell).toHaveAttribute("data-status", "failed");

  const posted = await request.post("/api/v1/release-trains/curve-2.1-rollout/gate-results", {
    headers: { authorization: `Bearer ${token}` },
    data: { results: [{ participant: "backtesting", gate: "quality_score", value: 88, source: "ci #e2e" }] },
  });
  expect(posted.status()).toBe(200);
  await expect(cell).toHaveAttribute("data-status", "passed", { timeout: 3_000 });
  await expect(cell).toContainText("88");
  await expect(page.getByTestId("blocked-panel")).not.toContainText("Gate quality fails for backtesting");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("backtesting quality_score 88");
  expect(await sameDocument(page)).toBe(true);
});

test("a captain moves a train on after confirming, and the timeline records who and why", async ({ page }) => {
  await signIn(page, "carl");
  await page.goto("/trains/Q4-curve-upgrade");
  await hydrated(page);
  await page.getByText("Pause…").click();
  await page.getByRole("button", { name: "Confirm: pause Q4-curve-upgrade" }).click();
  await expect(page.getByTestId("train-state")).toContainText("paused");
  await page.getByText("Resume (planning)…").click();
  await page.getByRole("button", { name: "Confirm: resume (planning) Q4-curve-upgrade" }).click();
  await expect(page.getByTestId("train-state")).toHaveText("planning");
  const timeline = page.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("planning → paused");
  await expect(timeline).toContainText("paused → planning");
  await expect(timeline.locator("li").first()).toContainText("carl");
});

test("the trains list filters by state and shows times in UTC and the viewer's zone", async ({ page }) => {
  await page.goto("/trains");
  await expect(page.getByTestId("trains-summary")).toContainText("newest planned first");
  await page.getByLabel("State").selectOption("rolled_back");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/state=rolled_back/);
  const table = page.getByRole("table", { name: "Trains" });
  await expect(table.locator("tbody tr")).toHaveCount(1);
  await expect(table).toContainText("scenario-1.9-rollout");
  await page.goto("/calendar");
  await hydrated(page);
  await expect(page.getByTestId("local-time").first()).toContainText(/CET|CEST|GMT\+1|GMT\+2/);
  await page.goto("/calendar?view=month");
  await expect(page.locator('td[aria-current="date"]')).toContainText("Today");
  await page.screenshot({ path: "test-results/screenshots/calendar-month.png", fullPage: true });
  await page.goto("/trains");
  await page.screenshot({ path: "test-results/screenshots/trains.png", fullPage: true });
});
