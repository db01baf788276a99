import { expect, test, type APIRequestContext } from "@playwright/test";
import { ciToken, signIn } from "./support";

type Entry = { track: string; at: string; train: string | null; status: string };

// `YYYY-MM-DDTHH:MM` (UTC) of an ISO time moved by `days`.
function shifted(at: string, days: number): string {
  return new Date(Date.parse(at) + days * 86_400_000).toISOString().slice(0, 16);
}

async function put(request: APIRequestContext, auth: Record<string, string>, path: string, data: object) {
  const response = await request.put(path, { headers: auth, data });
  expect(response.status(), `${path} ${JSON.stringify(data)}: ${await response.text()}`).toBe(200);
}

test("the calendar says which trains were cut, done, postponed and skipped, and the train page lists its tags and branch", async ({ page, request }) => {
  const token = ciToken("e2e-living-calendar", "trains:write,gates:write");
  const auth = { authorization: `Bearer ${token}` };
  const entries: Entry[] = await (await request.get("/api/v1/calendar", { headers: auth })).json();
  const open = (track: string) =>
    entries.filter((e) => e.track === track && e.status === "open" && e.train).map((e) => e as Entry & { train: string });
  // The first trains are other tests'; these are this one's.
  const [done, cut, postponed] = open("dev").slice(1, 4);
  const skipped = open("staging")[1];

  // A captain starts two trains by hand, which cuts them; one runs to the end.
  for (const train of [done, cut]) {
    await put(request, auth, `/api/v1/release-trains/${train.train}/gates`, { gates: [] });
    await put(request, auth, `/api/v1/release-trains/${train.train}`, { status: "validating" });
  }
  for (const status of ["staging", "executing", "verifying", "completed"]) {
    await put(request, auth, `/api/v1/release-trains/${done.train}`, { status });
  }

  // An owner postpones one past its slot, and skips another.
  await signIn(page, "olivia");
  await page.goto(`/calendar/trains/${postponed.train}`);
  await page.getByLabel("New date and time (UTC)").fill(shifted(postponed.at, 2));
  await page.getByLabel("Why").fill("validators re-roll the set");
  await page.getByRole("button", { name: "Move train" }).click();
  await expect(page.getByText("a postponement needs a category")).toBeVisible();
  // The form comes back with the error next to the field; fill it again.
  await page.getByLabel("New date and time (UTC)").fill(shifted(postponed.at, 2));
  await page.getByLabel("Why").fill("validators re-roll the set");
  await page.getByLabel("Postponement category").fill("chain-ops conflict");
  await page.getByRole("button", { name: "Move train" }).click();
  await expect(page).toHaveURL(/\/calendar$/);
  await page.goto(`/calendar/trains/${skipped.train}`);
  await page.getByLabel("Reason (required)").fill("nobody from the validator team is around");
  await page.getByRole("button", { name: `Skip ${skipped.train}` }).click();
  await expect(page).toHaveURL(/\/calendar$/);

  await page.goto("/calendar");
  const row = (name: string) => page.getByTestId(`row-${name}`);
  await expect(row(done.train)).toContainText("Done");
  await expect(row(done.train)).toContainText(/release\/\d{4}\.\d{2}-wk\d/);
  await expect(row(cut.train)).toContainText("Cut");
  await expect(row(postponed.train)).toContainText("Postponed");
  await expect(row(postponed.train)).toContainText("validators re-roll the set");
  await expect(row(postponed.train)).toContainText("category: chain-ops conflict");
  await expect(row(skipped.train)).toContainText("Skipped");
  await expect(row(skipped.train)).toContainText("nobody from the validator team is around");
  await expect(page.getByRole("table", { name: "Upcoming trains" })).toContainText("Open");
  await page.screenshot({ path: "test-results/screenshots/calendar-statuses.png", fullPage: true });

  await page.goto(`/trains/${done.train}`);
  await expect(page.getByTestId("release-branch")).toHaveText(/^release\/\d{4}\.\d{2}-wk\d$/);
  const tags = page.getByRole("list", { name: "Tag history" });
  await expect(tags).toContainText(done.train);
  await expect(tags).toContainText("cut");
  await expect(page.getByRole("list", { name: "Timeline" })).toContainText(`cut ${done.train} on release/`);
});
