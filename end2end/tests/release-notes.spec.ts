import { expect, test } from "@playwright/test";
import { ciToken, hydrated, signIn } from "./support";

// CI reports what a participant's version brings; the communications
// person sees it on the train's Changes tab, edits the generated notes,
// saves and publishes them, and the published version lands in the
// evidence bundle.
test("communications edits a train's release notes and publishes them into its evidence", async ({ page, request }) => {
  const stamp = Date.now().toString(36);
  const train = `notes-${stamp}`;
  const token = ciToken(`e2e-notes-${stamp}`, "trains:write");
  const auth = { authorization: `Bearer ${token}` };
  const created = await request.post("/api/v1/release-trains", {
    headers: auth,
    data: {
      name: train,
      participants: [{ service: "curve", target_version: "2.2.0", previous_version: "2.1.0" }],
      gates: [],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const reported = await request.post(`/api/v1/release-trains/${train}/changes`, {
    headers: auth,
    data: {
      participant: "curve",
      changes: [
        {
          sha: "0123abcd",
          title: "feat(curve): holiday calendars for EUR",
          author: "ana",
          committed_at: "2026-12-01T09:00:00Z",
          pr_number: 42,
          labels: [],
        },
      ],
    },
  });
  expect(reported.status(), await reported.text()).toBe(200);

  await signIn(page, "cleo");
  await page.goto(`/trains/${train}`);
  await page.getByTestId("tab-changes").click();
  await expect(page).toHaveURL(new RegExp(`/trains/${train}/changes$`));
  const curve = page.getByTestId("service-changes-curve");
  await expect(curve).toContainText("2.1.0 → 2.2.0");
  await expect(curve).toContainText("holiday calendars for EUR");
  await expect(curve).toContainText("Highlights");
  await expect(page.getByTestId("notes-status")).toContainText("nobody has edited it yet");
  await hydrated(page);

  const draft = page.getByLabel("Draft (Markdown)");
  await expect(draft).toHaveValue(/## Highlights[\s\S]*holiday calendars for EUR/);
  await draft.fill(`# ${train}\n\n## Highlights\n\nEUR curves now know their holidays.\n`);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByTestId("notes-status")).toContainText("Draft revision 1 by cleo");
  await expect(draft).toHaveValue(/EUR curves now know their holidays/);

  await page.getByLabel("Why this version (optional)").fill("for the customer newsletter");
  await page.getByRole("button", { name: "Publish the saved draft" }).click();
  const version = page.getByTestId("notes-version-1");
  await expect(version).toContainText("Version 1 by cleo");
  await expect(version).toContainText("in the evidence bundle");
  await expect(version).toContainText("for the customer newsletter");
  await page.screenshot({ path: "test-results/screenshots/release-notes.png", fullPage: true });

  // The change announcement is drafted from the train, for the reminders.
  await expect(page.getByLabel("Announcement (Markdown)")).toHaveValue(
    /## Impact[\s\S]*\*\*curve\*\* 2\.1\.0 → 2\.2\.0: 1 change\(s\)[\s\S]*## Owner & on-call/,
  );

  const download = await request.get(`/api/v1/release-trains/${train}/release-notes.md`);
  expect(await download.text()).toContain("EUR curves now know their holidays.");
  await page.getByTestId("tab-evidence").click();
  await expect(page.getByTestId("artifact-release-notes.md")).toContainText("Release notes");
});
