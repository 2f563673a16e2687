#!/usr/bin/env node
// Writes xss-corpus.json: XSS payloads for the dashboard's injection test, taken from the public
// lists in the development corpus (../shared/corpus next to the repository, or the directory given
// as the first argument). Only MIT-licensed lists are used; their licenses sit next to the output.
// Round-robin over the list files, spread over each file rather than taking its head, so the
// selection covers many styles (tags, handlers, polyglots, encodings, URL schemes).
//
//   node web/e2e/data/extract-xss-corpus.mjs [corpus-dir] [max]

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(process.argv[2] ?? join(here, "../../../../shared/corpus"));
const max = Number(process.argv[3] ?? 320);

// [folder in the corpus, upstream repository, license file in this directory]
const LISTS = [
  ["payloadsallthethings/XSS Injection/Intruders", "github.com/swisskyrepo/PayloadsAllTheThings", "LICENSE.PayloadsAllTheThings"],
  ["seclists-fuzzing/Fuzzing/XSS", "github.com/danielmiessler/SecLists", "LICENSE.SecLists"],
  ["seclists-fuzzing/Fuzzing/Polyglots", "github.com/danielmiessler/SecLists", "LICENSE.SecLists"],
];

if (!existsSync(root)) {
  console.error(`extract-xss-corpus: no corpus at ${root}`);
  process.exit(1);
}

const lists = [];
for (const [dir, repo] of LISTS) {
  const abs = join(root, dir);
  if (!existsSync(abs)) continue;
  for (const f of readdirSync(abs).sort()) {
    const p = join(abs, f);
    if (!f.endsWith(".txt") || !statSync(p).isFile()) continue;
    if (dir.endsWith("Polyglots") && !/xss/i.test(f)) continue;
    const lines = readFileSync(p, "utf8")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length >= 4 && l.length <= 1500 && /[<>"'`:(]/.test(l) && !/[\u0000-\u0008]/.test(l) && !l.startsWith("#"));
    if (lines.length) lists.push({ from: `${repo}: ${dir.split("/").slice(1).join("/")}/${f}`, lines });
  }
}

const seen = new Set();
const probes = [];
for (let i = 0; probes.length < max; i++) {
  let any = false;
  for (const l of lists) {
    if (i >= l.lines.length) continue;
    any = true;
    const text = l.lines[(i * 7919) % l.lines.length];
    if (seen.has(text)) continue;
    seen.add(text);
    probes.push({ text, from: l.from });
    if (probes.length >= max) break;
  }
  if (!any) break;
}

const out = join(here, "xss-corpus.json");
writeFileSync(
  out,
  JSON.stringify(
    {
      about:
        "XSS payloads from public lists, used as traffic by web/e2e/tests/xss.mjs. Written by extract-xss-corpus.mjs. " +
        "PayloadsAllTheThings (MIT, LICENSE.PayloadsAllTheThings) and SecLists (MIT, LICENSE.SecLists).",
      probes,
    },
    null,
    1,
  ) + "\n",
);
console.log(`extract-xss-corpus: ${probes.length} payloads from ${lists.length} lists → ${out}`);
