// Which routes of docs/api-v1.md the server under test serves, from its OpenAPI document.

import { existsSync, readFileSync } from "node:fs";

/** Routes listed in docs/api-v1.md: ["GET /api/v1/events", …]. */
export function contractRoutes(docPath) {
  if (!existsSync(docPath)) return [];
  const out = new Set(["GET /api/v1/me", "GET /api/v1/openapi.json"]);
  for (const line of readFileSync(docPath, "utf8").split("\n")) {
    if (!line.startsWith("| `")) continue;
    const m = /^\| `(GET|POST|PUT|PATCH|DELETE) (\/api\/v1\/[^`\s]+)`(.*?)\|/.exec(line);
    if (!m) continue;
    out.add(`${m[1]} ${m[2]}`);
    // "`POST /api/v1/policies/{id}/enable`, `/disable`"
    for (const extra of m[3].matchAll(/`(\/[a-z-]+)`/g)) out.add(`${m[1]} ${m[2].replace(/\/[a-z-]+$/, "")}${extra[1]}`);
  }
  return [...out];
}

const norm = (r) => r.replace(/\{[^}]+\}/g, "{}");

/** { served, missing } against GET /api/v1/openapi.json (missing = everything when absent). */
export async function servedRoutes(server, routes) {
  let doc = null;
  try {
    const r = await fetch(server.url + "/api/v1/openapi.json");
    if (r.ok) doc = await r.json();
  } catch {
    doc = null;
  }
  if (!doc?.paths) return { openapi: false, served: [], missing: routes };
  const have = new Set();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const method of Object.keys(ops)) have.add(norm(`${method.toUpperCase()} ${path}`));
  return {
    openapi: true,
    served: routes.filter((r) => have.has(norm(r))),
    missing: routes.filter((r) => !have.has(norm(r))),
  };
}
