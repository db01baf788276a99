import { expect, test } from "@playwright/test";

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
