import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("a captain signs in through the provider, is recorded in the audit trail, and signs out", async ({ page }) => {
  await signIn(page, "carl");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Carl Captain");
  await expect(page.getByTestId("signed-in-roles")).toHaveText("captain");
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);

  await page.goto("/audit?action=auth.login&who=carl");
  const records = page.getByRole("table", { name: "Audit records" }).locator("tbody tr");
  await expect(records.first()).toContainText("auth.login");
  await expect(records.first()).toContainText("Carl Captain");
  await page.screenshot({ path: "test-results/screenshots/audit.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  // The provider's session ended too: signing in asks for the password again.
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("a wrong password is refused by the provider", async ({ page }) => {
  await signIn(page, "carl", "guess");
  await expect(page.getByRole("alert")).toHaveText("Invalid username or password");
});

test("an admin creates and revokes a CI token and verifies the audit chain", async ({ page }) => {
  await signIn(page, "adam");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Adam Admin");
  await page.getByRole("link", { name: "Admin" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");

  await page.getByLabel("Name").fill("ci-e2e");
  await page.getByLabel("gates:write").check();
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^tyd_[0-9a-f]{64}$/);
  const row = page.getByRole("table", { name: "Tokens" }).getByRole("row", { name: /ci-e2e/ });
  await expect(row).toContainText("gates:write");
  await expect(row).toContainText("active");

  await row.getByRole("button", { name: "Revoke ci-e2e" }).click();
  await expect(row).toContainText("revoked");

  await page.getByRole("button", { name: "Verify the audit chain" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Intact" })).toContainText(/all \d+ records match/);
  await page.screenshot({ path: "test-results/screenshots/admin.png", fullPage: true });
});

test("a viewer is told why the admin page is refused", async ({ page }) => {
  await signIn(page, "val");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Val Viewer");
  await page.goto("/admin");
  await expect(page.getByRole("alert").first()).toContainText("you may not manage tokens");
  await expect(page.getByRole("alert").first()).toContainText("admin role");
});
