// Every page loads with data from the API; filters change the rows; drill-downs open.

import { assert, assertEqual, test } from "../lib/harness.mjs";
import { chartDrawn, gotoPage, guardFindings, newSession, tableRows, waitTotal } from "../lib/browser.mjs";

async function noGuardFindings(s) {
  const f = await guardFindings(s.page, s.diag);
  assert(f.length === 0, "unexpected injected content or dialogs:\n" + f.join("\n"));
}

test("login: a wrong key is refused, the admin key signs in, logout returns to the form", async (ctx) => {
  const s = await ctx.fresh(ctx.main);
  const { page } = s;
  await page.goto(ctx.main.url + "/");
  await page.getByTestId("login-key").fill("wdn_wrong_key");
  await page.getByTestId("login-submit").click();
  await page.getByTestId("login-error").waitFor();
  await page.getByTestId("login-key").fill(ctx.main.adminKey);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("nav-overview").waitFor();
  const who = await page.getByTestId("who").innerText();
  assert(/admin/i.test(who), `top bar shows the role: ${who}`);
  // The key survives a reload (sessionStorage), and is not in localStorage.
  await page.reload();
  await page.getByTestId("nav-overview").waitFor();
  const inLocal = await page.evaluate(() => JSON.stringify(localStorage).includes("wdn_"));
  assert(!inLocal, "the API key must not be in localStorage");
  await page.getByTestId("logout").click();
  await page.getByTestId("login-form").waitFor();
  await s.context.close();
});

test("navigation: every page is reachable from the side navigation", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  const pages = ["overview", "activity", "actors", "apis", "callstats", "policies"];
  for (const p of pages) {
    await page.getByTestId(`nav-${p}`).click();
    await page.getByTestId(`page-${p}`).waitFor();
    assert((await page.getByTestId(`nav-${p}`).getAttribute("aria-current")) === "page", `${p} is marked current`);
  }
  // The time range is kept in the URL across pages.
  await page.getByTestId("time-range-select").selectOption("7d");
  await page.getByTestId("nav-actors").click();
  await page.getByTestId("page-actors").waitFor();
  assert(page.url().includes("range=7d"), `range kept in URL: ${page.url()}`);
  await page.getByTestId("time-range-select").selectOption("24h");
});

test("overview: counts, charts, countries and top attacked APIs", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/overview", "page-overview");
  const events = page.getByTestId("stat-events").locator(".value");
  await chartDrawn(page, "chart-severity");
  const n = Number(await events.getAttribute("data-value"));
  assert(n > 0, `threat events > 0 (got ${n})`);
  await chartDrawn(page, "chart-severity");
  await chartDrawn(page, "chart-timeline");
  assert((await page.getByTestId("list-categories").getByTestId("bar-row").count()) > 0, "categories listed");
  await page.getByTestId("list-countries").getByTestId("bar-row").first().waitFor();
  assert((await tableRows(page, "table-top-apis")) > 0, "top APIs listed");
  await noGuardFindings(s);
});

