import { expect, test } from "@playwright/test";
import { hydrated, signIn } from "./support";

// An admin subscribes a receiver to train events, copies the secret shown
// once, sends a test event and watches it fail (nothing listens on port 9),
// then removes the subscription with a reason.
test("an admin adds a webhook, sends it a test event, reads the log and deletes it", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const url = `http://127.0.0.1:9/hooks/${stamp}`;
  await signIn(page, "adam");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await hydrated(page);

  await page.getByLabel("URL").fill(url);
  await page.getByLabel("Description").fill(`e2e ${stamp}`);
  await page.getByLabel("Events", { exact: true }).fill("train.*");
  await page.getByLabel("Audience").fill(`team-${stamp}`);
  await expect(page.getByLabel("Enabled: send events")).toBeChecked();
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(
    page.getByText("Webhook created. Copy its signing secret now: it is not shown again."),
  ).toBeVisible();
  await expect(page.getByTestId("new-webhook-secret")).toHaveText(/^whsec_\S+$/);

  const row = page.getByRole("table", { name: "Webhooks" }).getByRole("row", { name: new RegExp(stamp) });
  await expect(row).toContainText("train.*");
  await expect(row).toContainText("everything");
  await expect(row).toContainText(`team-${stamp}`);
  await expect(row).toContainText("enabled");
  await page.screenshot({ path: "test-results/screenshots/webhooks.png", fullPage: true });
  await row.getByRole("link", { name: url }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks\/\d+$/);
  await expect(page.getByLabel("URL")).toHaveValue(url);
  await expect(page.getByLabel("Audience")).toHaveValue(`team-${stamp}`);
  await expect(page.getByText("No deliveries yet.")).toBeVisible();

  await page.getByRole("button", { name: "Send test event" }).click();
  const delivery = page
    .getByRole("table", { name: "Deliveries" })
    .getByRole("row")
    .filter({ hasText: "webhook.test" });
  await expect(delivery).toHaveCount(1);
  await expect(delivery).toContainText(/pending|failed/);
  await expect(delivery.getByRole("button", { name: /^Redeliver / })).toBeVisible();
  // The worker posts within a second or two; the log is read when the page
  // is, so read it again until the attempt is in it.
  await expect(async () => {
    await page.reload();
    await expect(delivery).toContainText("could not connect", { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await delivery.getByText("Request and response").click();
  await expect(delivery.locator("pre").first()).toContainText(/"type":\s*"webhook\.test"/);
  await page.screenshot({ path: "test-results/screenshots/webhook.png", fullPage: true });

  // The settings form is a plain form: a refused field is named under it,
  // and an unticked "Enabled" turns the webhook off.
  await page.getByLabel("Events", { exact: true }).fill("train.nope");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.locator("#webhook-events-error")).toContainText("is not an event type");
  await page.getByLabel("Enabled: send events").uncheck();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByTestId("webhook-off")).toContainText("It is off");
  await expect(page.getByLabel("Enabled: send events")).not.toBeChecked();

  await hydrated(page);
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByTestId("rotated-secret")).toHaveText(/^whsec_\S+$/);
  await expect(page.getByText(/the previous secret signs too until .* UTC\./)).toBeVisible();

  // A redelivery is a new row for the same message.
  await delivery.first().getByRole("button", { name: /^Redeliver / }).click();
  await expect(delivery).toHaveCount(2);

  await page.getByLabel("Reason").fill("e2e: the receiver never existed");
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/webhooks$/);
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
  await expect(page.getByText(url)).toHaveCount(0);
});

test("a viewer is told why the webhooks page is refused", async ({ page }) => {
  await signIn(page, "val");
  await expect(page.getByTestId("signed-in-user")).toHaveText("Val Viewer");
  await page.goto("/admin/webhooks");
  await expect(page.getByRole("alert").first()).toContainText("you may not manage webhooks");
  await expect(page.getByRole("table", { name: "Webhooks" })).toHaveCount(0);
});
