import { expect, test } from "@playwright/test";
import { ciToken } from "./support";

// A CD pipeline reports two deployments through the API: one a hotfix
// train carries, one nobody scheduled. The Deployments page shows what runs
// where with the train it came from, and flags the surprise; it is served
// whole without JavaScript.
test.use({ javaScriptEnabled: false });

test("what runs where shows a reported version with its train, and the surprise deploy", async ({ page, request }) => {
  const stamp = Date.now().toString(36);
  const number = Date.now() % 1_000_000_000;
  const trains = ciToken(`e2e-trains-${stamp}`, "trains:write");
  const cd = ciToken(`e2e-cd-${stamp}`, "deployments:write");
  const train = `e2e-hf-${stamp}`;
  const version = `9.0.1-e2e.${stamp}`;
  const created = await request.post("/api/v1/release-trains", {
    headers: { authorization: `Bearer ${trains}` },
    data: {
      name: train, track: "hotfix", tag: `v9.0.0-e2e.${number}`, gates: [],
      participants: [{ service: "scenario", target_version: version }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const deploy = (service: string, v: string, run: string) =>
    request.post("/api/v1/deployments", {
      headers: { authorization: `Bearer ${cd}` },
      data: {
        service, version: v, environment: "staging", status: "succeeded",
        pipeline_run_id: run, pipeline_url: `https://ci.example/runs/${run}`,
      },
    });
  const carried = await deploy("scenario", version, `e2e-1-${stamp}`);
  expect(carried.status(), await carried.text()).toBe(201);
  expect((await carried.json()).deployment.matched).toBe("hotfix");
  const surprise = await deploy("backtesting", `0.0.1-e2e.${stamp}`, `e2e-2-${stamp}`);
  expect(surprise.status(), await surprise.text()).toBe(201);

  await page.goto("/deployments");
  await expect(page.getByRole("heading", { level: 1, name: "What runs where" })).toBeVisible();
  const scenario = page.getByRole("table", { name: "What runs where" }).getByRole("row", { name: /^scenario/ });
  await expect(scenario).toContainText(version);
  await expect(scenario.getByRole("link", { name: new RegExp(train) })).toHaveAttribute("href", `/trains/${train}`);
  await expect(scenario).toContainText("reported by CD");
  const unscheduled = page.getByRole("table", { name: "Unscheduled deployments" });
  await expect(unscheduled.getByRole("row", { name: new RegExp(`0\\.0\\.1-e2e\\.${stamp}`) })).toContainText("unscheduled");
  await page.screenshot({ path: "test-results/screenshots/deployments.png", fullPage: true });
});