test("threat activity: rows load; severity, actor, type and search filters change them", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/activity", "page-activity");
  const table = page.getByTestId("table-events");
  await tableRows(page, "table-events");
  const total = await waitTotal(page, page.getByTestId("page-activity"), (t) => t > 0, "events total");

  // Severity: pick the severity of the last row, so at least that row stays.
  const sev = await table.locator('[data-testid="row"] [data-severity]').last().getAttribute("data-severity");
  await page.getByTestId("filter-severity").locator(`[data-value="${sev}"]`).click();
  const sevTotal = await waitTotal(page, page.getByTestId("page-activity"), (t) => t > 0 && t <= total, "severity total");
  await page.waitForFunction(
    (s) => [...document.querySelectorAll('[data-testid="table-events"] [data-testid="row"] [data-severity]')].every((e) => e.getAttribute("data-severity") === s),
    sev,
  );
  assert(page.url().includes(`severity=${sev}`), "severity filter is in the URL");
  await page.getByTestId("filter-severity").locator(`[data-value="${sev}"]`).click();
  await waitTotal(page, page.getByTestId("page-activity"), (t) => t === total, "total after clearing severity");

  // Actor: every row is then that actor's.
  const actor = await table.locator('[data-testid="row"] [data-testid="cell-actor"]').first().evaluate((e) => e.closest("td").title);
  await page.getByTestId("filter-actor").fill(actor);
  await page.getByTestId("filter-actor").press("Enter");
  const actorTotal = await waitTotal(page, page.getByTestId("page-activity"), (t) => t > 0 && t <= total, "actor total");
  const actors = await table.locator('[data-testid="row"] [data-testid="cell-actor"]').evaluateAll((els) => els.map((e) => e.closest("td").title));
  assert(actors.every((a) => a === actor), `all rows are actor ${actor}: ${[...new Set(actors)].join(", ")}`);
  assert(actorTotal < total || sevTotal <= total, "actor filter narrows or keeps the list");
  if (process.env.E2E_DEBUG) console.log({ total, sevTotal, actorTotal, actor, url: page.url() });

  // Type: choosing "Anomaly" (none in rule-based sample traffic) changes the rows.
  await page.getByTestId("filter-type").selectOption("Anomaly");
  await waitTotal(page, page.getByTestId("page-activity"), (t) => t < actorTotal || t === 0, "type filter");
  await page.getByTestId("filter-type").selectOption("Rule-Based");
  await waitTotal(page, page.getByTestId("page-activity"), (t) => t === actorTotal, "rule-based total");
  await page.getByTestId("filter-actor").fill("");
  await page.getByTestId("filter-actor").press("Enter");
  await page.getByTestId("filter-type").selectOption("");
  await waitTotal(page, page.getByTestId("page-activity"), (t) => t === total, "total after clearing");

  // Search and URL filter.
  await page.getByTestId("filter-url").fill("/api/v1/reviews");
  await page.getByTestId("filter-url").press("Enter");
  const urlTotal = await waitTotal(page, page.getByTestId("page-activity"), (t) => t > 0 && t < total, "url filter");
  const urls = await table.getByTestId("cell-url").allInnerTexts();
  assert(urls.every((u) => u.startsWith("/api/v1/reviews")), `url filter rows: ${urls.slice(0, 3).join(" | ")}`);
  assert(urlTotal < total, "url filter narrows the list");
  await page.goto(ctx.main.url + "/#/activity");
  await noGuardFindings(s);
});

test("threat activity: a row opens the drill-down with Overview, Timeline, Values and Remediation", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/activity", "page-activity");
  await tableRows(page, "table-events");
  await page.getByTestId("table-events").getByTestId("row").first().click();
  const drawer = page.getByTestId("event-drawer");
  await drawer.getByTestId("event-title").waitFor();
  await drawer.getByTestId("event-facts").waitFor();
  assert((await drawer.locator("[data-severity]").count()) > 0, "severity shown");
  assert((await drawer.getByTestId("event-endpoint").innerText()).length > 0, "endpoint shown");
  await drawer.locator('[data-tab="timeline"]').click();
  await chartDrawn(page, "chart-event-timeline");
  await drawer.locator('[data-tab="values"]').click();
  const req = await drawer.getByTestId("sample-request").innerText();
  assert(/^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+/.test(req), `request line: ${req.slice(0, 80)}`);
  await drawer.getByTestId("sample-response").waitFor();
  await drawer.locator('[data-tab="remediation"]').click();
  await drawer.getByTestId("event-remediation").waitFor();
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "detached" });
  await noGuardFindings(s);
});

test("threat actors: charts, list, threat-level filter and the actor panel's four tabs", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/actors", "page-actors");
  await chartDrawn(page, "chart-new-existing");
  await chartDrawn(page, "chart-threat-level");
  const n = await tableRows(page, "table-actors");
  assert(n > 0, "actors listed");
  const scope = page.getByTestId("page-actors");
  const total = await waitTotal(page, scope, (t) => t > 0, "actors total");
  const level = await page.getByTestId("table-actors").locator('[data-testid="row"] [data-severity]').last().getAttribute("data-severity");
  await page.getByTestId("filter-level").locator(`[data-value="${level}"]`).click();
  await waitTotal(page, scope, (t) => t > 0 && t <= total, "threat-level total");
  await page.waitForFunction(
    (l) => [...document.querySelectorAll('[data-testid="table-actors"] [data-testid="row"] [data-severity]')].every((e) => e.getAttribute("data-severity") === l),
    level,
  );
  await page.getByTestId("filter-level").locator(`[data-value="${level}"]`).click();
  await waitTotal(page, scope, (t) => t === total, "actors total after clearing");

  await page.getByTestId("table-actors").getByTestId("row").first().click();
  const panel = page.getByTestId("actor-panel");
  const insight = await panel.getByTestId("actor-insight").innerText();
  assert(insight.length > 20, `insight paragraph: ${insight}`);
  await chartDrawn(page, "chart-actor-90d");
  await panel.locator('[data-tab="evidence"]').click();
  await chartDrawn(page, "chart-actor-24h");
  await tableRows(page, "table-evidence", { allowEmpty: true });
  await panel.locator('[data-tab="ips"]').click();
  assert((await tableRows(page, "table-ips")) > 0, "IP addresses listed");
  await panel.locator('[data-tab="log"]').click();
  await panel.getByTestId("table-status-log").or(panel.getByTestId("empty-state")).first().waitFor();
  await page.keyboard.press("Escape");
  await noGuardFindings(s);
});

