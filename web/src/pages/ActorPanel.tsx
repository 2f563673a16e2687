// The slide-out panel of one threat actor: Overview (insight, 90-day events, distributions),
// Evidence (24 h of events with score contributions), IP Addresses and Status Log.

import { useMemo, useState } from "react";
import { api } from "../api/client";
import type { ActorDetail, ActorEvidence, ActorIp } from "../api/types";
import { BarList } from "../components/BarList";
import { Chart, axisCommon, gridCommon, tooltip } from "../components/Chart";
import { ACTOR_STATUS_LABEL, SeverityChip, StatusChip } from "../components/Chips";
import { DataTable, type Column } from "../components/DataTable";
import { CloseButton, Drawer } from "../components/Overlays";
import { AsyncView, ErrorState, Loading } from "../components/States";
import { Tabs } from "../components/Tabs";
import { countryName } from "../lib/country";
import { fmtDay, fmtNum, fmtShortTime, fmtStamp, fmtTime } from "../lib/format";
import { navigate, setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useCan } from "../state";
import { ActorStatusDialog } from "./ActorStatusDialog";
import { policyLabel, usePolicyNames } from "../lib/policyNames";

type PanelTab = "overview" | "evidence" | "ips" | "log";
const TABS: { id: PanelTab; label: string }[] = [
  { id: "overview", label: "Overview" },
  { id: "evidence", label: "Evidence" },
  { id: "ips", label: "IP Addresses" },
  { id: "log", label: "Status Log" },
];

export function ActorPanel({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => void }) {
  const { params } = useRoute();
  const tab = (TABS.find((t) => t.id === params.get("atab"))?.id ?? "overview") as PanelTab;
  const [tick, setTick] = useState(0);
  const actor = useAsync((s) => api.actor(id, { signal: s }), [id, tick]);
  const canWrite = useCan("analyst");
  const [statusOpen, setStatusOpen] = useState(false);
  const a = actor.data;

  const head = (
    <>
      <div className="drawer-title">
        <div style={{ minWidth: 0 }}>
          <div className="faint" style={{ fontSize: 12 }}>
            {a ? (a.kind === "user" ? "User actor" : "IP actor") : "Threat actor"}
          </div>
          <h2 className="mono" data-testid="actor-title">
            {id}
          </h2>
        </div>
        <CloseButton onClick={onClose} />
      </div>
      {a && (
        <div className="drawer-meta">
          <SeverityChip severity={a.threatLevel} />
          <span>score {Math.round(a.score)}</span>
          <span>·</span>
          <span data-testid="actor-status">
            <StatusChip status={a.status} />
          </span>
          {a.statusExpiresAt && <span>until {fmtTime(a.statusExpiresAt)}</span>}
          <span>·</span>
          <span>{fmtNum(a.eventCount)} events</span>
          <span>·</span>
          <span>
            {a.latestIp} · {countryName(a.country)}
          </span>
          <span style={{ marginLeft: "auto" }} />
          {canWrite && (
            <ActorStatusMenu status={a.status} onOpen={() => setStatusOpen(true)} />
          )}
        </div>
      )}
      <Tabs testId="actor-tabs" tabs={TABS} value={tab} onChange={(t) => setParams({ atab: t === "overview" ? null : t })} />
    </>
  );

  return (
    <Drawer onClose={onClose} head={head} testId="actor-panel" label="Threat actor">
      {actor.error && !a ? (
        <ErrorState error={actor.error} retry={actor.reload} />
      ) : !a ? (
        <Loading />
      ) : (
        <>
          {tab === "overview" && <ActorOverview a={a} />}
          {tab === "evidence" && <ActorEvidenceTab id={id} />}
          {tab === "ips" && <ActorIpsTab id={id} />}
          {tab === "log" && <ActorStatusLog id={id} tick={tick} />}
        </>
      )}
      {statusOpen && a && (
        <ActorStatusDialog
          ids={[id]}
          current={a.status}
          onClose={() => setStatusOpen(false)}
          onDone={() => {
            setStatusOpen(false);
            setTick((t) => t + 1);
            onChanged();
          }}
        />
      )}
    </Drawer>
  );
}

/** The status control in the actor panel's header. */
function ActorStatusMenu({ status, onOpen }: { status: ActorDetail["status"]; onOpen: () => void }) {
  return (
    <button className="btn small primary" onClick={onOpen} data-testid="actor-status-button" title={`Status: ${ACTOR_STATUS_LABEL[status]}`}>
      Change status ▾
    </button>
  );
}

