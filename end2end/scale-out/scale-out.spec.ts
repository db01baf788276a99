import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { signIn, hydrated, markDocument, sameDocument } from "../tests/support";

// Two instances of the same tarball behind nginx, one database, one
// evidence store: any instance answers any request.
const A = process.env.SCALE_A!;
const B = process.env.SCALE_B!;
const token = process.env.SCALE_TOKEN!;
const auth = { authorization: `Bearer ${token}` };

function sql(query: string): string {
  return execFileSync("psql", ["-Atq", process.env.SCALE_DATABASE_URL!, "-c", query], { encoding: "utf8" }).trim();
}

test("a signed-in person stays signed in whichever instance answers", async ({ page }) => {
  await signIn(page, "carl");
  // Round robin: these requests alternate between the two instances.
  for (const path of ["/", "/calendar", "/trains", "/evidence", "/audit", "/trains/curve-2.1-rollout", "/"]) {
    await page.goto(path);
    await expect(page.getByTestId("signed-in-user")).toHaveText("Carl Captain");
  }
  await page.goto("/audit?action=auth.login");
  await expect(page.getByRole("table", { name: "Audit records" })).toContainText("carl");
});

test("a gate result posted to either instance shows on a page open through the balancer", async ({ page, request }) => {
  await page.goto("/trains/curve-2.1-rollout");
  await hydrated(page);
  await expect(page.getByTestId("live-indicator")).toHaveText("● Live");
  await markDocument(page);
  const cell = page.getByTestId("cell-backtesting-quality");
  for (const [instance, value] of [[A, 87], [B, 93]] as const) {
    const posted = await request.post(`${instance}/api/v1/release-trains/curve-2.1-rollout/gate-results`, {
      headers: auth,
      data: { results: [{ participant: "backtesting", gate: "quality_score", value, source: "scale-out" }] },
    });
    expect(posted.status()).toBe(200);
    await expect(cell).toContainText(String(value));
  }
  expect(await sameDocument(page)).toBe(true);
});

test("evidence uploaded to one instance is served by the other", async ({ request }) => {
  const sbom = JSON.stringify({
    bomFormat: "CycloneDX", specVersion: "1.5", version: 1,
    metadata: { component: { name: "scenario", version: "1.9.0" } }, components: [],
  });
  const sha256 = createHash("sha256").update(sbom).digest("hex");
  const put = await request.put(
    `${A}/api/v1/release-trains/curve-2.1-rollout/evidence/scenario.cdx.json?kind=cyclonedx_sbom&participant=scenario&sha256=${sha256}`,
    { headers: auth, data: sbom },
  );
  expect(put.status()).toBeLessThan(300);
  const got = await request.get(`${B}/api/v1/release-trains/curve-2.1-rollout/evidence/scenario.cdx.json`);
  expect(got.status()).toBe(200);
  expect(await got.text()).toBe(sbom);
});

test("of two schedulers ticking every second, one acts: a train nobody watches is skipped once", async ({ request }) => {
  const at = new Date(Date.now() + 3_000).toISOString();
  const created = await request.post(`${A}/api/v1/release-trains`, {
    headers: auth,
    data: { name: "v9.9.0-dev.1", track: "dev", tag: "v9.9.0-dev.1", planned_start: at, participants: ["curve"] },
  });
  expect(created.status()).toBe(201);
  await expect
    .poll(() => sql("SELECT status FROM train WHERE name = 'v9.9.0-dev.1'"), { timeout: 15_000 })
    .toBe("skipped");
  // Both instances have ticked several times since; one skip was recorded.
  await new Promise((r) => setTimeout(r, 3_000));
  expect(sql("SELECT count(*) FROM audit_record WHERE action = 'calendar.skip' AND resource = 'train:v9.9.0-dev.1'")).toBe("1");
});
