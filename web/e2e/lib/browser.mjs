// Headless Debian Chromium through playwright-core, and the helpers the tests share.

import { chromium } from "playwright-core";
import { assert } from "./harness.mjs";

export const VIEWPORT = { width: 1440, height: 900 };

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      "--font-render-hinting=none",
    ],
  });
}

/**
 * Runs in every page before any of the app's scripts (CDP injects it, so the CSP does not
 * apply): watches the DOM for elements and attributes the dashboard never creates — they can
 * only come from injected markup — and records CSP violations.
 */
function guardScript() {
  const hits = [];
  Object.defineProperty(window, "__wardenGuard", { value: hits, configurable: false });
  const ORIGIN = location.origin;
  const BAD_TAGS = new Set([
    "IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "IMG", "IMAGE", "SVG",
    "MATH", "VIDEO", "AUDIO", "SOURCE", "TRACK", "PORTAL", "MARQUEE", "ISINDEX", "KEYGEN",
    "BGSOUND", "XMP", "NOEMBED", "NOSCRIPT", "TEMPLATE", "STYLE", "PICTURE", "MAP", "AREA",
  ]);
  const URL_ATTRS = ["href", "src", "action", "formaction", "xlink:href", "data", "background",
    "poster", "codebase", "dynsrc", "lowsrc", "srcdoc", "ping", "cite", "longdesc"];
  const SCHEME = /^(javascript|vbscript|livescript|data\s*:\s*text\/html)/i;
  function norm(v) {
    return String(v).replace(/[\u0000-\u0020\u007f-\u00a0]/g, "").toLowerCase();
  }
  function describe(el) {
    const html = el.outerHTML || String(el);
    return html.length > 200 ? html.slice(0, 200) + "…" : html;
  }
  function check(el) {
    if (!(el instanceof Element)) return;
    const tag = el.tagName.toUpperCase();
    if (tag === "SCRIPT") {
      const src = el.getAttribute("src") || "";
      if (!src.startsWith("/assets/") && !src.startsWith(ORIGIN + "/assets/"))
        hits.push("script element: " + describe(el));
    } else if (tag === "LINK") {
      const href = el.getAttribute("href") || "";
      const rel = (el.getAttribute("rel") || "").toLowerCase();
      if (!href.startsWith("/") || !["stylesheet", "modulepreload", "icon"].includes(rel))
        hits.push("link element: " + describe(el));
    } else if (tag === "META") {
      if (el.hasAttribute("http-equiv") && el.parentNode !== document.head)
        hits.push("meta element: " + describe(el));
    } else if (BAD_TAGS.has(tag)) {
      hits.push("injected element: " + describe(el));
    }
    for (const a of Array.from(el.attributes)) {
      const name = a.name.toLowerCase();
      if (name.startsWith("on")) hits.push(`handler attribute ${name}: ${describe(el)}`);
      else if (URL_ATTRS.includes(name) && SCHEME.test(norm(a.value)))
        hits.push(`script URL in ${name}: ${describe(el)}`);
      else if (name === "style" && /expression\(|url\(\s*['"]?\s*javascript/i.test(a.value))
        hits.push(`script in style: ${describe(el)}`);
    }
  }
  function checkTree(node) {
    if (!(node instanceof Element)) return;
    check(node);
    for (const el of node.querySelectorAll("*")) check(el);
  }
  new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type === "childList") m.addedNodes.forEach(checkTree);
      else if (m.type === "attributes" && m.target instanceof Element) check(m.target);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener("securitypolicyviolation", (e) => {
    hits.push(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${(e.sample || "").slice(0, 80)})`);
  });
  Object.defineProperty(window, "__wardenScan", {
    value: () => {
      checkTree(document.documentElement);
      return hits.slice();
    },
  });
}

/** A fresh context (1440×900) with the theme set, downloads and clipboard allowed. */
export async function newSession(browser, server, { theme = "dark" } = {}) {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    acceptDownloads: true,
    colorScheme: theme,
    locale: "en-US",
    timezoneId: "UTC",
  });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await context.addInitScript(guardScript);
  await context.addInitScript((t) => {
    try {
      localStorage.setItem("warden.theme", t);
    } catch {
      /* ignore */
    }
  }, theme);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const diag = { dialogs: [], foreign: [], missing: new Set(), serverErrors: [], pageErrors: [] };
  page.on("dialog", async (d) => {
    diag.dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss().catch(() => {});
  });
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(server.url) && !u.startsWith("data:") && !u.startsWith("blob:")) diag.foreign.push(u);
  });
  page.on("response", (r) => {
    const u = r.url();
    if (!u.startsWith(server.url + "/api/v1/")) return;
    const path = u.slice(server.url.length).split("?")[0];
    if (r.status() === 404 || r.status() === 405) diag.missing.add(`${r.request().method()} ${path} → ${r.status()}`);
    else if (r.status() >= 500) diag.serverErrors.push(`${r.request().method()} ${path} → ${r.status()}`);
  });
  page.on("pageerror", (e) => diag.pageErrors.push(String(e?.message ?? e)));
  return { context, page, diag };
}

/** Signs in through the login form. */
export async function login(page, server, key = server.adminKey) {
  await page.goto(server.url + "/#/overview");
  await page.getByTestId("login-key").fill(key);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("nav-overview").waitFor();
}

/** Goes to a hash route and waits for the page's root element. */
export async function gotoPage(page, server, hash, testId) {
  await page.goto(`${server.url}/${hash}`);
  await page.getByTestId(testId).waitFor();
}

/**
 * Waits until the table `testId` shows rows, an empty state or an error. Returns the row
 * count; throws with the error text when the table shows an error.
 */
export async function tableRows(page, testId, { allowEmpty = false, timeout = 15_000 } = {}) {
  const table = page.getByTestId(testId);
  await table.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  for (;;) {
    const rows = await table.locator('[data-testid="row"]').count();
    const busy = await table.locator('table[aria-busy="true"]').count();
    if (rows > 0 && !busy) return rows;
    const err = table.getByTestId("error-state");
    if (await err.count()) throw new Error(`${testId} shows an error: ${(await err.innerText()).replace(/\s+/g, " ")}`);
    if (!busy && (await table.getByTestId("empty-state").count())) {
      assert(allowEmpty, `${testId} is empty`);
      return 0;
    }
    if (Date.now() > deadline) throw new Error(`${testId}: no rows after ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** Waits for the table total ("1–50 of N") to satisfy `pred`; returns N. */
export async function waitTotal(page, scope, pred, what) {
  const loc = scope.getByTestId("total");
  const deadline = Date.now() + 15_000;
  let last = null;
  let seen = null; // the value must hold for two polls in a row, with no request in flight
  for (;;) {
    const v = await loc.getAttribute("data-total").catch(() => null);
    const busy = await scope.locator('table[aria-busy="true"]').count();
    if (v !== null && v !== "" && !busy) {
      last = Number(v);
      if (pred(last)) {
        if (seen === last) return last;
        seen = last;
      } else seen = null;
    } else seen = null;
    if (Date.now() > deadline) throw new Error(`${what}: total is ${last}`);
    await page.waitForTimeout(100);
  }
}

/** Waits until a chart has drawn on its canvas; fails at once when the page shows an error. */
export async function chartDrawn(page, testId) {
  const canvas = page.getByTestId(testId).locator("canvas").first();
  const error = page.getByTestId("error-state").first();
  await canvas.or(error).first().waitFor();
  if (!(await canvas.isVisible())) {
    throw new Error(`${testId}: the page shows an error: ${(await error.innerText()).replace(/\s+/g, " ")}`);
  }
  await page.getByTestId(testId).and(page.locator('[data-rendered="true"]')).waitFor();
}

/**
 * Waits until the page is at rest: no spinner, no busy table, and every visible chart has
 * finished drawing (the Chart component sets data-rendered="true" on ECharts' "finished").
 */
export async function settled(page, { timeout = 15_000 } = {}) {
  await page.waitForFunction(
    () => {
      if (document.querySelector('[data-testid="loading"], table[aria-busy="true"]')) return false;
      return [...document.querySelectorAll(".chart")].every(
        (c) => c.getClientRects().length === 0 || c.getAttribute("data-rendered") === "true",
      );
    },
    null,
    { timeout, polling: 100 },
  );
}

/** What the XSS guard saw, plus dialogs and foreign requests. */
export async function guardFindings(page, diag) {
  const dom = await page.evaluate(() => (window.__wardenScan ? window.__wardenScan() : ["guard missing"]));
  return [...dom, ...diag.dialogs.map((d) => "dialog " + d), ...diag.foreign.map((u) => "foreign request " + u)];
}