test("APIs under threat: statistics with the classification switch, list filters, endpoint detail", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/apis", "page-apis");
  assert((await tableRows(page, "table-top-rules")) > 0, "top threat rules");
  for (const scheme of ["owasp_api_2023", "owasp_2021", "cwe", "warden"]) {
    await page.getByTestId("scheme-switch").locator(`[data-value="${scheme}"]`).click();
    await chartDrawn(page, "chart-threat-types");
    assert((await page.getByTestId("page-apis").getByTestId("error-state").count()) === 0, `no error for ${scheme}`);
  }
  const scope = page.getByTestId("page-apis");
  await tableRows(page, "table-apis");
  const total = await waitTotal(page, scope, (t) => t > 0, "APIs total");
  await page.getByTestId("apis-q").fill("reviews");
  await page.getByTestId("apis-q").press("Enter");
  await waitTotal(page, scope, (t) => t > 0 && t < total, "endpoint filter");
  const eps = await page.getByTestId("table-apis").getByTestId("cell-endpoint").allInnerTexts();
  assert(eps.every((e) => e.includes("reviews")), `filtered endpoints: ${eps.join(" | ")}`);
  await page.getByTestId("apis-q").fill("");
  await page.getByTestId("apis-q").press("Enter");
  await waitTotal(page, scope, (t) => t === total, "APIs total after clearing");
  await page.getByTestId("filter-api-country").fill("ZZ");
  await page.getByTestId("filter-api-country").press("Enter");
  await waitTotal(page, scope, (t) => t === 0, "unknown actor country gives no rows");
  await page.getByTestId("filter-api-country").fill("");
  await page.getByTestId("filter-api-country").press("Enter");
  await page.getByTestId("filter-api-org").fill("no-such-organisation-e2e");
  await page.getByTestId("filter-api-org").press("Enter");
  await waitTotal(page, scope, (t) => t === 0, "unknown organisation gives no rows");
  await page.goto(ctx.main.url + "/#/apis");
  await tableRows(page, "table-apis");
  await page.getByTestId("table-apis").getByTestId("row").first().click();
  await page.getByTestId("page-endpoint").waitFor();
  await page.getByTestId("endpoint-title").waitFor();
  assert((await tableRows(page, "table-endpoint-events")) > 0, "endpoint detail lists recent events");
  await noGuardFindings(s);
});

test("API call stats: every interval answers; calls over time and callers histogram", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/callstats", "page-callstats");
  await tableRows(page, "table-inventory");
  await page.waitForFunction(() => location.hash.includes("endpoint="));
  for (const i of ["15m", "30m", "1h", "3h", "6h", "12h", "1d", "7d"]) {
    await page.getByTestId("interval-switch").locator(`[data-value="${i}"]`).click();
    await page.waitForFunction((v) => location.hash.includes(`interval=${v}`), i);
    const cs = page.getByTestId("page-callstats");
    await cs.getByTestId("chart-calls").or(cs.getByTestId("empty-state")).or(cs.getByTestId("error-state")).first().waitFor();
    assert((await cs.getByTestId("error-state").count()) === 0, `interval ${i} has no error`);
  }
  await page.getByTestId("interval-switch").locator('[data-value="7d"]').click();
  await chartDrawn(page, "chart-calls");
  await chartDrawn(page, "chart-callers");
  assert((await tableRows(page, "table-top-callers")) > 0, "top callers");
  await noGuardFindings(s);
});

