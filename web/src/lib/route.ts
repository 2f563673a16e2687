// URL state lives in the hash: `#/page/sub?param=value`. The time range (`range`) is kept when
// moving between pages; everything else belongs to the page.

import { useSyncExternalStore } from "react";

export interface Route {
  path: string[];
  params: URLSearchParams;
}

const GLOBAL_PARAMS = ["range"];

function parse(hash: string): Route {
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  const q = h.indexOf("?");
  const p = q < 0 ? h : h.slice(0, q);
  const params = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  const path = p
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { path, params };
}

function subscribe(fn: () => void): () => void {
  window.addEventListener("hashchange", fn);
  return () => window.removeEventListener("hashchange", fn);
}

let cachedHash = "\u0000";
let cachedRoute: Route = { path: [], params: new URLSearchParams() };
function snapshot(): Route {
  if (location.hash !== cachedHash) {
    cachedHash = location.hash;
    cachedRoute = parse(cachedHash);
  }
  return cachedRoute;
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

function build(path: string[], params: URLSearchParams): string {
  const p = "/" + path.map((s) => encodeURIComponent(s)).join("/");
  const q = params.toString();
  return "#" + p + (q ? "?" + q : "");
}

function go(hash: string, replace: boolean): void {
  if (hash === location.hash) return;
  if (replace) {
    history.replaceState(history.state, "", hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    location.hash = hash;
  }
}

export type ParamPatch = Record<string, string | number | boolean | null | undefined>;

function applyPatch(params: URLSearchParams, patch: ParamPatch): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined || v === null || v === "" || v === false) params.delete(k);
    else params.set(k, String(v));
  }
}

/** Goes to another page, keeping the time range. */
export function navigate(path: string[], patch: ParamPatch = {}, replace = false): void {
  const cur = snapshot();
  const params = new URLSearchParams();
  for (const g of GLOBAL_PARAMS) {
    const v = cur.params.get(g);
    if (v !== null) params.set(g, v);
  }
  applyPatch(params, patch);
  go(build(path, params), replace);
}

/** Changes parameters of the current page (filters, tabs, selection). */
export function setParams(patch: ParamPatch, replace = true): void {
  const cur = snapshot();
  const params = new URLSearchParams(cur.params);
  applyPatch(params, patch);
  go(build(cur.path, params), replace);
}

/** A link target within the app (only ever built from our own page names and ids). */
export function href(path: string[], patch: ParamPatch = {}): string {
  const cur = snapshot();
  const params = new URLSearchParams();
  for (const g of GLOBAL_PARAMS) {
    const v = cur.params.get(g);
    if (v !== null) params.set(g, v);
  }
  applyPatch(params, patch);
  return build(path, params);
}

export function listParam(params: URLSearchParams, name: string): string[] {
  const v = params.get(name);
  return v ? v.split(",").filter(Boolean) : [];
}
