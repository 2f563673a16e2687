// Actions: status changes (actors and events), ignore, CSV downloads, copy as curl / raw HTTP.

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { promisify } from "node:util";
import { assert, assertEqual, test } from "../lib/harness.mjs";
import { apiGet } from "../lib/server.mjs";
import { gotoPage, tableRows, waitTotal } from "../lib/browser.mjs";

const sh = promisify(execFile);

/** RFC 4180 CSV → rows of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ""));
}

test("actor status: a bulk change shows in the list and in the status log", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  await gotoPage(page, ctx.main, "#/actors", "page-actors");
  await tableRows(page, "table-actors");
  const table = page.getByTestId("table-actors");
  const rows = table.getByTestId("row");
  const count = await rows.count();
  assert(count >= 2, "at least two actors");
  const ids = [await rows.nth(0).getAttribute("data-key"), await rows.nth(1).getAttribute("data-key")];
  await rows.nth(0).locator('input[type="checkbox"]').check();
  await rows.nth(1).locator('input[type="checkbox"]').check();
  await page.getByTestId("bulk-status").click();
  const dlg = page.getByTestId("actor-status-dialog");
  await dlg.getByTestId("actor-status-select").selectOption("SUSPEND");
  await dlg.getByTestId("actor-status-duration").selectOption(String(3600));
  const comment = `e2e bulk suspend ${Date.now()}`;
  await dlg.getByTestId("actor-status-comment").fill(comment);
  await dlg.getByTestId("actor-status-save").click();
  await dlg.waitFor({ state: "detached" });
  for (const id of ids) {
    await page.waitForFunction(
      (k) => {
        const row = [...document.querySelectorAll('[data-testid="table-actors"] [data-testid="row"]')].find((r) => r.getAttribute("data-key") === k);
        return row?.querySelector('[data-testid="cell-status"] [data-status]')?.getAttribute("data-status") === "SUSPEND";
      },
      id,
    );
  }
  // The panel's status log has the change with its comment.
  await table.locator(`[data-testid="row"][data-key="${cssEscape(ids[0])}"]`).click();
  const panel = page.getByTestId("actor-panel");
  await panel.locator('[data-testid="actor-status"] [data-status="SUSPEND"]').waitFor();
  await panel.locator('[data-tab="log"]').click();
  await panel.getByTestId("table-status-log").waitFor();
  await panel.getByTestId("log-comment").filter({ hasText: comment }).first().waitFor();
  const logText = await panel.getByTestId("table-status-log").innerText();
  assert(/suspended/i.test(logText), "log shows the new status");

  // A single change from the panel: Deny, with a comment.
  await panel.getByTestId("actor-status-button").click();
  const dlg2 = page.getByTestId("actor-status-dialog");
  await dlg2.getByTestId("actor-status-select").selectOption("DENY");
  await dlg2.getByTestId("actor-status-comment").fill(comment + " then deny");
  await dlg2.getByTestId("actor-status-save").click();
  await dlg2.waitFor({ state: "detached" });
  await panel.locator('[data-testid="actor-status"] [data-status="DENY"]').waitFor();
  await panel.getByTestId("log-comment").filter({ hasText: comment + " then deny" }).first().waitFor();
  await page.keyboard.press("Escape");
  await page.waitForFunction(
    (k) =>
      [...document.querySelectorAll('[data-testid="table-actors"] [data-testid="row"]')]
        .find((r) => r.getAttribute("data-key") === k)
        ?.querySelector('[data-testid="cell-status"] [data-status]')
        ?.getAttribute("data-status") === "DENY",
    ids[0],
  );
  // The API agrees.
  const log = await apiGet(ctx.main, `/api/v1/actors/${encodeURIComponent(ids[0])}/status-log`);
  const entries = Array.isArray(log.body) ? log.body : log.body.items;
  assert(entries.some((e) => e.comment === comment && e.to === "SUSPEND"), "status log API has the bulk change");
});

function cssEscape(s) {
  return s.replace(/["\\]/g, "\\$&");
}

test("event status: mark for review moves the event to Under Review; ignore with scope and expiry", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  await gotoPage(page, ctx.main, "#/activity", "page-activity");
  await tableRows(page, "table-events");
  const scope = page.getByTestId("page-activity");
  const activeTotal = await waitTotal(page, scope, (t) => t > 2, "active total");
  const first = page.getByTestId("table-events").getByTestId("row").first();
  const id = await first.getAttribute("data-key");
  await first.click();
  const drawer = page.getByTestId("event-drawer");
  await drawer.getByTestId("action-review").click();
  await drawer.locator('[data-status="UNDER_REVIEW"]').waitFor();
  await page.keyboard.press("Escape");
  await waitTotal(page, scope, (t) => t === activeTotal - 1, "active total after review");
  await page.getByTestId("status-tabs").locator('[data-tab="UNDER_REVIEW"]').click();
  await page.locator(`[data-testid="table-events"] [data-testid="row"][data-key="${cssEscape(id)}"]`).waitFor();

  // Ignore another active event: scope endpoint, 7 days.
  await page.getByTestId("status-tabs").locator('[data-tab="ACTIVE"]').click();
  await tableRows(page, "table-events");
  const second = page.getByTestId("table-events").getByTestId("row").first();
  const id2 = await second.getAttribute("data-key");
  await second.click();
  await drawer.getByTestId("action-ignore").click();
  const dlg = page.getByTestId("ignore-dialog");
  await dlg.getByTestId("ignore-scope-endpoint").check();
  await dlg.getByTestId("ignore-expiry").selectOption(String(7 * 86400));
  await dlg.getByTestId("ignore-reason").fill("e2e: accepted risk");
  await dlg.getByTestId("ignore-save").click();
  await dlg.waitFor({ state: "detached" });
  await drawer.locator('[data-status="IGNORED"]').waitFor();
  await page.keyboard.press("Escape");
  await page.getByTestId("status-tabs").locator('[data-tab="IGNORED"]').click();
  await page.locator(`[data-testid="table-events"] [data-testid="row"][data-key="${cssEscape(id2)}"]`).waitFor();
  const rules = await apiGet(ctx.main, "/api/v1/ignore-rules");
  const list = Array.isArray(rules.body) ? rules.body : rules.body.items;
  const rule = list.find((r) => r.reason === "e2e: accepted risk");
  assert(rule, "ignore rule created");
  assert(rule.actor === null || rule.actor === undefined || rule.actor === "", "endpoint scope: no actor on the rule");
  assert(rule.expiresAt && Math.abs(rule.expiresAt - (Date.now() / 1000 + 7 * 86400)) < 600, `expires in 7 days: ${rule.expiresAt}`);
});

test("block IP from a threat event denies its actor: the actor panel and its status log show it", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  // An actor nobody has changed yet, through one of its events.
  const actors = await apiGet(ctx.main, "/api/v1/actors?status=ACTIVE&limit=50");
  const actor = actors.body.items.at(-1)?.id;
  assert(actor, "an active actor");
  await gotoPage(page, ctx.main, `#/activity?actor=${encodeURIComponent(actor)}`, "page-activity");
  await tableRows(page, "table-events");
  const row = page.getByTestId("table-events").getByTestId("row").first();
  assertEqual(await row.getByTestId("cell-actor").evaluate((e) => e.closest("td").title), actor, "the event's actor");
  await row.click();
  const drawer = page.getByTestId("event-drawer");
  await drawer.getByTestId("action-block").click();
  const dlg = page.getByTestId("block-dialog");
  const comment = `e2e block ${Date.now()}`;
  await dlg.getByTestId("block-comment").fill(comment);
  await dlg.getByTestId("block-save").click();
  await dlg.waitFor({ state: "detached" });
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "detached" });
  await page.goto(`${ctx.main.url}/#/actors?actor=${encodeURIComponent(actor)}&atab=log`);
  const panel = page.getByTestId("actor-panel");
  await panel.locator('[data-testid="actor-status"] [data-status="DENY"]').waitFor();
  await panel.getByTestId("log-comment").filter({ hasText: comment }).first().waitFor();
  const a = await apiGet(ctx.main, `/api/v1/actors/${encodeURIComponent(actor)}`);
  assertEqual(a.body.status, "DENY", `actor ${actor} status`);
});

test("work item: a linked issue URL is saved on the event and shown as a link; a javascript: URL never becomes one", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  await gotoPage(page, ctx.main, "#/activity", "page-activity");
  await tableRows(page, "table-events");
  const rows = page.getByTestId("table-events").getByTestId("row");
  const drawer = page.getByTestId("event-drawer");
  const dlg = page.getByTestId("jira-dialog");
  const openDialog = async (n) => {
    const id = await rows.nth(n).getAttribute("data-key");
    await rows.nth(n).click();
    await drawer.getByTestId("action-jira").click();
    await dlg.waitFor();
    return id;
  };
  const url = "https://jira.example/browse/SEC-42";
  const id = await openDialog(2);
  await dlg.getByTestId("jira-url").fill(url);
  await dlg.getByTestId("jira-save").click();
  await dlg.waitFor({ state: "detached" });
  await drawer.locator(`dd a[href="${url}"]`).waitFor();
  assertEqual((await apiGet(ctx.main, `/api/v1/events/${encodeURIComponent(id)}`)).body.jiraTicketUrl, url, "saved on the event");
  await page.keyboard.press("Escape");
  await drawer.waitFor({ state: "detached" });

  // The API may refuse the URL (the dialog then stays, with an error toast) or keep it; either
  // way the drawer must not turn it into a link.
  const bad = "javascript:alert(document.domain)";
  const id2 = await openDialog(3);
  await dlg.getByTestId("jira-url").fill(bad);
  await dlg.getByTestId("jira-save").click();
  await page.locator('[data-testid="toast"].error').or(drawer.locator("dd", { hasText: bad })).first().waitFor();
  if (await dlg.count()) await page.keyboard.press("Escape");
  await dlg.waitFor({ state: "detached" });
  assertEqual(await drawer.locator("a").filter({ hasText: "javascript:" }).count(), 0, "no link carries the javascript: URL");
  assertEqual(await page.locator('a[href^="javascript:" i]').count(), 0, "no javascript: href anywhere");
  const saved = (await apiGet(ctx.main, `/api/v1/events/${encodeURIComponent(id2)}`)).body.jiraTicketUrl;
  assert(saved === "" || saved === null || saved === bad, `the event keeps no other URL: ${saved}`);
  await page.keyboard.press("Escape");
});

async function downloadCsv(page, buttonTestId, rowsWanted) {
  await page.getByTestId(buttonTestId).click();
  const dlg = page.getByTestId("csv-dialog");
  await dlg.getByTestId("csv-rows").fill(String(rowsWanted));
  const [download] = await Promise.all([page.waitForEvent("download"), dlg.getByTestId("csv-download").click()]);
  const file = await download.path();
  await dlg.waitFor({ state: "detached" });
  return { name: download.suggestedFilename(), rows: parseCsv(readFileSync(file, "utf8")) };
}

test("CSV: actors, APIs under threat and events download with the chosen row count and the list's filter", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  // The events list is filtered by severity: the file must be filtered the same way.
  for (const [hash, pageId, table, button, check] of [
    ["#/actors", "page-actors", "table-actors", "actors-csv", null],
    ["#/apis", "page-apis", "table-apis", "apis-csv", null],
    ["#/activity?severity=HIGH", "page-activity", "table-events", "events-csv", ["severity", "HIGH"]],
  ]) {
    await gotoPage(page, ctx.main, hash, pageId);
    await tableRows(page, table);
    const total = await waitTotal(page, page.getByTestId(pageId), (t) => t > 0, `${pageId} total`);
    const want = Math.max(1, Math.min(5, total - 1));
    const keys = await page.getByTestId(table).getByTestId("row").evaluateAll((rs) => rs.map((r) => r.getAttribute("data-key")));
    const { name, rows } = await downloadCsv(page, button, want);
    assert(name.endsWith(".csv"), `file name ${name}`);
    assert(rows.length >= 2, `${name}: header and rows`);
    assertEqual(rows.length - 1, want, `${name}: data rows`);
    const width = rows[0].length;
    assert(rows.every((r) => r.length === width), `${name}: every row has ${width} fields`);
    // The file holds the rows the list shows first (same query, same order).
    const idCol = rows[0].indexOf("id");
    assert(idCol >= 0, `${name}: an id column (${rows[0].join(",")})`);
    const missing = rows.slice(1).filter((r) => !keys.includes(r[idCol]));
    assert(missing.length === 0, `${name}: rows not in the list on screen: ${missing.map((r) => r[idCol]).join(", ")}`);
    if (check) {
      const col = rows[0].indexOf(check[0]);
      assert(col >= 0 && rows.slice(1).every((r) => r[col] === check[1]), `${name}: every row has ${check[0]}=${check[1]}`);
    }
  }
});

test("copy as curl gives a command that replays the request; raw HTTP starts with the request line", async (ctx) => {
  const { page } = await ctx.session(ctx.main);
  // A local server records what the copied command sends.
  const got = [];
  const echo = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      got.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.end("ok");
    });
  });
  await new Promise((r) => echo.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${echo.address().port}`;
  try {
    await gotoPage(page, ctx.main, "#/activity?url=%2Fapi%2Fv1%2Freviews", "page-activity");
    await tableRows(page, "table-events");
    const row = page.getByTestId("table-events").getByTestId("row").first();
    const id = await row.getAttribute("data-key");
    await row.click();
    const drawer = page.getByTestId("event-drawer");
    await drawer.locator('[data-tab="values"]').click();
    await drawer.getByTestId("curl-base").fill(base);
    await drawer.getByTestId("copy-curl").click();
    await drawer.locator('[data-testid="copied-text"][data-kind="curl"]').waitFor();
    const shown = await drawer.getByTestId("copied-text").innerText();
    const clip = await page.evaluate(() => navigator.clipboard.readText());
    assertEqual(clip.trim(), shown.trim(), "clipboard holds the shown command");
    assert(/^curl\b/.test(clip.trim()), `a curl command: ${clip.slice(0, 60)}`);
    await sh("sh", ["-c", clip], { timeout: 20_000 });
    assertEqual(got.length, 1, "the command sent one request");
    const ev = await apiGet(ctx.main, `/api/v1/events/${encodeURIComponent(id)}`);
    const sample = ev.body.sample;
    assert(sample, "event has a sample");
    const path = sample.url.replace(/^https?:\/\/[^/]+/, "");
    assertEqual(got[0].method, sample.method, "method");
    assertEqual(got[0].url, path, "path and query");
    assertEqual(got[0].body, sample.requestBody, "body");
    // Every recorded header arrives with its value (Host and Content-Length follow the new target
    // and body; hop-by-hop headers are the client's business).
    const skip = new Set(["host", "content-length", "connection", "transfer-encoding", "keep-alive", "te", "upgrade"]);
    const headers = sample.requestHeaders.filter(([n]) => !skip.has(n.toLowerCase()));
    assert(headers.length >= 2, `the sample has headers to replay: ${JSON.stringify(sample.requestHeaders)}`);
    for (const [n, v] of headers) assertEqual(got[0].headers[n.toLowerCase()], v, `header ${n}`);

    await drawer.getByTestId("copy-raw").click();
    await drawer.locator('[data-testid="copied-text"][data-kind="raw"]').waitFor();
    const raw = await page.evaluate(() => navigator.clipboard.readText());
    assert(raw.startsWith(`${sample.method} ${path} HTTP/1.1\r\n`) || raw.startsWith(`${sample.method} ${path} HTTP/1.1\n`), `raw request line: ${JSON.stringify(raw.slice(0, 80))}`);
    assert(raw.includes(sample.requestBody), "raw HTTP carries the body");
    await page.keyboard.press("Escape");
  } finally {
    echo.close();
  }
});