function ActorOverview({ a }: { a: ActorDetail }) {
  return (
    <>
      <section className="section">
        <h3>Insight</h3>
        <p className="prose insight" data-testid="actor-insight">
          {a.insight || "No insight available for this actor."}
        </p>
      </section>
      <section className="section">
        <h3>Events over the last 90 days</h3>
        {(a.timeline90d ?? []).length === 0 ? (
          <span className="faint">No events.</span>
        ) : (
          <Chart
            label="Events over 90 days"
            testId="chart-actor-90d"
            className="short"
            deps={[a.timeline90d]}
            option={(c) => ({
              tooltip: tooltip(c, { trigger: "axis" }),
              grid: gridCommon({ top: 12 }),
              xAxis: { type: "category", data: a.timeline90d.map((x) => fmtDay(x.ts)), ...axisCommon(c), splitLine: { show: false } },
              yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
              series: [{ name: "Events", type: "bar", barMaxWidth: 14, data: a.timeline90d.map((x) => x.count), itemStyle: { color: c.accent, borderRadius: [2, 2, 0, 0] } }],
            })}
          />
        )}
      </section>
      <div className="grid cols-3">
        <section className="section">
          <h3>Domains</h3>
          <BarList testId="dist-domains" items={a.distributions?.domains ?? []} max={6} />
        </section>
        <section className="section">
          <h3>Status codes</h3>
          <BarList testId="dist-status" items={a.distributions?.statusCodes ?? []} max={6} />
        </section>
        <section className="section">
          <h3>Threat types</h3>
          <BarList testId="dist-types" items={a.distributions?.threatTypes ?? []} max={6} />
        </section>
      </div>
      <section className="section">
        <h3>Latest activity</h3>
        <dl className="kv">
          <dt>Latest attack</dt>
          <dd>
            {a.latestAttack || "—"}
            {a.latestSubCategory && <span className="faint"> · {a.latestSubCategory}</span>}
          </dd>
          <dt>Latest request</dt>
          <dd className="mono" style={{ wordBreak: "break-all" }}>
            {a.latestMethod} {a.latestEndpoint} <span className="faint">on {a.latestHost}</span>
          </dd>
          <dt>First / last seen</dt>
          <dd>
            {fmtTime(a.firstSeen)} → {fmtTime(a.lastSeen)}
          </dd>
          <dt>IP reputation / type</dt>
          <dd>
            {a.ipReputation || "unknown"} · {a.ipType || "unknown"} · {fmtNum(a.ipCount)} IPs
          </dd>
        </dl>
      </section>
    </>
  );
}

