import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ciToken, hydrated, markDocument, sameDocument, signIn } from "./support";

const fixture = (name: string) =>
  readFileSync(path.resolve(__dirname, "../../server/tests/fixtures/evidence", name));

test("the seeded release's sealed bundle is complete, its SBOM table searchable, and its archive verifies offline", async ({ page }) => {
  await page.goto("/evidence");
  await expect(page.getByTestId("bundle-curve-1.9.3-release")).toContainText("complete");
  await expect(page.getByTestId("bundle-curve-2.1-rollout")).toContainText("no build provenance");
  await page.getByRole("link", { name: "curve-1.9.3-release" }).click();
  await expect(page.getByTestId("seal")).toContainText("Sealed");
  await expect(page.getByTestId("evidence-completeness")).toContainText("Complete");
  await expect(page.getByRole("table", { name: "Artifacts" }).locator("tbody tr")).toHaveCount(10);
  await page.screenshot({ path: "test-results/screenshots/evidence.png", fullPage: true });

  await page.getByRole("link", { name: "curve.cdx.json", exact: true }).click();
  await expect(page.getByTestId("sbom-counts")).toContainText("5 component(s) · 4 with a licence");
  const rows = page.getByRole("table", { name: "Components" }).locator("tbody tr");
  await expect(rows).toHaveCount(5);
  await page.getByLabel("Search components").fill("apache");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/\?q=apache$/);
  await expect(page.getByTestId("sbom-showing")).toHaveText('3 of 5 component(s) match "apache"');
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText("Apache-2.0");

  await page.goto("/trains/curve-1.9.3-release/evidence");
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download-archive").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("curve-1.9.3-release-evidence.tar.gz");
  const dir = mkdtempSync(path.join(os.tmpdir(), "trainyard-e2e-"));
  const archive = path.join(dir, download.suggestedFilename());
  await download.saveAs(archive);
  execFileSync("tar", ["xzf", archive], { cwd: dir });
  const checked = execFileSync("sha256sum", ["-c", "SHA256SUMS"], {
    cwd: path.join(dir, "curve-1.9.3-release-evidence"),
    encoding: "utf8",
  });
  expect(checked).toContain("manifest.json: OK");
  expect(checked.trim().split("\n")).toHaveLength(11);
  const manifest = readFileSync(path.join(dir, "curve-1.9.3-release-evidence", "manifest.json"));
  const digest = createHash("sha256").update(manifest).digest("hex");
  await expect(page.getByTestId("manifest-sha256")).toHaveText(digest);
});

test("the train in validation names its missing evidence and a failing test case opens on its message", async ({ page }) => {
  await page.goto("/trains/curve-2.1-rollout");
  await expect(page.getByTestId("blocked-panel")).toContainText("Evidence missing: no release metadata document");
  await page.getByTestId("tab-evidence").click();
  await expect(page).toHaveURL(/\/trains\/curve-2\.1-rollout\/evidence$/);
  await expect(page.getByRole("list", { name: "Missing evidence" })).toContainText("no build provenance (SLSA statement)");
  await page.getByRole("link", { name: "junit.xml", exact: true }).click();
  await expect(page.getByTestId("junit-verdict")).toHaveText("2 failing case(s).");
  const failing = page.getByTestId("failing-case").first();
  await expect(failing.getByText("expected status 422 but was 200")).toBeHidden();
  await failing.getByText("curve.api.PricingTest › rejects_negative_tenor").click();
  await expect(failing.getByText("expected status 422 but was 200")).toBeVisible();
  await expect(failing.locator("pre")).toContainText("at tests/pricing.rs:88");
});

test("a captain uploads an SBOM through the form, and a file that is not its kind is refused in place", async ({ page }) => {
  await signIn(page, "carl");
  await page.goto("/trains/curve-2.1-rollout/evidence");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Upload evidence" });
  await form.getByLabel("File").setInputFiles({
    name: "sbom.json",
    mimeType: "application/json",
    buffer: fixture("not-cyclonedx.json"),
  });
  await form.getByLabel("Kind").selectOption("cyclonedx_sbom");
  await form.getByLabel("Participant").selectOption("backtesting");
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(page.locator("#file-error")).toContainText('declared cyclonedx_sbom but the document has no bomFormat "CycloneDX"');

  await form.getByLabel("File").setInputFiles({
    name: "backtesting.spdx.json",
    mimeType: "application/json",
    buffer: fixture("backtesting.spdx.json"),
  });
  await form.getByLabel("Kind").selectOption("spdx_sbom");
  await form.getByLabel("Participant").selectOption("backtesting");
  await form.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByTestId("upload-done")).toHaveText("Uploaded backtesting.spdx.json: checked and stored.");
  await expect(page.getByTestId("artifact-backtesting.spdx.json")).toContainText("backtesting");
  await expect(page.getByTestId("evidence-completeness")).not.toContainText("no SBOM for participant backtesting");
});

test("evidence that CI pushes appears on an open bundle page without a reload", async ({ page, request }) => {
  const token = ciToken("e2e-evidence", "evidence:write");
  await page.goto("/trains/curve-2.1-rollout/evidence");
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toHaveText("● Live");
  await markDocument(page);
  const completeness = page.getByTestId("evidence-completeness");
  await expect(completeness).toContainText("no build provenance");

  const bytes = fixture("provenance.intoto.json");
  const posted = await request.post("/api/v1/release-trains/curve-2.1-rollout/evidence", {
    headers: { authorization: `Bearer ${token}` },
    multipart: {
      kind: "provenance",
      sha256: createHash("sha256").update(bytes).digest("hex"),
      file: { name: "provenance.intoto.json", mimeType: "application/json", buffer: bytes },
    },
  });
  expect(posted.status()).toBe(201);
  await expect(page.getByTestId("artifact-provenance.intoto.json")).toBeVisible({ timeout: 3_000 });
  await expect(completeness).not.toContainText("no build provenance");
  expect(await sameDocument(page)).toBe(true);
});
