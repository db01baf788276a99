import { expect, test, type Page } from "@playwright/test";
import { ciToken } from "./support";

// The 30-day review's page: seed 003's success metrics with their targets,
// the four DORA charts and the deploy heat-maps, drawn on the server, so
// the page reads the same with and without JavaScript; its filters are a
// plain form.

async function reportSurpriseDeploy(request: import("@playwright/test").APIRequestContext) {
  const stamp = Date.now().toString(36);
  const cd = ciToken(`e2e-metrics-${stamp}`, "deployments:write");
  const reported = await request.post("/api/v1/deployments", {
    headers: { authorization: `Bearer ${cd}` },
    data: {
      service: "backtesting", version: `0.0.2-e2e.${stamp}`, environment: "staging",
      status: "succeeded", pipeline_run_id: `e2e-metrics-${stamp}`,
    },
  });
  expect(reported.status(), await reported.text()).toBe(201);
}

async function expectTheReview(page: Page) {
  await expect(page.getByRole("heading", { level: 1, name: "Metrics" })).toBeVisible();
  const table = page.getByRole("table", { name: "Success metrics" });
  await expect(table.getByRole("row")).toHaveCount(5);
  await expect(table).toContainText("Predictable cadence");
  await expect(table).toContainText("≥ 70 %");
  await expect(table).toContainText("PIR usability");
  for (const name of ["Deployment frequency", "Lead time for changes", "Change failure rate", "Time to restore service"]) {
    await expect(page.locator("figure", { hasText: name })).toBeVisible();
  }
  await expect(page.getByRole("img", { name: "Chart of Deployment frequency" }).locator("svg")).toBeVisible();
  await expect(page.getByRole("img", { name: "Calendar of Unscheduled deploys" }).locator("svg rect").first()).toBeVisible();
  const unscheduled = page.locator("[data-heatmap=unscheduled]").getByTestId("heatmap-total");
  expect(Number(await unscheduled.textContent())).toBeGreaterThan(0);
}

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the metrics page is whole, charts included", async ({ page, request }) => {
    await reportSurpriseDeploy(request);
    await page.goto("/metrics");
    await expectTheReview(page);
    await page.screenshot({ path: "test-results/screenshots/metrics.png", fullPage: true });
  });
});

test("the metrics filters narrow the window and the service", async ({ page, request }) => {
  await reportSurpriseDeploy(request);
  await page.goto("/metrics");
  await expectTheReview(page);
  const form = page.getByRole("form", { name: "Window and filters" });
  await form.getByLabel("Days").fill("7");
  await form.getByLabel("Service").selectOption("backtesting");
  await form.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page).toHaveURL(/service=backtesting/);
  await expect(page.getByTestId("metrics-window")).toContainText("(7 days, daily)");
  await expect(page.getByRole("img", { name: "Calendar of Unscheduled deploys" })).toBeVisible();
});
