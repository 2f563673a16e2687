// Types of Warden's API v1, mirroring docs/api-v1.md field by field. Every string that comes
// from traffic (urls, paths, headers, payloads, actor ids, matched fragments) is attacker data:
// render it as text only.

export type Role = "viewer" | "analyst" | "admin" | "sensor";
export type Severity = "LOW" | "MEDIUM" | "HIGH" | "CRITICAL";
export type EventStatus = "ACTIVE" | "UNDER_REVIEW" | "IGNORED";
export type EventType = "Rule-Based" | "Anomaly";
export type EventKind = "SINGLE" | "AGGREGATED";
export type ActorStatus =
  | "ACTIVE"
  | "MONITORED"
  | "RESOLVED"
  | "ALLOW"
  | "SNOOZE"
  | "SUSPEND"
  | "DENY";
export type ThreatTypeScheme = "warden" | "owasp_api_2023" | "owasp_2021" | "cwe";
export type CallInterval = "15m" | "30m" | "1h" | "3h" | "6h" | "12h" | "1d" | "7d";

export const SEVERITIES: readonly Severity[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
export const EVENT_STATUSES: readonly EventStatus[] = ["ACTIVE", "UNDER_REVIEW", "IGNORED"];
export const ACTOR_STATUSES: readonly ActorStatus[] = [
  "ACTIVE",
  "MONITORED",
  "RESOLVED",
  "ALLOW",
  "SNOOZE",
  "SUSPEND",
  "DENY",
];
export const CALL_INTERVALS: readonly CallInterval[] = [
  "15m",
  "30m",
  "1h",
  "3h",
  "6h",
  "12h",
  "1d",
  "7d",
];

/** `{"error":{"code","message","field"}}`; policy YAML errors also carry line and column. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; line?: number; column?: number };
}

/** Every list answer. `total` counts all matches; `nextCursor` pages on. */
export interface Page<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

export interface Me {
  keyId: string;
  name: string;
  role: Role;
}

// ---- Events ----

export interface ThreatEvent {
  id: string;
  refId: string;
  actor: string;
  policyId: string;
  policyName: string;
  url: string;
  endpoint: string;
  method: string;
  host: string;
  apiCollectionId: number | string;
  ip: string;
  country: string;
  type: EventType;
  eventType: EventKind;
  category: string;
  subCategory: string;
  severity: Severity;
  status: EventStatus;
  successfulExploit: boolean;
  exploitEvidence: string;
  location: string;
  matched: string;
  count: number;
  detectedAt: number;
  lastDetectedAt: number;
  statusCode: number;
  owaspApi2023: string[];
  owasp2021: string[];
  cwe: string[];
  jiraTicketUrl: string | null;
}

export type HeaderPair = [string, string];

export interface EventSample {
  method: string;
  url: string;
  httpVersion: string;
  requestHeaders: HeaderPair[];
  requestBody: string;
  statusCode: number;
  responseHeaders: HeaderPair[];
  responseBody: string;
  requestBodyTruncated: boolean;
  responseBodyTruncated: boolean;
}

export interface PolicyInfo {
  id: string;
  name: string;
  description: string;
  details: string;
  impact: string;
  remediation: string;
  references: string[];
  owaspApi2023: string[];
  owasp2021: string[];
  cwe: string[];
}

export interface EventDetail extends ThreatEvent {
  sample: EventSample | null;
  policy: PolicyInfo | null;
}

export interface TimelinePoint {
  ts: number;
  count: number;
}

/** Filters of `GET /api/v1/events` (and the bulk status `filter`). */
export interface EventQuery {
  status?: EventStatus[];
  severity?: Severity[];
  actor?: string;
  ip?: string;
  url?: string;
  host?: string;
  type?: EventType[];
  policy?: string;
  subCategory?: string;
  successfulExploit?: boolean;
  q?: string;
  from?: number;
  to?: number;
  sort?: "detectedAt" | "-detectedAt" | "severity" | "-severity";
}

export interface EventPatch {
  status?: EventStatus;
  jiraTicketUrl?: string;
  comment?: string;
}

export interface IgnoreRequest {
  scope: "endpoint" | "actor";
  expiresIn?: number;
  reason: string;
}

export interface IgnoreRule {
  id: string;
  policyId: string;
  endpoint: string;
  host: string;
  actor: string | null;
  expiresAt: number | null;
  reason: string;
  createdBy: string;
  createdAt: number;
  suppressed: number;
}

// ---- Actors ----

export interface Actor {
  id: string;
  kind: "ip" | "user";
  latestIp: string;
  country: string;
  firstSeen: number;
  lastSeen: number;
  latestEndpoint: string;
  latestMethod: string;
  latestHost: string;
  latestAttack: string;
  latestSubCategory: string;
  eventCount: number;
  score: number;
  threatLevel: Severity;
  status: ActorStatus;
  statusExpiresAt: number | null;
  ipReputation: string;
  ipType: string;
  hosts: string[];
  ipCount: number;
}

export interface KeyCount {
  key: string;
  count: number;
}

export interface ActorDetail extends Actor {
  insight: string;
  distributions: { domains: KeyCount[]; statusCodes: KeyCount[]; threatTypes: KeyCount[] };
  timeline90d: TimelinePoint[];
}

export interface ActorEvidence extends ThreatEvent {
  scoreContribution: number;
}

export interface ActorIp {
  ip: string;
  firstSeen: number;
  lastSeen: number;
  country: string;
  city: string;
  region: string;
  asn: number | string | null;
  organization: string;
  type: string;
  reputation: string;
}

export interface StatusLogEntry {
  ts: number;
  from: ActorStatus;
  to: ActorStatus;
  comment: string;
  by: string;
  expiresAt: number | null;
}

export interface LedgerRow {
  ts: number;
  eventId: string;
  policyId: string;
  severity: Severity;
  points: number;
  successfulExploit: boolean;
}

export interface ActorQuery {
  status?: ActorStatus[];
  threatLevel?: Severity[];
  country?: string;
  host?: string;
  policy?: string;
  q?: string;
  from?: number;
  to?: number;
  sort?: "-lastSeen" | "lastSeen" | "-score" | "-eventCount" | "-firstSeen";
}

export interface ActorStatusChange {
  status: ActorStatus;
  duration?: number;
  comment?: string;
}

// ---- Endpoints ----

export interface RuleCount {
  policyId: string;
  count: number;
}

export interface ThreatApi {
  id: string;
  host: string;
  method: string;
  endpoint: string;
  apiCollectionId: number | string;
  totalRequests: number;
  threatRequests: number;
  actorsCount: number;
  rules: RuleCount[];
  lastRule: string;
  firstSeen: number;
  lastSeen: number;
}

/** `GET /api/v1/endpoints/{id}`: "one endpoint with its totals, rules and recent events". */
export interface ThreatApiDetail extends ThreatApi {
  recentEvents?: ThreatEvent[];
  events?: ThreatEvent[];
}

export interface InventoryEndpoint {
  id: string;
  host: string;
  method: string;
  endpoint: string;
  firstSeen: number;
  lastSeen: number;
  totalRequests: number;
}

export interface ThreatApiQuery {
  q?: string;
  host?: string;
  policy?: string;
  country?: string;
  organization?: string;
  from?: number;
  to?: number;
  sort?: "-threatRequests" | "-totalRequests" | "-actorsCount" | "-lastSeen";
}

export interface CallCounts {
  interval: CallInterval;
  bucketSeconds: number;
  items: { ts: number; count: number; errors: number }[];
}

export interface CallerDistribution {
  items: { calls: string; callers: number }[];
  topCallers: { actor: string; calls: number }[];
}

// ---- Statistics ----

export interface StatsSummary {
  events: number;
  actors: number;
  apisUnderThreat: number;
  successfulExploits: number;
  bySeverity: { severity: Severity; count: number }[];
  byCategory: { category: string; count: number }[];
  byStatus: { status: EventStatus; count: number }[];
}

export interface StatsTimeline {
  items: { ts: number; counts: { subCategory: string; count: number }[] }[];
}

export interface StatsCountries {
  items: { country: string; actors: number }[];
}

export interface TopRule {
  policyId: string;
  name: string;
  events: number;
  apis: number;
}

export interface ThreatTypeCount {
  key: string;
  label: string;
  count: number;
}

export interface StatsActors {
  daily: { ts: number; total: number; critical: number }[];
  newVsExisting: { ts: number; new: number; existing: number }[];
  byThreatLevel: { threatLevel: Severity; count: number }[];
}

// ---- Policies ----

export interface PolicySummary {
  id: string;
  name: string;
  severity: Severity;
  category: string;
  subCategory: string;
  mode: string;
  enabled: boolean;
  builtin: boolean;
  source: string;
  tests: number;
  owaspApi2023: string[];
  owasp2021: string[];
  cwe: string[];
}

export interface PolicyDetail extends PolicySummary {
  yaml: string;
  info: Record<string, unknown> | null;
}

export interface PolicyTestRequest {
  yaml?: string;
  policyId?: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string };
  response?: { status: number; headers: Record<string, string>; body: string };
}

export interface PolicyFinding {
  policyId: string;
  location: string;
  matched: string;
  severity: Severity;
  successfulExploit: boolean;
}

export interface PolicyTestResult {
  matched: boolean;
  findings: PolicyFinding[];
}

// ---- Settings ----

export interface Settings {
  jira: { baseUrl: string; project: string; issueType: string; configured: boolean };
  retentionDays: number;
  [key: string]: unknown;
}