function ActorEvidenceTab({ id }: { id: string }) {
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const from = now - 86400;
  const ev = useAsync((s) => api.actorEvents(id, { from, to: now, limit: 500 }, { signal: s }), [id]);
  const ips = useAsync((s) => api.actorIps(id, { signal: s }), [id]);
  const names = usePolicyNames();
  const rep = useMemo(() => new Map((ips.data ?? []).map((x) => [x.ip, x.reputation])), [ips.data]);
  const hours = useMemo(() => {
    const buckets = Array.from({ length: 24 }, (_, i) => ({ ts: from + i * 3600, count: 0 }));
    for (const e of ev.data ?? []) {
      const i = Math.floor(((e.lastDetectedAt || e.detectedAt) - from) / 3600);
      const b = buckets[Math.min(23, Math.max(0, i))];
      if (b) b.count += 1;
    }
    return buckets;
  }, [ev.data, from]);

  const columns: Column<ActorEvidence>[] = [
    {
      key: "rule",
      header: "Threat rule",
      className: "clip",
      width: "26%",
      title: (r) => `${policyLabel(names, r.policyId, r.policyName)} (${r.policyId})`,
      render: (r) => policyLabel(names, r.policyId, r.policyName),
    },
    { key: "sev", header: "Severity", render: (r) => <SeverityChip severity={r.severity} /> },
    { key: "score", header: "Score", className: "num", title: () => "Score contribution", render: (r) => `+${fmtNum(Math.round(r.scoreContribution * 10) / 10)}` },
    {
      key: "ip",
      header: "IP / reputation",
      className: "nowrap",
      render: (r) => (
        <>
          <span className="mono">{r.ip}</span>
          <span className="cell-sub">{rep.get(r.ip) || "unknown"}</span>
        </>
      ),
    },
    {
      key: "endpoint",
      header: "Endpoint",
      className: "mono clip",
      width: "26%",
      title: (r) => `${r.method} ${r.url}`,
      render: (r) => (
        <>
          <span className="method">{r.method}</span>
          {r.endpoint}
        </>
      ),
    },
    { key: "code", header: "Status", className: "num", title: () => "Response status code", render: (r) => r.statusCode || "—" },
    {
      key: "time",
      header: "Time",
      className: "nowrap",
      title: (r) => fmtTime(r.lastDetectedAt || r.detectedAt),
      render: (r) => fmtStamp(r.lastDetectedAt || r.detectedAt),
    },
  ];

  return (
    <>
      <section className="section">
        <h3>Events in the last 24 hours</h3>
        <Chart
          label="Events in the last 24 hours"
          testId="chart-actor-24h"
          className="short"
          deps={[hours]}
          option={(c) => ({
            tooltip: tooltip(c, { trigger: "axis" }),
            grid: gridCommon({ top: 12 }),
            xAxis: { type: "category", data: hours.map((x) => fmtShortTime(x.ts, false)), ...axisCommon(c), splitLine: { show: false } },
            yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
            series: [{ name: "Events", type: "bar", barMaxWidth: 16, data: hours.map((x) => x.count), itemStyle: { color: c.palette[3], borderRadius: [2, 2, 0, 0] } }],
          })}
        />
      </section>
      <div className="card flush">
        <DataTable
          testId="table-evidence"
          autoHeight
          rows={ev.data}
          error={ev.error}
          retry={ev.reload}
          rowKey={(r) => r.id}
          columns={columns}
          onRowClick={(r) => navigate(["activity"], { event: r.id, tab: r.status === "ACTIVE" ? null : r.status })}
          empty="No events from this actor in the last 24 hours."
        />
      </div>
    </>
  );
}

const ipColumns: Column<ActorIp>[] = [
  { key: "ip", header: "IP address", className: "mono nowrap", render: (r) => r.ip },
  { key: "rep", header: "Reputation", render: (r) => r.reputation || <span className="faint">unknown</span> },
  { key: "city", header: "City", render: (r) => r.city || "—" },
  { key: "region", header: "Region", render: (r) => r.region || "—" },
  { key: "country", header: "Country", render: (r) => countryName(r.country) },
  { key: "type", header: "Type", render: (r) => r.type || "—" },
  {
    key: "org",
    header: "Organisation",
    className: "clip",
    render: (r) => (
      <>
        {r.organization || "—"}
        {r.asn ? <span className="cell-sub">AS{String(r.asn).replace(/^AS/i, "")}</span> : null}
      </>
    ),
  },
  { key: "last", header: "Last seen", className: "nowrap", render: (r) => fmtTime(r.lastSeen) },
];

function ActorIpsTab({ id }: { id: string }) {
  const ips = useAsync((s) => api.actorIps(id, { signal: s }), [id]);
  return (
    <div className="card flush">
      <DataTable testId="table-ips" autoHeight rows={ips.data} error={ips.error} retry={ips.reload} rowKey={(r) => r.ip} columns={ipColumns} empty="No IP addresses recorded." />
    </div>
  );
}

function ActorStatusLog({ id, tick }: { id: string; tick: number }) {
  const log = useAsync((s) => api.actorStatusLog(id, { signal: s }), [id, tick]);
  return (
    <AsyncView state={log}>
      {(rows) => (
        <div className="card flush">
          <DataTable
            testId="table-status-log"
            autoHeight
            rows={rows}
            rowKey={(r) => `${r.ts}-${r.from}-${r.to}-${r.by}-${r.comment}`}
            empty="No status changes yet."
            columns={[
              { key: "ts", header: "Time", className: "nowrap", render: (r) => fmtTime(r.ts) },
              {
                key: "change",
                header: "Status",
                className: "nowrap",
                render: (r) => (
                  <>
                    <StatusChip status={r.from} /> <span className="faint">→</span> <StatusChip status={r.to} />
                  </>
                ),
              },
              { key: "exp", header: "Until", className: "nowrap", render: (r) => (r.expiresAt ? fmtTime(r.expiresAt) : "—") },
              { key: "by", header: "By", render: (r) => r.by },
              { key: "comment", header: "Comment", render: (r) => <span data-testid="log-comment">{r.comment || "—"}</span> },
            ]}
          />
        </div>
      )}
    </AsyncView>
  );
}
