// XSS: traffic full of probes (corpus + generated) in paths, parameters, headers, bodies, hosts
// and actor ids. Every page and drill-down that shows them is visited; no dialog may open, no
// element or attribute the dashboard never makes may appear, no CSP violation may happen.

import { assert, test } from "../lib/harness.mjs";
import { gotoPage, guardFindings, settled, tableRows } from "../lib/browser.mjs";

const PLACEMENTS = ["/shop/search", "/shop/items", "/shop/p/", "/shop/profile", "/shop/reviews", "/shop/comments", "/shop/hosted"];

function makeChecker(ctx, s) {
  const findings = [];
  const seen = new Set();
  let views = 0;
  return {
    findings,
    seen,
    get views() {
      return views;
    },
    async check(label) {
      views++;
      const f = await guardFindings(s.page, s.diag);
      s.diag.dialogs.length = 0;
      s.diag.foreign.length = 0;
      for (const x of f) findings.push(`${label}: ${x}`);
      const text = await s.page.evaluate(
        () => document.body.innerText + "\n" + [...document.querySelectorAll("[title]")].map((e) => e.getAttribute("title")).join("\n"),
      );
      for (const p of ctx.probes) if (!seen.has(p) && text.includes(p)) seen.add(p);
    },
  };
}

/** Visits every page of the table `tableId` (up to maxPages); returns each row's key and URL cell. */
async function pageThrough(page, checker, label, tableId, maxPages) {
  const table = page.getByTestId(tableId);
  const rows = [];
  for (let i = 0; i < maxPages; i++) {
    await checker.check(`${label} page ${i + 1}`);
    rows.push(
      ...(await table.locator('[data-testid="row"]').evaluateAll((els) =>
        els.map((r) => ({ key: r.getAttribute("data-key"), url: r.querySelector('[data-testid="cell-url"]')?.closest("td")?.title ?? "" })),
      )),
    );
    const next = page.getByRole("button", { name: "Next ›" });
    if (!(await next.isEnabled())) break;
    const before = await table.locator('[data-testid="row"]').first().getAttribute("data-key");
    await next.click();
    await page.waitForFunction(
      ([id, b]) => {
        const t = document.querySelector(`[data-testid="${id}"]`);
        const r = t?.querySelector('[data-testid="row"]');
        return r && r.getAttribute("data-key") !== b && !t.querySelector('table[aria-busy="true"]');
      },
      [tableId, before],
    );
  }
  return rows;
}

