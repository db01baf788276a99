import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { signIn } from "./support";

// Runs in the project with JavaScript disabled: the server's HTML must stand alone.

test("without JavaScript the calendar still lists the trains", async ({ page }) => {
  await page.goto("/calendar");
  const rows = page.getByRole("table", { name: "Upcoming trains" }).locator("tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(6);
  await expect(page.getByRole("cell", { name: "v0.5.0-staging.1" })).toBeVisible();
  await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
});

test("without JavaScript the track filter is a plain link the server answers", async ({ page }) => {
  await page.goto("/calendar");
  await page.getByRole("link", { name: "dev", exact: true }).click();
  await expect(page).toHaveURL(/\/calendar\?track=dev$/);
  const tracks = await page
    .getByRole("table", { name: "Upcoming trains" })
    .locator("tbody tr")
    .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-track")));
  expect(tracks.length).toBeGreaterThan(0);
  expect(new Set(tracks)).toEqual(new Set(["dev"]));
});

test("without JavaScript the month view and its navigation work", async ({ page }) => {
  await page.goto("/calendar");
  await page.getByRole("link", { name: "Month" }).click();
  await expect(page.locator('td[aria-current="date"]')).toContainText("Today");
  const label = await page.getByTestId("month-label").textContent();
  await page.getByRole("link", { name: /→$/ }).click();
  await expect(page.getByTestId("month-label")).not.toHaveText(label!);
});

test("without JavaScript the dashboard, the trains list and a train page read completely", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("table", { name: "Trains in flight" })).toContainText("curve-2.1-rollout");
  // Sorting and filtering are links and a GET form the server answers.
  await page.getByRole("link", { name: "Progress" }).click();
  await expect(page).toHaveURL(/sort=progress/);
  await page.getByLabel("Blocked only").check();
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/blocked=1&sort=progress/);
  await expect(page.getByRole("table", { name: "Trains in flight" })).toContainText("curve-2.1-rollout");
  await page.goto("/trains");
  await page.getByLabel("State").selectOption("rolled_back");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("table", { name: "Trains" }).locator("tbody tr")).toHaveCount(1);
  await page.getByRole("link", { name: "scenario-1.9-rollout" }).click();
  await expect(page.getByTestId("train-state")).toHaveText("rolled back");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("executing → rolled back");
  await page.goto("/trains/backtesting-3.0-rollout");
  await expect(page.getByTestId("promotion-panel")).toContainText("Promote to");
  await expect(page.getByTestId("env-dev")).toHaveAttribute("data-state", /running|rolled back/);
  await page.goto("/trains/curve-2.1-rollout");
  await expect(page.getByTestId("blocked-panel")).toContainText("Gate critical-vulns fails for scenario");
  await page.getByTestId("cell-scenario-critical-vulns").click();
  await expect(page.getByRole("heading", { name: "History: scenario × critical-vulns" })).toBeVisible();
});

test("without JavaScript an owner's edit form posts, shows its field error in place, then saves", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/calendar");
  const editable = page.getByRole("link", { name: /^Edit / }).first();
  const tag = (await editable.getAttribute("aria-label"))!.replace(/^Edit /, "");
  await editable.click();
  await page.getByLabel("Who watches this train").fill("@TBD");
  await page.getByRole("button", { name: "Save on-call" }).click();
  await expect(page.locator("#on_call-error")).toContainText("is nobody");
  await page.getByLabel("Who watches this train").fill("@erin");
  await page.getByRole("button", { name: "Save on-call" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await expect(page.getByTestId(`row-${tag}`)).toContainText("@erin");
});

test("without JavaScript the evidence pages read completely and the SBOM search is a plain GET", async ({ page }) => {
  await page.goto("/evidence");
  await page.getByRole("link", { name: "curve-1.9.3-release" }).click();
  await expect(page.getByTestId("seal")).toContainText("Sealed");
  await page.getByRole("link", { name: "curve.cdx.json", exact: true }).click();
  await page.getByLabel("Search components").fill("tokio");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=tokio$/);
  const rows = page.getByRole("table", { name: "Components" }).locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("pkg:cargo/tokio@1.47.1");
  await page.goto("/trains/curve-2.1-rollout/evidence/junit.xml");
  const failing = page.getByTestId("failing-case").nth(1);
  await failing.getByText("curve.store.SnapshotTest › reads_from_replica").click();
  await expect(failing.getByText("connection refused (os error 111)").first()).toBeVisible();
  await expect(page.locator("html")).not.toHaveAttribute("data-hydrated", "true");
});

test("without JavaScript a captain's upload form posts and comes back with the outcome", async ({ page }) => {
  await signIn(page, "carl");
  await page.goto("/trains/curve-2.1-rollout/evidence");
  await page.getByLabel("File").setInputFiles({
    name: "scenario.cdx.json",
    mimeType: "application/json",
    buffer: readFileSync(path.resolve(__dirname, "../../server/tests/fixtures/evidence/scenario.cdx.json")),
  });
  await page.getByLabel("Kind").selectOption("cyclonedx_sbom");
  await page.getByLabel("Participant").selectOption("scenario");
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page).toHaveURL(/\/trains\/curve-2\.1-rollout\/evidence\?uploaded=scenario\.cdx\.json$/);
  await expect(page.getByTestId("upload-done")).toContainText("Uploaded scenario.cdx.json");
  await expect(page.getByTestId("evidence-completeness")).not.toContainText("no SBOM for participant scenario");
});
