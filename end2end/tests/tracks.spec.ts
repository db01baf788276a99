import { expect, test } from "@playwright/test";
import { signIn } from "./support";

// An admin sets up a lane of their own: a weekly cadence in a time zone, a
// pipeline and release candidates, then sees the trains it plans on the
// calendar.
test("an admin adds a track with a cadence and a pipeline and sees the trains it plans on the calendar", async ({ page }) => {
  const name = `lane-${Date.now().toString(36)}`;
  await signIn(page, "adam");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Tracks", exact: true }).click();
  await page.getByRole("link", { name: "Add a track" }).click();
  await page.getByLabel(/^Name/).fill(name);
  await page.getByLabel("Description").fill("Our own weekly train");
  await page.getByLabel("Colour").selectOption("emerald");
  await page.getByLabel("At", { exact: true }).fill("17:00");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByLabel("From").fill(new Date().toISOString().slice(0, 10));
  await page.getByRole("checkbox", { name: "Tuesday" }).check();
  await page.getByLabel("Freeze before the cut (minutes)").fill("120");
  await page.getByLabel(/^Pipeline/).fill("dev, stage");
  await page.getByLabel("Tag template").fill("v{version}-rc{n}");
  await page.getByRole("button", { name: "Add the track" }).click();

  await expect(page).toHaveURL(new RegExp(`/calendar\\?track=${name}$`));
  const rows = page.getByRole("table", { name: "Upcoming trains" }).locator(`tbody tr[data-track="${name}"]`);
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(4);
  await page.goto("/admin/tracks");
  await expect(page.getByTestId(`track-${name}`)).toContainText("Weekly, Tuesday 17:00 Europe/Berlin");
  await expect(page.getByTestId(`track-${name}`)).toContainText("dev → stage");

  // Its settings change on its own page; archiving it skips its planned trains.
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByLabel("Tag template")).toHaveValue("v{version}-rc{n}");
  await expect(page.getByLabel("Colour")).toHaveValue("emerald");
  await expect(page.getByLabel("After each train, the version")).toHaveValue("minor");
  await expect(page.getByLabel("Release branch")).toHaveValue("release/{train_id}");
  await page.getByLabel("Soak before promotion (hours)").fill("24");
  await page.getByRole("button", { name: "Save the track" }).click();
  await expect(page.getByLabel("Soak before promotion (hours)")).toHaveValue("24");
  await page.getByLabel("Why").fill("folded into the weekly train");
  await page.getByRole("button", { name: `Archive ${name}` }).click();
  await expect(page.getByTestId("track-archived")).toContainText("it plans no trains");
  await page.goto(`/calendar?track=${name}`);
  const left = page.getByRole("table", { name: "Upcoming trains" }).locator(`tbody tr[data-track="${name}"]`);
  await expect(left).toHaveCount(0);
});

test("a track without a day is refused next to the field, and a viewer cannot add one", async ({ page }) => {
  await signIn(page, "adam");
  await page.goto("/admin/tracks/new");
  await page.getByLabel(/^Name/).fill(`nodays-${Date.now().toString(36)}`);
  await page.getByLabel("From").fill("2026-12-01");
  await page.getByRole("button", { name: "Add the track" }).click();
  await expect(page.locator("#days-error")).toContainText("pick at least one weekday");

  await page.context().clearCookies();
  await signIn(page, "val");
  await page.goto("/admin/tracks");
  await expect(page.getByRole("table", { name: "Tracks" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Add a track" })).toHaveCount(0);
});
