// Screenshots of every page at 1440×900 in both themes: build/screenshots/<page>-<theme>.png.
// Each page is shot even when part of it failed to load (the test then fails, naming it). A shot
// is taken once the page is at rest (no spinner, charts finished drawing), never after a sleep.

import { join } from "node:path";
import { assert, test } from "../lib/harness.mjs";
import { chartDrawn, gotoPage, newSession, settled, tableRows } from "../lib/browser.mjs";

for (const theme of ["dark", "light"]) {
  test(`screenshots (${theme})`, async (ctx) => {
    const failed = [];
    const shoot = async (name, prepare) => {
      try {
        await prepare();
        await settled(ctx.current.page);
      } catch (e) {
        failed.push(`${name}: ${String(e?.message ?? e).split("\n")[0]}`);
      }
      await ctx.current.page.screenshot({ path: join(ctx.shotsDir, `${name}-${theme}.png`) });
    };

    const anon = await newSession(ctx.browser, ctx.main, { theme });
    ctx.current = anon;
    await shoot("login", async () => {
      await anon.page.goto(ctx.main.url + "/");
      await anon.page.getByTestId("login-form").waitFor();
    });
    await anon.context.close();

    const { page } = await ctx.session(ctx.main, theme);
    const drawer = page.getByTestId("event-drawer");
    const panel = page.getByTestId("actor-panel");

    await shoot("overview", async () => {
      await gotoPage(page, ctx.main, "#/overview", "page-overview");
      await tableRows(page, "table-top-apis");
      await chartDrawn(page, "chart-timeline");
    });
    await shoot("threat-activity", async () => {
      await gotoPage(page, ctx.main, "#/activity", "page-activity");
      await tableRows(page, "table-events");
    });
    await shoot("threat-activity-drilldown", async () => {
      await page.getByTestId("table-events").getByTestId("row").nth(1).click();
      await page.getByTestId("event-facts").waitFor();
    });
    await shoot("threat-activity-timeline", async () => {
      await drawer.locator('[data-tab="timeline"]').click();
      await chartDrawn(page, "chart-event-timeline");
    });
    await shoot("threat-activity-remediation", async () => {
      await drawer.locator('[data-tab="remediation"]').click();
      await page.getByTestId("event-remediation").waitFor();
    });
    await shoot("threat-activity-values", async () => {
      await drawer.locator('[data-tab="values"]').click();
      await page.getByTestId("sample-request").waitFor();
    });
    await page.keyboard.press("Escape");

    await shoot("threat-actors", async () => {
      await gotoPage(page, ctx.main, "#/actors", "page-actors");
      await tableRows(page, "table-actors");
      await chartDrawn(page, "chart-threat-level");
    });
    await shoot("threat-actor-panel", async () => {
      await page.getByTestId("table-actors").getByTestId("row").first().click();
      await page.getByTestId("actor-insight").waitFor();
      await chartDrawn(page, "chart-actor-90d");
    });
    await shoot("threat-actor-evidence", async () => {
      await panel.locator('[data-tab="evidence"]').click();
      await chartDrawn(page, "chart-actor-24h");
    });
    await shoot("threat-actor-ips", async () => {
      await panel.locator('[data-tab="ips"]').click();
      await tableRows(page, "table-ips");
    });
    await shoot("threat-actor-status-log", async () => {
      await panel.locator('[data-tab="log"]').click();
      await panel.getByTestId("table-status-log").or(panel.getByTestId("empty-state")).first().waitFor();
    });
    await page.keyboard.press("Escape");

    await shoot("apis-under-threat", async () => {
      await gotoPage(page, ctx.main, "#/apis", "page-apis");
      await tableRows(page, "table-apis");
      await chartDrawn(page, "chart-threat-types");
    });
    await shoot("api-endpoint", async () => {
      await page.getByTestId("table-apis").getByTestId("row").first().click();
      await tableRows(page, "table-endpoint-events");
    });
    await shoot("api-call-stats", async () => {
      await gotoPage(page, ctx.main, "#/callstats?interval=7d", "page-callstats");
      await tableRows(page, "table-inventory");
      await chartDrawn(page, "chart-calls");
      await chartDrawn(page, "chart-callers");
    });
    await shoot("policies", async () => {
      // Opened from the URL, not by a click that would scroll the list to the row.
      await gotoPage(page, ctx.main, "#/policies?policy=SQLInjection", "page-policies");
      await tableRows(page, "table-policies");
      await page.waitForFunction(() => (document.querySelector('[data-testid="policy-yaml"] textarea')?.value ?? "").includes("id:"));
    });
    // Attack payloads as the analyst sees them: the XSS server's list and a drill-down whose
    // request and response carry markup, shown as text.
    const x = await ctx.session(ctx.xss, theme);
    await shoot("xss-threat-activity", async () => {
      await gotoPage(x.page, ctx.xss, "#/activity?url=%2Fshop%2Fcomments", "page-activity");
      await tableRows(x.page, "table-events");
    });
    await shoot("xss-threat-activity-values", async () => {
      await x.page.getByTestId("table-events").getByTestId("row").first().click();
      await x.page.getByTestId("event-drawer").locator('[data-tab="values"]').click();
      await x.page.getByTestId("sample-request").waitFor();
    });
    await x.page.keyboard.press("Escape");
    assert(failed.length === 0, `pages that did not load fully:\n${failed.join("\n")}`);
  }, { timeout: 180_000 });
}
