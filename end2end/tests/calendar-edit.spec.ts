import { expect, test, type Page } from "@playwright/test";
import { signIn, utcInput } from "./support";

const rows = (page: Page) => page.getByRole("table", { name: "Upcoming trains" }).locator("tbody tr");

// The tag of an editable row: the last one the skip rule warns about, or the
// first one it does not.
async function editableTag(page: Page, hasWarning: boolean): Promise<string> {
  let candidates = rows(page).filter({ has: page.getByRole("link", { name: /^Edit / }) });
  candidates = hasWarning
    ? candidates.filter({ has: page.getByTestId("skip-warning") })
    : candidates.filter({ hasNot: page.getByTestId("skip-warning") });
  const row = hasWarning ? candidates.last() : candidates.first();
  const testId = await row.getAttribute("data-testid");
  return testId!.replace(/^row-/, "");
}

test("an owner assigns an on-call, skips a train with a reason and adds a freeze; the calendar and its feed show them", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/calendar");
  await expect(page.getByTestId("owner-tools")).toBeVisible();

  // The demo leaves one train unwatched: the skip rule warns about it.
  const unwatched = await editableTag(page, true);
  await page.getByRole("link", { name: `Edit ${unwatched}` }).click();
  await page.getByLabel("Who watches this train").fill("@dana");
  await page.getByRole("button", { name: "Save on-call" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await page.reload();
  const watched = page.getByTestId(`row-${unwatched}`);
  await expect(watched).toContainText("@dana");
  await expect(watched.getByTestId("skip-warning")).toHaveCount(0);

  // A skip needs a reason: the form says so next to the field.
  const skipped = await editableTag(page, false);
  await page.getByRole("link", { name: `Edit ${skipped}` }).click();
  await page.getByRole("button", { name: `Skip ${skipped}` }).click();
  await expect(page.getByRole("alert").filter({ hasText: "give a reason" })).toBeVisible();
  await page.getByLabel("Reason (required)").fill("validators on a chain upgrade drill");
  await page.getByRole("button", { name: `Skip ${skipped}` }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await page.reload();
  await expect(page.getByTestId(`row-${skipped}`)).toContainText("Skipped");
  await expect(page.getByTestId(`row-${skipped}`)).toContainText("validators on a chain upgrade drill");

  // A freeze window on staging.
  await page.getByRole("link", { name: "Add a freeze window" }).click();
  await page.getByLabel("Starts (UTC)").fill(utcInput(30));
  await page.getByLabel("Ends (UTC)").fill(utcInput(31));
  await page.getByLabel("Reason").fill("genesis re-roll on mtest");
  await page.getByLabel("staging").check();
  await page.getByRole("button", { name: "Save freeze window" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await page.reload();
  const freeze = page.getByTestId("freeze-window").filter({ hasText: "genesis re-roll on mtest" });
  await expect(freeze).toContainText("staging");
  await page.screenshot({ path: "test-results/screenshots/calendar-owner.png", fullPage: true });

  // Calendar clients see the same.
  const feed = await (await page.request.get("/calendar.ics")).text();
  const event = (tag: string) => feed.split("BEGIN:VEVENT").find((e) => e.includes(`UID:train-${tag}@`)) ?? "";
  expect(event(unwatched)).toContain("(on-call @dana)");
  expect(event(skipped)).toContain("STATUS:CANCELLED");
  expect(event(skipped).replace(/\r\n /g, "")).toContain("validators on a chain upgrade drill");
});

test("an owner previews a cadence in a time zone before saving it", async ({ page }) => {
  await signIn(page, "olivia");
  await page.goto("/calendar/tracks/staging");
  await expect(page.getByRole("heading", { name: "The staging track's cadence" })).toBeVisible();
  await page.getByLabel("At", { exact: true }).fill("15:30");
  await page.getByLabel("Time zone").fill("Europe/Berlin");
  await page.getByRole("button", { name: "Preview the next dates" }).click();
  const described = "Bi-weekly, alternate Wednesdays 15:30 Europe/Berlin";
  await expect(page.getByRole("heading", { name: `Preview: ${described}` })).toBeVisible();
  await expect(page.getByRole("list", { name: "Next dates" }).locator("li")).toHaveCount(6);
  await page.getByRole("button", { name: `Save: ${described}` }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await expect(page.getByText(described)).toBeVisible();
});

test("a viewer sees no edit controls and a forged edit request is refused", async ({ page, baseURL }) => {
  await signIn(page, "val");
  await page.goto("/calendar");
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByTestId("owner-tools")).toHaveCount(0);
  await expect(page.getByRole("link", { name: /^Edit / })).toHaveCount(0);
  const open = rows(page).filter({ hasNotText: "Skipped" }).first();
  const tag = (await open.getAttribute("data-testid"))!.replace(/^row-/, "");

  const forged = await page.request.post("/sfn/calendar/skip", {
    form: { name: tag, reason: "forged" },
    headers: { origin: baseURL! },
  });
  expect(forged.status()).toBe(403);
  expect(await forged.text()).toContain("may not edit the calendar");
  await page.goto(`/calendar/trains/${tag}`);
  await expect(page.getByText("Only calendar owners can change trains on the calendar.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^Skip / })).toHaveCount(0);
  await page.goto("/calendar");
  await expect(page.getByTestId(`row-${tag}`)).not.toContainText("Skipped");
});