test("xss: probes in traffic render as text on every page and drill-down", async (ctx) => {
  const s = await ctx.session(ctx.xss);
  const { page } = s;
  const c = makeChecker(ctx, s);
  const broken = [];
  // A section that cannot load (a route missing, a timeout) is reported, and the others still run.
  async function section(name, fn) {
    try {
      await fn();
    } catch (e) {
      broken.push(`${name}: ${String(e?.message ?? e).split("\n")[0]}`);
      await page.keyboard.press("Escape").catch(() => {});
      await page.keyboard.press("Escape").catch(() => {});
    }
  }

  await section("overview", async () => {
    await gotoPage(page, ctx.xss, "#/overview", "page-overview");
    await tableRows(page, "table-top-apis");
    await page.getByTestId("chart-timeline").locator("canvas").waitFor();
    await c.check("overview");

  });
  // Threat activity: every page of the list, then drill-downs of each placement, all tabs.
  await section("threat activity", async () => {
    await gotoPage(page, ctx.xss, "#/activity", "page-activity");
    await tableRows(page, "table-events");
    const listed = await pageThrough(page, c, "activity", "table-events", 25);
    for (const where of PLACEMENTS) {
      const ids = listed.filter((r) => r.url.includes(" " + where)).map((r) => r.key);
      assert(ids.length > 0, `events with probes in ${where} are listed`);
      for (let i = 0; i < Math.min(ids.length, 3); i++) {
        await page.goto(`${ctx.xss.url}/#/activity?event=${encodeURIComponent(ids[Math.floor((i * ids.length) / 3)])}`);
        const drawer = page.getByTestId("event-drawer");
        await drawer.getByTestId("event-facts").waitFor();
        await c.check(`event ${where} #${i} overview`);
        await drawer.locator('[data-tab="timeline"]').click();
        await drawer.getByTestId("event-timeline").waitFor();
        await c.check(`event ${where} #${i} timeline`);
        await drawer.locator('[data-tab="values"]').click();
        await drawer.getByTestId("sample-request").or(drawer.getByTestId("empty-state")).first().waitFor();
        await drawer.getByTestId("copy-curl").click();
        await drawer.getByTestId("copied-text").waitFor();
        await drawer.getByTestId("copy-raw").click();
        await drawer.locator('[data-testid="copied-text"][data-kind="raw"]').waitFor();
        await c.check(`event ${where} #${i} values`);
        await drawer.locator('[data-tab="remediation"]').click();
        await drawer.getByTestId("event-remediation").waitFor();
        await c.check(`event ${where} #${i} remediation`);
        await drawer.getByTestId("action-jira").click();
        await page.getByTestId("jira-dialog").waitFor();
        await c.check(`event ${where} #${i} work item`);
        await page.keyboard.press("Escape");
        await page.keyboard.press("Escape");
        await drawer.waitFor({ state: "detached" });
      }
    }

  });
  // Threat actors (ids are probes): the list, and the panel of actors named by probes and of the
  // busiest IP actors, all tabs.
  await section("threat actors", async () => {
    await gotoPage(page, ctx.xss, "#/actors", "page-actors");
    await tableRows(page, "table-actors");
    const listed = (await pageThrough(page, c, "actors", "table-actors", 12)).map((r) => r.key);
    const probeIds = listed.filter((k) => ctx.probes.some((p) => p.startsWith(k)));
    if (ctx.actorIdsFromHeader) assert(probeIds.length >= 10, `actors named by probes are listed (${probeIds.length})`);
    await gotoPage(page, ctx.xss, "#/actors?sort=-eventCount", "page-actors");
    await tableRows(page, "table-actors");
    const busiest = await page.getByTestId("table-actors").getByTestId("row").evaluateAll((rs) => rs.slice(0, 2).map((r) => r.getAttribute("data-key")));
    const spread = (ids, n) => ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / n)) === 0).slice(0, n);
    const pick = [...spread(probeIds.filter((k) => !k.includes("/")), 7), ...spread(probeIds.filter((k) => k.includes("/")), 2), ...busiest];
    // The server decodes the whole path before matching routes, so an actor id holding "/" (%2F)
    // cannot be addressed (404 "no such route"). Those panels show an error state; they are still
    // checked for injected content, and counted so the gap stays visible.
    let unreachable = 0;
    for (const [i, id] of pick.entries()) {
      await page.goto(`${ctx.xss.url}/#/actors?actor=${encodeURIComponent(id)}`);
      const panel = page.getByTestId("actor-panel");
      if (id.includes("/")) {
        await panel.getByTestId("actor-insight").or(panel.getByTestId("error-state")).first().waitFor();
        if (await panel.getByTestId("error-state").count()) {
          unreachable++;
          await c.check(`actor #${i} (id with "/") error state`);
          await page.keyboard.press("Escape");
          await panel.waitFor({ state: "detached" });
          continue;
        }
      }
      await panel.getByTestId("actor-insight").waitFor();
      await settled(page);
      await c.check(`actor #${i} overview`);
      for (const tab of ["evidence", "ips", "log"]) {
        await panel.locator(`[data-tab="${tab}"]`).click();
        await panel.locator(".card, [data-testid=empty-state], [data-testid=error-state]").first().waitFor();
        await settled(page);
        await c.check(`actor #${i} ${tab}`);
      }
      await page.keyboard.press("Escape");
      await panel.waitFor({ state: "detached" });
    }
    if (unreachable) console.log(`      xss: ${unreachable} actor panels could not load: ids with "/" are not addressable by GET /api/v1/actors/{id}`);
  });
  // APIs under threat: list pages, statistics in every scheme, endpoint details.
  await section("apis under threat", async () => {
    await gotoPage(page, ctx.xss, "#/apis", "page-apis");
    await tableRows(page, "table-apis");
    for (const scheme of ["owasp_api_2023", "owasp_2021", "cwe", "warden"]) {
      await page.getByTestId("scheme-switch").locator(`[data-value="${scheme}"]`).click();
      await page.getByTestId("chart-threat-types").or(page.getByTestId("empty-state")).first().waitFor();
    }
    await pageThrough(page, c, "apis", "table-apis", 6);
    await gotoPage(page, ctx.xss, "#/apis", "page-apis");
    await tableRows(page, "table-apis");
    const apiRows = await page.getByTestId("table-apis").getByTestId("row").count();
    for (let i = 0; i < Math.min(apiRows, 6); i++) {
      await page.getByTestId("table-apis").getByTestId("row").nth(i).click();
      await page.getByTestId("page-endpoint").waitFor();
      await page.getByTestId("table-endpoint-events").or(page.getByTestId("error-state")).first().waitFor();
      await c.check(`endpoint #${i}`);
      await page.getByTestId("open-callstats").click();
      await page.getByTestId("page-callstats").waitFor();
      await page.getByTestId("chart-calls").or(page.getByTestId("empty-state")).or(page.getByTestId("error-state")).first().waitFor();
      await c.check(`call stats #${i}`);
      await gotoPage(page, ctx.xss, "#/apis", "page-apis");
      await tableRows(page, "table-apis");
    }

  });
  // API call stats: the inventory holds every probe path.
  await section("api call stats", async () => {
    await gotoPage(page, ctx.xss, "#/callstats", "page-callstats");
    await tableRows(page, "table-inventory");
    await c.check("call stats inventory");
    const inv = await page.getByTestId("table-inventory").getByTestId("row").count();
    for (let i = 0; i < Math.min(inv, 5); i++) {
      await page.getByTestId("table-inventory").getByTestId("row").nth(i * 3 < inv ? i * 3 : i).click();
      await page.getByTestId("chart-calls").or(page.getByTestId("empty-state")).or(page.getByTestId("error-state")).first().waitFor();
      await c.check(`call stats endpoint #${i}`);
    }

  });
  // Probes in the URL state (filters, ids) are shown as text too.
  await section("url state", async () => {
    const some = ctx.probes.filter((p) => p.length < 200).slice(0, 6);
    for (const p of some) {
      const e = encodeURIComponent(p);
      await page.goto(`${ctx.xss.url}/#/activity?q=${e}&actor=${e}&host=${e}&sub=${e}`);
      await page.getByTestId("page-activity").waitFor();
      await tableRows(page, "table-events", { allowEmpty: true }).catch(() => 0);
      await c.check(`activity filters ${p.slice(0, 30)}`);
      await page.goto(`${ctx.xss.url}/#/actors?actor=${e}&country=${e}`);
      await page.getByTestId("actor-panel").waitFor();
      await settled(page);
      await c.check(`actor panel from URL ${p.slice(0, 30)}`);
      await page.goto(`${ctx.xss.url}/#/apis/${e}`);
      await page.getByTestId("page-endpoint").waitFor();
      await settled(page);
      await c.check(`endpoint from URL ${p.slice(0, 30)}`);
    }

  });
  // Policies "try it" with a probe: the matched fragment is shown as text.
  await section("policies", async () => {
    await gotoPage(page, ctx.xss, "#/policies", "page-policies");
    await tableRows(page, "table-policies");
    await page.getByTestId("table-policies").getByTestId("row").filter({ hasText: /cross-site|xss/i }).first().click();
    const tryIt = page.getByTestId("try-it");
    await tryIt.waitFor();
    if (await tryIt.count()) {
      await page.getByTestId("try-url").fill("/x?q=" + encodeURIComponent('"><img src=x onerror=alert(99)>'));
      await page.getByTestId("try-body").fill('<svg onload=alert(98)><script>alert(97)</script>');
      await page.getByTestId("try-run").click();
      await page.getByTestId("try-result").or(tryIt.locator(".muted")).first().waitFor();
      await c.check("policy try it");
    }


  });
  const corpusSeen = ctx.corpusProbes.filter((p) => c.seen.has(p)).length;
  console.log(
    `      xss: ${c.views} views checked; ${c.seen.size} of ${ctx.probes.length} probes seen verbatim as text ` +
      `(${corpusSeen} of the ${ctx.corpusProbes.length} from public lists)`,
  );
  assert(ctx.corpusProbes.length >= 200, `at least 200 payloads from public XSS lists fed (${ctx.corpusProbes.length})`);
  assert(c.findings.length === 0, `injected content found:\n${c.findings.slice(0, 40).join("\n")}`);
  assert(broken.length === 0, `sections that could not be checked:\n${broken.join("\n")}`);
  assert(c.seen.size >= 100, `only ${c.seen.size} probes were rendered verbatim — the test would not prove much`);
}, { timeout: 240_000 });
