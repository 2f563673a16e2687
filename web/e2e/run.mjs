#!/usr/bin/env node
// End-to-end tests of the dashboard: the real `warden` binary fed with sample traffic (and, for
// the XSS test, traffic full of XSS probes), driven in headless Debian Chromium.
//
//   node web/e2e/run.mjs                 # all tests
//   WARDEN_E2E_FILTER=xss node …         # tests whose name matches a regular expression
//
// Environment: WARDEN_BINARY (default ../build/release/warden relative to web/), CHROMIUM
// (default /usr/bin/chromium), WARDEN_SCREENSHOTS (default build/screenshots in the repo).

import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAll } from "./lib/harness.mjs";
import { apiGet, ingest, sample, serveHelp, startServer, waitIdle } from "./lib/server.mjs";
import { launchBrowser, login, newSession } from "./lib/browser.mjs";
import { corpusProbes, generateProbes } from "./lib/xss-probes.mjs";
import { XSS_CONFIG, xssTraffic } from "./lib/traffic.mjs";
import { contractRoutes, servedRoutes } from "./lib/contract.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const webDir = resolve(here, "..");
const repoRoot = resolve(webDir, "..");
const binary = resolve(process.env.WARDEN_BINARY ?? resolve(webDir, "../build/release/warden"));
const shotsDir = resolve(process.env.WARDEN_SCREENSHOTS ?? join(repoRoot, "build/screenshots"));
const filter = process.env.WARDEN_E2E_FILTER ? new RegExp(process.env.WARDEN_E2E_FILTER, "i") : null;

function fail(msg) {
  console.error(`web e2e: ${msg}`);
  process.exit(1);
}

if (!existsSync(binary)) fail(`no warden binary at ${binary} (set WARDEN_BINARY)`);
if (!existsSync(process.env.CHROMIUM ?? "/usr/bin/chromium")) fail("Chromium not found (apt-get install chromium)");
mkdirSync(shotsDir, { recursive: true });

const t0 = Date.now();
const work = mkdtempSync(join(tmpdir(), "warden-e2e-"));
const key = "wdn_e2e_" + Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2);
const servers = [];
let browser;
let exitCode = 1;

async function cleanup() {
  await browser?.close().catch(() => {});
  await Promise.all(servers.map((s) => s.stop().catch(() => {})));
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    cleanup().finally(() => process.exit(130));
  });

try {
  // Two servers: one with sample shop traffic, one with XSS probes (actor ids from a header,
  // when this binary reads a --config file).
  const hasConfig = (await serveHelp(binary)).includes("--config");
  if (!hasConfig) console.log("web e2e: this binary has no `serve --config`: XSS actor ids stay IP addresses");
  const [main, xss] = await Promise.all([
    startServer({ binary, adminKey: key, label: "main", extraArgs: ["--trusted-proxies", "1"] }),
    startServer({ binary, adminKey: key, label: "xss", config: hasConfig ? XSS_CONFIG : null, extraArgs: ["--trusted-proxies", "1"] }),
  ]);
  servers.push(main, xss);

  const generated = generateProbes();
  const fromCorpus = corpusProbes();
  const probes = [...new Set([...fromCorpus, ...generated])];
  const sampleFile = join(work, "s.jsonl");
  const xssFile = join(work, "xss.jsonl");
  writeFileSync(xssFile, xssTraffic(probes));
  await sample(binary, sampleFile, 3000);
  await Promise.all([ingest(binary, main, sampleFile), ingest(binary, xss, xssFile)]);
  await Promise.all([waitIdle(main), waitIdle(xss)]);
  // Every probe must have reached detection: a probe the server refused proves nothing.
  const xssHealth = await apiGet(xss, "/healthz");
  if (!(xssHealth.body?.accepted >= probes.length))
    throw new Error(`the XSS server accepted ${xssHealth.body?.accepted} of ${probes.length} exchanges`);
  console.log(
    `web e2e: servers ${main.url} (sample traffic) and ${xss.url} (${probes.length} XSS probes: ` +
      `${fromCorpus.length} from public XSS lists, ${generated.length} generated); ` +
      `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  const contract = contractRoutes(join(repoRoot, "docs/api-v1.md"));
  const served = await servedRoutes(main, contract);
  console.log(
    `web e2e: API v1 — ${served.served.length} of ${contract.length} routes of docs/api-v1.md served` +
      (served.openapi ? "" : " (no /api/v1/openapi.json)") +
      (served.missing.length ? `; missing: ${served.missing.join(", ")}` : ""),
  );

  browser = await launchBrowser();
  const sessions = new Map();
  const ctx = {
    binary,
    main,
    xss,
    browser,
    probes,
    corpusProbes: fromCorpus,
    actorIdsFromHeader: hasConfig,
    shotsDir,
    current: null,
    /** A logged-in page on `server` (cached per server and theme). */
    async session(server = main, theme = "dark") {
      const k = server.url + theme;
      if (!sessions.has(k)) {
        const s = await newSession(browser, server, { theme });
        await login(s.page, server);
        sessions.set(k, s);
      }
      ctx.current = sessions.get(k);
      return ctx.current;
    },
    async fresh(server = main, theme = "dark") {
      const s = await newSession(browser, server, { theme });
      ctx.current = s;
      return s;
    },
    async afterEach(t, error) {
      const s = ctx.current;
      if (!s) return "";
      const notes = [];
      if (s.diag.missing.size) notes.push("API answered 404/405: " + [...s.diag.missing].slice(0, 8).join(", "));
      if (s.diag.serverErrors.length) notes.push("server errors: " + s.diag.serverErrors.slice(0, 5).join(", "));
      if (s.diag.pageErrors.length) notes.push("page errors: " + s.diag.pageErrors.slice(0, 3).join(" | "));
      s.diag.missing.clear();
      s.diag.serverErrors.length = 0;
      s.diag.pageErrors.length = 0;
      if (error && !s.page.isClosed()) {
        const dir = join(shotsDir, "failures");
        mkdirSync(dir, { recursive: true });
        const file = join(dir, t.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase() + ".png");
        await s.page.screenshot({ path: file }).catch(() => {});
        notes.push("screenshot: " + file);
      }
      return notes.join("\n");
    },
  };

  await import("./tests/pages.mjs");
  await import("./tests/actions.mjs");
  await import("./tests/xss.mjs");
  await import("./tests/screenshots.mjs");

  const results = await runAll(ctx, filter);
  const failed = results.filter((r) => !r.ok);
  console.log(
    `web e2e: ${results.length - failed.length} passed, ${failed.length} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s` +
      (served.missing.length ? `\nweb e2e: routes of docs/api-v1.md this server lacks: ${served.missing.join(", ")}` : ""),
  );
  exitCode = failed.length || results.length === 0 ? 1 : 0;
} catch (e) {
  console.error("web e2e: set-up failed:", e?.stack ?? e);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
