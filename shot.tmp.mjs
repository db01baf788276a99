import { chromium } from "playwright-core";
const [,, url, out, width] = process.argv;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking","--disable-component-update","--disable-sync","--no-first-run"] });
const ctx = await browser.newContext({ viewport: { width: Number(width || 1280), height: 900 }, timezoneId: "Europe/Berlin" });
const page = await ctx.newPage();
await page.goto(url);
await page.waitForTimeout(1200);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
