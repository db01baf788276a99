import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// An admin adds an environment of their own, sends a new track's releases
// through it, and cannot remove it while that track needs it.
test("an admin adds an environment and a track whose pipeline goes through it", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const env = `qa-${suffix}`;
  const track = `qa-lane-${suffix}`;
  await signIn(page, "adam");
  await page.goto("/admin/policies");
  await page.getByLabel("Name").fill(env);
  await page.getByLabel("Kind").selectOption("pre-production");
  await page.getByRole("button", { name: "Add the environment" }).click();
  const row = page.getByTestId(`policy-${env}`);
  await expect(row.getByTestId("policy-summary")).toContainText(`1 approval by approver:${env}`);
  await expect(row.getByTestId("environment-about")).toContainText("pre-production");

  await page.goto("/admin/tracks/new");
  await page.getByLabel(/^Name/).fill(track);
  await page.getByRole("checkbox", { name: "On demand: no planned trains" }).check();
  await page.getByLabel(/^Pipeline/).fill(`dev, ${env}`);
  await page.getByRole("checkbox", { name: /^Direct lane/ }).check();
  await page.getByLabel("Approvals a direct lane asks for").fill("1");
  await page.getByRole("button", { name: "Add the track" }).click();
  await page.goto("/admin/tracks");
  await expect(page.getByTestId(`track-${track}`)).toContainText(`straight to ${env} (1 approval)`);

  await page.goto("/admin/policies");
  await row.getByText(`Remove ${env}…`).click();
  await row.getByLabel("Why").fill("the QA lab closes");
  await row.getByRole("button", { name: `Remove ${env}` }).click();
  await expect(page.getByText(`${env} is in the pipeline of ${track}`)).toBeVisible();
  await expect(row).toBeVisible();
});
