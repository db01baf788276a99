import { expect, test, type Browser, type Page } from "@playwright/test";
import { hydrated, signIn } from "./support";

const TRAIN = "/trains/backtesting-3.0-rollout";

async function as(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

test("a train goes from dev to stage to prod through the clicks of a captain and two approvers", async ({ browser }) => {
  test.setTimeout(90_000);
  // The test configuration: prod's wait timer is 5 seconds instead of 10 minutes.
  const adam = await as(browser, "adam");
  await adam.goto("/admin/policies");
  const prodPolicy = adam.getByTestId("policy-prod");
  await expect(prodPolicy.getByTestId("policy-summary")).toContainText("2 approvals by approver:prod · 600 s wait");
  await prodPolicy.getByText("Change the prod policy…").click();
  await prodPolicy.getByLabel("Wait timer (seconds)").fill("5");
  await prodPolicy.getByRole("button", { name: "Save the prod policy" }).click();
  await expect(prodPolicy.getByTestId("policy-summary")).toContainText("5 s wait");

  // Stage: the demo's request waits for ana.
  const ana = await as(browser, "ana");
  await ana.goto("/");
  await expect(ana.getByRole("list", { name: "Waiting for your approval" })).toContainText("backtesting-3.0-rollout → stage");
  await ana.goto(TRAIN);
  await hydrated(ana);
  await expect(ana.getByTestId("blocked-panel")).toContainText("Approvals for stage: 0 of 1");
  await ana.getByText("Approve…").click();
  await ana.getByLabel("Comment (optional)").fill("smoke and k6 green");
  await ana.getByRole("button", { name: "Approve promotion of backtesting-3.0-rollout to stage" }).click();
  await expect(ana.getByTestId("env-stage")).toHaveAttribute("data-state", "running");

  // Prod: the captain asks, two approvers agree in their own browsers.
  const carl = await as(browser, "carl");
  await carl.goto(TRAIN);
  await hydrated(carl);
  await expect(carl.getByText("Approve…")).toHaveCount(0);
  await carl.getByText("Request promotion to prod…").click();
  await carl.getByLabel("What is promoted, and why").fill("stage soaked clean; weekly train 48");
  await carl.getByRole("button", { name: "Confirm: request promotion of backtesting-3.0-rollout to prod" }).click();
  await expect(carl.getByTestId("request-state")).toHaveText("open");
  await expect(carl.getByTestId("approval-count")).toContainText("Approvals: 0 of 2");

  const ben = await as(browser, "ben");
  await ana.goto(TRAIN);
  await ana.getByText("Approve…").click();
  await ana.getByRole("button", { name: "Approve promotion of backtesting-3.0-rollout to prod" }).click();
  await expect(ana.getByTestId("approval-count")).toContainText("Approvals: 1 of 2");
  await ben.goto(TRAIN);
  await hydrated(ben);
  await ben.getByText("Approve…").click();
  await ben.getByLabel("Comment (optional)").fill("ok from SRE");
  await ben.getByRole("button", { name: "Approve promotion of backtesting-3.0-rollout to prod" }).click();
  await expect(ben.getByTestId("countdown")).toBeVisible();
  await ben.screenshot({ path: "test-results/screenshots/promotion-wait.png", fullPage: true });

  // The wait timer runs out; the scheduler promotes; every open page follows.
  await expect(carl.getByTestId("env-prod")).toHaveAttribute("data-state", "running", { timeout: 20_000 });
  await expect(carl.getByTestId("request-state")).toHaveText("promoted");
  await expect(carl.getByRole("list", { name: "Timeline" })).toContainText("promoted to prod");
  await expect(carl.getByRole("list", { name: "Approvals" })).toContainText("ok from SRE");
  await carl.screenshot({ path: "test-results/screenshots/promotion.png", fullPage: true });

  // A rollback of prod, with its reason, in the timeline and the audit trail.
  await carl.getByText("Roll back…").click();
  await carl.getByLabel("What to roll back").selectOption("prod");
  await expect(carl.getByRole("list", { name: "Rollback plan" })).toContainText("scenario: 3.0.0 → 2.4.1");
  await carl.getByLabel("Why roll back (required)").fill("p95 latency above 1.5 s after the cut-over");
  await carl.getByRole("button", { name: "Confirm rollback of backtesting-3.0-rollout" }).click();
  await expect(carl.getByTestId("env-prod")).toHaveAttribute("data-state", "rolled back");
  const timeline = carl.getByRole("list", { name: "Timeline" });
  await expect(timeline).toContainText("scenario rolled back 3.0.0 → 2.4.1 in prod");
  await expect(timeline).toContainText("p95 latency above 1.5 s after the cut-over");
  await carl.goto("/audit?train=backtesting-3.0-rollout&action=train.rollback_environment");
  await expect(carl.getByRole("table", { name: "Audit records" })).toContainText("p95 latency above 1.5 s after the cut-over");
  await carl.goto("/");
  await expect(carl.getByRole("list", { name: "Recent rollbacks" })).toContainText("backtesting-3.0-rollout");
});

test("a viewer sees the promotion panel but no decision to take", async ({ page }) => {
  await signIn(page, "val");
  await page.goto(TRAIN);
  await expect(page.getByTestId("promotion-panel")).toBeVisible();
  await expect(page.getByText("Approve…")).toHaveCount(0);
  await expect(page.getByText(/^Request promotion/)).toHaveCount(0);
  await expect(page.getByText("Roll back…")).toHaveCount(0);
});
