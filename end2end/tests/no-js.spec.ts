import { expect, test } from "@playwright/test";
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
  await expect(page.getByRole("list", { name: "Trains in flight" })).toContainText("curve-2.1-rollout");
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
