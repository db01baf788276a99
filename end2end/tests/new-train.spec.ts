import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./support";

// A captain creates a train by hand, lands on its page, and changes its
// gates while it is in planning.
test("a captain creates a train on /trains/new and edits its gates in planning", async ({ page }) => {
  const name = `by-hand-${Date.now().toString(36)}`;
  await signIn(page, "carl");
  await page.goto("/trains");
  await page.getByRole("link", { name: "New train" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Target version").fill("3.2.0");
  await page.getByLabel(/^Participants/).fill("scenario 3.2.0 3.1.0\ncurve 3.2.0 3.1.0\n");
  await page.getByLabel("Captain").fill("carl");
  await page.getByRole("button", { name: "Create the train" }).click();
  await expect(page).toHaveURL(new RegExp(`/trains/${name}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  await expect(page.locator("body")).toContainText("scenario");

  await hydrated(page);
  await page.getByText("Change the gates…").click();
  await page.getByLabel("Gates (YAML)").fill("- check: build\n- check: e2e-tests\n");
  await page.getByRole("button", { name: `Save the gates of ${name}` }).click();
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText("gates set: build, e2e-tests");
});
