// The dashboard's only way to the server: Warden's API v1 (docs/api-v1.md), same origin,
// authenticated with `x-api-key`. The key lives in sessionStorage (gone when the tab closes).

import type {
  ActorDetail,
  ActorEvidence,
  ActorIp,
  ActorQuery,
  ActorStatusChange,
  Actor,
  ApiErrorBody,
  CallCounts,
  CallerDistribution,
  CallInterval,
  EventDetail,
  EventPatch,
  EventQuery,
  IgnoreRequest,
  IgnoreRule,
  InventoryEndpoint,
  LedgerRow,
  Me,
  Page,
  PolicyDetail,
  PolicySummary,
  PolicyTestRequest,
  PolicyTestResult,
  Settings,
  StatsActors,
  StatsCountries,
  StatsSummary,
  StatsTimeline,
  StatusLogEntry,
  ThreatApi,
  ThreatApiDetail,
  ThreatApiQuery,
  ThreatEvent,
  ThreatTypeCount,
  ThreatTypeScheme,
  TimelinePoint,
  TopRule,
} from "./types";

const KEY_STORAGE = "warden.apiKey";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  constructor(
    status: number,
    code: string,
    message: string,
    extra?: { field?: string; line?: number; column?: number },
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = extra?.field;
    this.line = extra?.line;
    this.column = extra?.column;
  }
}

type QueryValue = string | number | boolean | undefined | null | readonly (string | number)[];
export type Query = Record<string, QueryValue>;

/** Builds `?a=1&b=x,y`, skipping empty values; multi-valued filters are comma-separated. */
export function queryString(q: Query | undefined): string {
  if (!q) return "";
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) {
      if (v.length) sp.set(k, v.join(","));
    } else {
      sp.set(k, String(v));
    }
  }
  const s = sp.toString();
  return s ? `?${s}` : "";
}

let apiKey: string | null = readStoredKey();
const unauthorizedListeners = new Set<() => void>();

function readStoredKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function getApiKey(): string | null {
  return apiKey;
}

export function setApiKey(key: string | null): void {
  apiKey = key;
  try {
    if (key) sessionStorage.setItem(KEY_STORAGE, key);
    else sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    /* storage unavailable: the key stays in memory */
  }
}

/** Called when the server answers 401: the key is gone or revoked. */
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  key?: string;
  signal?: AbortSignal;
}

