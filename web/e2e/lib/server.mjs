// Starts the real `warden serve` on a free port with its own data directory, and feeds it
// traffic through `warden ingest` (the real ingest API).

import { spawn, execFile } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export async function startServer({ binary, adminKey, config, label, extraArgs = [] }) {
  const dir = mkdtempSync(join(tmpdir(), `warden-e2e-${label}-`));
  const dataDir = join(dir, "data");
  const args = ["serve", "--data-dir", dataDir, "--listen", "127.0.0.1:0", "--workers", "2", ...extraArgs];
  if (config) {
    const cfg = join(dir, "warden.yaml");
    writeFileSync(cfg, config);
    args.push("--config", cfg);
  }
  const proc = spawn(binary, args, {
    env: { ...process.env, WARDEN_ADMIN_KEY: adminKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label}: server did not start in 30 s\n${log}`)), 30_000);
    const onData = (chunk) => {
      log += chunk.toString();
      const m = /Warden listening on (http:\/\/[\d.]+:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${label}: server exited with ${code}\n${log}`));
    });
  });
  proc.stdout.on("data", (c) => {
    log = (log + c.toString()).slice(-20000);
  });
  proc.stderr.on("data", (c) => {
    log = (log + c.toString()).slice(-20000);
  });
  return {
    url,
    dir,
    adminKey,
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill("SIGTERM");
        await new Promise((r) => {
          const t = setTimeout(() => {
            proc.kill("SIGKILL");
            r();
          }, 10_000);
          proc.on("exit", () => {
            clearTimeout(t);
            r();
          });
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function ingest(binary, server, file) {
  const { stdout, stderr } = await run(
    binary,
    ["ingest", "--server", server.url, "--key", server.adminKey, file],
    { maxBuffer: 16 << 20, timeout: 120_000 },
  );
  return stdout + stderr;
}

export async function sample(binary, out, count) {
  await run(binary, ["sample", "--count", String(count), "--out", out], { timeout: 60_000 });
}

/**
 * Waits until the server has finished with the traffic it accepted: detection has processed every
 * accepted exchange (/healthz counters) and the stored event and actor totals hold still over
 * three polls — so no test sees totals grow under it on a slow machine.
 */
export async function waitIdle(server, { timeout = 90_000 } = {}) {
  const deadline = Date.now() + timeout;
  let last = "";
  let same = 0;
  for (;;) {
    const h = await apiGet(server, "/healthz");
    const done = h.status === 200 && h.body.processed >= h.body.accepted;
    if (done) {
      const ev = await apiGet(server, "/api/v1/events?limit=1");
      const ac = await apiGet(server, "/api/v1/actors?limit=1");
      const now = `${ev.body?.total}/${ac.body?.total}`;
      same = now === last ? same + 1 : 0;
      last = now;
      if (same >= 2) return;
    }
    if (Date.now() > deadline) throw new Error(`server ${server.url} still busy after ${timeout} ms: ${JSON.stringify(h.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Calls the API directly (for test set-up and cross-checks, not for what the UI shows). */
export async function apiGet(server, path) {
  const r = await fetch(server.url + path, { headers: { "x-api-key": server.adminKey } });
  const text = await r.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* text */
  }
  return { status: r.status, body };
}

export async function serveHelp(binary) {
  try {
    const { stdout } = await run(binary, ["serve", "--help"], { timeout: 10_000 });
    return stdout;
  } catch (e) {
    return String(e.stdout ?? "");
  }
}
