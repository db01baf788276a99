import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// An admin adds seed 002's thresholds as a template with one click, writes
// a template of their own, and points a track at it.
test("an admin adds gate templates and gives a track one", async ({ page }) => {
  const name = `checks-${Date.now().toString(36)}`;
  await signIn(page, "adam");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Gate templates" }).click();
  await page.getByRole("button", { name: "Add seed 002's quality thresholds" }).click();
  await expect(page.getByTestId("template-seed-002-quality").getByTestId("template-summary")).toContainText("4 gates");

  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel(/^Gates \(YAML:/).fill("- check: build\n- check: unit-tests\n");
  await page.getByRole("button", { name: "Add the template" }).click();
  await expect(page.getByTestId(`template-${name}`).getByTestId("template-summary")).toContainText("2 gates · no track uses it");

  await page.goto("/admin/tracks/dev");
  await page.getByLabel(/^Gate template/).fill(name);
  await page.getByRole("button", { name: "Save the track" }).click();
  await expect(page.getByLabel(/^Gate template/)).toHaveValue(name);
  await page.goto("/admin/gates");
  await expect(page.getByTestId(`template-${name}`).getByTestId("template-summary")).toContainText("used by dev");
});