async function send(method: string, path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json" };
  const key = opts.key ?? apiKey;
  if (key) headers["x-api-key"] = key;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  let resp: Response;
  try {
    resp = await fetch(`/api/v1${path}${queryString(opts.query)}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      credentials: "omit",
      cache: "no-store",
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "The server could not be reached.");
  }
  if (!resp.ok) {
    let body: Partial<ApiErrorBody> = {};
    try {
      body = (await resp.json()) as Partial<ApiErrorBody>;
    } catch {
      /* not JSON */
    }
    const err = body.error;
    const fallback =
      resp.status === 404 ? `Not found (${method} /api/v1${path})` : `HTTP ${resp.status}`;
    if (resp.status === 401 && opts.key === undefined) {
      unauthorizedListeners.forEach((fn) => fn());
    }
    throw new ApiError(resp.status, err?.code ?? "http_" + resp.status, err?.message ?? fallback, {
      field: err?.field,
      line: err?.line,
      column: err?.column,
    });
  }
  return resp;
}

async function json<T>(method: string, path: string, opts?: RequestOptions): Promise<T> {
  const resp = await send(method, path, opts);
  return (await resp.json()) as T;
}

async function text(path: string, opts?: RequestOptions): Promise<string> {
  const resp = await send("GET", path, opts);
  return await resp.text();
}

async function blob(path: string, opts?: RequestOptions): Promise<Blob> {
  const resp = await send("GET", path, opts);
  return await resp.blob();
}

const enc = encodeURIComponent;

/** Lists answer `Page<T>`; some routes documented as plain arrays are accepted either way. */
function items<T>(x: T[] | { items: T[] }): T[] {
  return Array.isArray(x) ? x : x.items;
}

export interface PageArgs {
  limit?: number;
  cursor?: string | null;
}

export type Signal = { signal?: AbortSignal };

export const api = {
  me: (key?: string) => json<Me>("GET", "/me", { key }),

  // Events
  events: (q: EventQuery & PageArgs, o: Signal = {}) =>
    json<Page<ThreatEvent>>("GET", "/events", { query: q as Query, ...o }),
  event: (id: string, o: Signal = {}) => json<EventDetail>("GET", `/events/${enc(id)}`, o),
  eventTimeline: (
    id: string,
    q: { bucket?: "hour" | "day"; from?: number; to?: number },
    o: Signal = {},
  ) => json<{ items: TimelinePoint[] }>("GET", `/events/${enc(id)}/timeline`, { query: q, ...o }),
  eventCurl: (id: string, base?: string) =>
    text(`/events/${enc(id)}/curl`, { query: { base } }),
  eventRaw: (id: string) => text(`/events/${enc(id)}/raw`),
  patchEvent: (id: string, patch: EventPatch) =>
    json<ThreatEvent>("PATCH", `/events/${enc(id)}`, { body: patch }),
  setEventsStatus: (
    target: { ids: string[] } | { filter: EventQuery },
    status: string,
    comment?: string,
  ) =>
    json<{ updated: number }>("POST", "/events/status", { body: { ...target, status, comment } }),
  ignoreEvent: (id: string, req: IgnoreRequest) =>
    json<IgnoreRule>("POST", `/events/${enc(id)}/ignore`, { body: req }),
  eventsCsv: (q: EventQuery & { limit?: number }) =>
    blob("/events/export.csv", { query: q as Query }),

  // Ignore rules
  ignoreRules: async (o: Signal = {}) =>
    items(await json<IgnoreRule[] | Page<IgnoreRule>>("GET", "/ignore-rules", o)),
  deleteIgnoreRule: (id: string) => send("DELETE", `/ignore-rules/${enc(id)}`),

  // Actors
  actors: (q: ActorQuery & PageArgs, o: Signal = {}) =>
    json<Page<Actor>>("GET", "/actors", { query: q as Query, ...o }),
  actor: (id: string, o: Signal = {}) => json<ActorDetail>("GET", `/actors/${enc(id)}`, o),
  actorEvents: (id: string, q: { from?: number; to?: number } & PageArgs, o: Signal = {}) =>
    json<Page<ActorEvidence> | ActorEvidence[]>("GET", `/actors/${enc(id)}/events`, {
      query: q as Query,
      ...o,
    }).then(items),
  actorIps: async (id: string, o: Signal = {}) =>
    items(await json<ActorIp[] | Page<ActorIp>>("GET", `/actors/${enc(id)}/ips`, o)),
  actorStatusLog: async (id: string, o: Signal = {}) =>
    items(
      await json<StatusLogEntry[] | Page<StatusLogEntry>>(
        "GET",
        `/actors/${enc(id)}/status-log`,
        o,
      ),
    ),
  actorLedger: (id: string, o: Signal = {}) =>
    json<{ items?: LedgerRow[]; rows?: LedgerRow[]; score: number }>(
      "GET",
      `/actors/${enc(id)}/ledger`,
      o,
    ),
  setActorStatus: (id: string, change: ActorStatusChange) =>
    json<Actor>("POST", `/actors/${enc(id)}/status`, { body: change }),
  setActorsStatus: (ids: string[], change: ActorStatusChange) =>
    json<{ updated: number }>("POST", "/actors/status", { body: { ids, ...change } }),
  actorsCsv: (q: ActorQuery & { limit?: number }) =>
    blob("/actors/export.csv", { query: q as Query }),

  // Endpoints
  endpoints: (q: { q?: string; host?: string } & PageArgs, o: Signal = {}) =>
    json<Page<InventoryEndpoint> | InventoryEndpoint[]>("GET", "/endpoints", {
      query: q as Query,
      ...o,
    }).then((r) =>
      Array.isArray(r) ? { items: r, total: r.length, nextCursor: null } : r,
    ) as Promise<Page<InventoryEndpoint>>,
  threatApis: (q: ThreatApiQuery & PageArgs, o: Signal = {}) =>
    json<Page<ThreatApi>>("GET", "/endpoints/threats", { query: q as Query, ...o }),
  threatApisCsv: (q: ThreatApiQuery & { limit?: number }) =>
    blob("/endpoints/threats/export.csv", { query: q as Query }),
  endpoint: (id: string, q: { from?: number; to?: number } = {}, o: Signal = {}) =>
    json<ThreatApiDetail>("GET", `/endpoints/${enc(id)}`, { query: q, ...o }),
  endpointCalls: (id: string, interval: CallInterval, o: Signal = {}) =>
    json<CallCounts>("GET", `/endpoints/${enc(id)}/calls`, { query: { interval }, ...o }),
  endpointCallers: (id: string, interval: CallInterval, o: Signal = {}) =>
    json<CallerDistribution>("GET", `/endpoints/${enc(id)}/callers`, {
      query: { interval },
      ...o,
    }),

  // Statistics
  summary: (r: Range, o: Signal = {}) =>
    json<StatsSummary>("GET", "/stats/summary", { query: r, ...o }),
  timeline: (r: Range, o: Signal = {}) =>
    json<StatsTimeline>("GET", "/stats/timeline", { query: r, ...o }),
  countries: (r: Range, o: Signal = {}) =>
    json<StatsCountries>("GET", "/stats/countries", { query: r, ...o }),
  topApis: (r: Range & { limit?: number }, o: Signal = {}) =>
    json<{ items: ThreatApi[] } | ThreatApi[]>("GET", "/stats/top-apis", { query: r, ...o }).then(
      items,
    ),
  topRules: (r: Range & { limit?: number }, o: Signal = {}) =>
    json<{ items: TopRule[] }>("GET", "/stats/top-rules", { query: r, ...o }).then(items),
  threatTypes: (r: Range & { scheme: ThreatTypeScheme; limit?: number }, o: Signal = {}) =>
    json<{ items: ThreatTypeCount[] }>("GET", "/stats/threat-types", { query: r, ...o }).then(
      items,
    ),
  actorStats: (r: Range, o: Signal = {}) =>
    json<StatsActors>("GET", "/stats/actors", { query: r, ...o }),

  // Policies
  policies: async (o: Signal = {}) =>
    items(await json<PolicySummary[] | Page<PolicySummary>>("GET", "/policies", o)),
  policy: (id: string, o: Signal = {}) => json<PolicyDetail>("GET", `/policies/${enc(id)}`, o),
  createPolicy: (yaml: string) => json<PolicySummary>("POST", "/policies", { body: { yaml } }),
  updatePolicy: (id: string, yaml: string) =>
    json<PolicySummary>("PUT", `/policies/${enc(id)}`, { body: { yaml } }),
  deletePolicy: (id: string) => send("DELETE", `/policies/${enc(id)}`),
  setPolicyEnabled: (id: string, enabled: boolean) =>
    json<PolicySummary>("POST", `/policies/${enc(id)}/${enabled ? "enable" : "disable"}`),
  testPolicy: (req: PolicyTestRequest) =>
    json<PolicyTestResult>("POST", "/policies/test", { body: req }),

  // Settings (admin)
  settings: (o: Signal = {}) => json<Settings>("GET", "/settings", o),
};

export type Range = { from?: number; to?: number };
