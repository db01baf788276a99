import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// An admin keeps the service catalog: adds a service with a dependency,
// sees it in the dependency graph, is refused a cycle, and retires it.
test("an admin adds a service with a dependency, sees it in the graph, and retires it", async ({ page }) => {
  const name = `ledger-${Date.now().toString(36)}`;
  await signIn(page, "adam");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Services" }).click();
  await page.getByRole("link", { name: "Add a service" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Description").fill("Books every payment");
  await page.getByLabel("Repository").fill("https://git.example/acme/ledger");
  await page.getByLabel("Owners").fill("group:payments\nalice");
  await page.getByRole("checkbox", { name: "curve", exact: true }).check();
  await page.getByRole("button", { name: "Save service" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/services/${name}$`));
  await expect(page.getByRole("heading", { name: `Service ${name}` })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "curve", exact: true })).toBeChecked();

  await page.goto("/admin/services");
  const graph = page.getByTestId("dependency-graph");
  await expect(graph.locator(`[data-service="${name}"]`)).toHaveCount(1);
  await expect(page.getByTestId(`service-${name}`)).toContainText("curve");
  await expect(page.getByTestId(`service-${name}`)).toContainText("group:payments, alice");

  // curve depending on the new service would close a cycle.
  await page.goto("/admin/services/curve");
  await page.getByRole("checkbox", { name, exact: true }).check();
  await page.getByRole("button", { name: "Save service" }).click();
  await expect(page.locator("#depends_on-error")).toContainText(name);
  await page.goto("/admin/services/curve");
  await expect(page.getByRole("checkbox", { name, exact: true })).not.toBeChecked();

  await page.goto(`/admin/services/${name}`);
  await page.getByLabel("Why").fill("folded into payments");
  await page.getByRole("button", { name: `Retire ${name}` }).click();
  await expect(page.getByText(/^Retired .*: no new train may include it\.$/)).toBeVisible();
});

test("a viewer reads the catalog but cannot change it", async ({ page }) => {
  await signIn(page, "val");
  await page.goto("/admin/services");
  await expect(page.getByTestId("dependency-graph")).toBeVisible();
  await expect(page.getByRole("link", { name: "Add a service" })).toHaveCount(0);
  await page.goto("/admin/services/curve");
  await expect(page.getByText("Only admins change services.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Save service" })).toBeDisabled();
});