test("policies: list, enable/disable, YAML error at its line, try it on a request", async (ctx) => {
  const s = await ctx.session(ctx.main);
  const { page } = s;
  await gotoPage(page, ctx.main, "#/policies", "page-policies");
  const n = await tableRows(page, "table-policies");
  assert(n >= 4, `policies listed: ${n}`);
  // Toggle the first policy off and on again.
  const sw = page.getByTestId("table-policies").getByTestId("policy-toggle").first();
  const before = await sw.getAttribute("aria-checked");
  await sw.click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="table-policies"] [data-testid="policy-toggle"]')?.getAttribute("aria-checked") !== b, before);
  await sw.click();
  await page.waitForFunction((b) => document.querySelector('[data-testid="table-policies"] [data-testid="policy-toggle"]')?.getAttribute("aria-checked") === b, before);

  // The SQL injection policy matches a classic injection in "try it".
  await page.getByTestId("policies-q").fill("sql");
  await page.getByTestId("policies-q").press("Enter");
  await page.getByTestId("table-policies").getByTestId("row").filter({ hasText: /^\s*SQL injection/i }).first().click();
  const editor = page.getByTestId("policy-editor");
  await page.waitForFunction(() => (document.querySelector('[data-testid="policy-yaml"] textarea')?.value ?? "").includes("id:"));
  await page.getByTestId("try-url").fill("/api/v1/search?q=" + encodeURIComponent("1' OR '1'='1' -- "));
  await page.getByTestId("try-run").click();
  const result = editor.getByTestId("try-result");
  await result.waitFor();
  assertEqual(await result.getAttribute("data-matched"), "true", "try it: the injection matches");
  await page.getByTestId("try-url").fill("/api/v1/search?q=red+shoes");
  await page.getByTestId("try-run").click();
  await page.waitForFunction(() => document.querySelector('[data-testid="try-result"]')?.getAttribute("data-matched") === "false");

  // A bad line is reported at that line: an unknown top-level key just before `id:`.
  const ta = page.getByTestId("policy-yaml").locator("textarea");
  const yaml = await ta.inputValue();
  const lines = yaml.split("\n");
  const at = lines.findIndex((l) => l.startsWith("id:"));
  assert(at >= 0, "the policy YAML has an id line");
  lines.splice(at, 0, "not_a_policy_key: 1");
  await ta.fill(lines.join("\n"));
  await page.getByTestId("policy-validate").click();
  const err = page.getByTestId("editor-error");
  await err.waitFor();
  const line = Number(await err.getAttribute("data-line"));
  assertEqual(line, at + 1, `error line (${await err.innerText()})`);
  assert((await page.getByTestId("policy-yaml").locator(`.gutter .err[data-line="${line}"]`).count()) === 1, "gutter marks the line");
  await noGuardFindings(s);
});

test("viewer key: pages load, write actions are hidden", async (ctx) => {
  // A viewer key made through POST /api/v1/keys: lists load, selection and event actions are gone.
  const s = await newSession(ctx.browser, ctx.main);
  ctx.current = s;
  const r = await s.page.request.post(ctx.main.url + "/api/v1/keys", {
    headers: { "x-api-key": ctx.main.adminKey, "content-type": "application/json" },
    data: { name: "e2e-viewer", role: "viewer" },
  });
  assert(r.ok(), `POST /api/v1/keys → ${r.status()}`);
  const { key } = await r.json();
  const { page } = s;
  await page.goto(ctx.main.url + "/");
  await page.getByTestId("login-key").fill(key);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("nav-overview").waitFor();
  await gotoPage(page, ctx.main, "#/actors", "page-actors");
  await tableRows(page, "table-actors");
  assertEqual(await page.getByTestId("table-actors").locator('input[type="checkbox"]').count(), 0, "no selection for viewers");
  await gotoPage(page, ctx.main, "#/activity", "page-activity");
  await tableRows(page, "table-events");
  await page.getByTestId("table-events").getByTestId("row").first().click();
  await page.getByTestId("event-drawer").getByTestId("event-facts").waitFor();
  assertEqual(await page.getByTestId("event-actions").count(), 0, "no event actions for viewers");
  await s.context.close();
});
