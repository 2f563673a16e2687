// A tiny sequential test runner: no framework, plain Node. Tests share one server and browser.

import { inspect } from "node:util";

const tests = [];

/** Registers a test. `opts.timeout` in ms (default 60 s). */
export function test(name, fn, opts = {}) {
  tests.push({ name, fn, timeout: opts.timeout ?? 60_000 });
}

export class AssertionError extends Error {}

export function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

export function assertEqual(actual, expected, message) {
  if (actual !== expected)
    throw new AssertionError(`${message}: expected ${inspect(expected)}, got ${inspect(actual)}`);
}

function withTimeout(p, ms, name) {
  let t;
  return Promise.race([
    p.finally(() => clearTimeout(t)),
    new Promise((_, rej) => {
      t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${name}`)), ms);
    }),
  ]);
}

/**
 * Runs the registered tests whose name matches `filter`. `ctx.beforeEach/afterEach(test)` hooks
 * may add diagnostics (afterEach receives the error, or null). Returns { passed, failed }.
 */
export async function runAll(ctx, filter) {
  const results = [];
  for (const t of tests) {
    if (filter && !filter.test(t.name)) continue;
    const started = Date.now();
    let error = null;
    try {
      await ctx.beforeEach?.(t);
      await withTimeout(Promise.resolve().then(() => t.fn(ctx)), t.timeout, t.name);
    } catch (e) {
      error = e;
    }
    let extra = "";
    try {
      extra = (await ctx.afterEach?.(t, error)) ?? "";
    } catch (e) {
      extra = `afterEach failed: ${e?.message ?? e}`;
    }
    const ms = Date.now() - started;
    if (error) {
      console.log(`  ✗ ${t.name} (${ms} ms)`);
      console.log(indent(String(error?.stack ?? error).split("\n").slice(0, 6).join("\n"), 6));
      if (extra) console.log(indent(extra, 6));
    } else {
      console.log(`  ✓ ${t.name} (${ms} ms)`);
    }
    results.push({ name: t.name, ok: !error, ms, error, extra });
  }
  return results;
}

function indent(s, n) {
  const pad = " ".repeat(n);
  return s
    .split("\n")
    .map((l) => pad + l)
    .join("\n");
}
