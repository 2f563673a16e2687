import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import type { Actor, ActorQuery, ActorStatus, Severity } from "../api/types";
import { ACTOR_STATUSES, SEVERITIES } from "../api/types";
import { Chart, axisCommon, gridCommon, tooltip } from "../components/Chart";
import { ACTOR_STATUS_LABEL, SeverityChip, StatusChip } from "../components/Chips";
import { CsvDownloadButton } from "../components/CsvDownloadDialog";
import { DataTable, type Column } from "../components/DataTable";
import { FilterChips, MultiToggle, SearchInput, SelectFilter, TextFilter } from "../components/FilterBar";
import { Pager, useCursorPager } from "../components/Pager";
import { AsyncView } from "../components/States";
import { countryName } from "../lib/country";
import { clip, fmtAgo, fmtDay, fmtNum, fmtStamp, fmtTime } from "../lib/format";
import { listParam, setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useCan, useTimeRange } from "../state";
import { ActorPanel } from "./ActorPanel";
import { ActorStatusDialog } from "./ActorStatusDialog";

const PAGE_SIZE = 50;

export function ThreatActorsPage() {
  const { range, version } = useTimeRange();
  const { params } = useRoute();
  const canWrite = useCan("analyst");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [tick, setTick] = useState(0);

  const f = {
    q: params.get("q") ?? "",
    status: listParam(params, "status").filter((s): s is ActorStatus => (ACTOR_STATUSES as readonly string[]).includes(s)),
    level: listParam(params, "level").filter((s): s is Severity => (SEVERITIES as readonly string[]).includes(s)),
    country: params.get("country") ?? "",
    host: params.get("host") ?? "",
    policy: params.get("policy") ?? "",
    sort: (params.get("sort") ?? "") as NonNullable<ActorQuery["sort"]> | "",
  };
  const actorId = params.get("actor");

  const query: ActorQuery = useMemo(
    () => ({
      q: f.q || undefined,
      status: f.status.length ? f.status : undefined,
      threatLevel: f.level.length ? f.level : undefined,
      country: f.country || undefined,
      host: f.host || undefined,
      policy: f.policy || undefined,
      sort: f.sort || undefined,
      from: range.from,
      to: range.to,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(f), version],
  );
  const key = JSON.stringify(query);
  const pager = useCursorPager(key);
  useEffect(() => setSelected(new Set()), [key]);
  const list = useAsync(
    (s) => api.actors({ ...query, limit: PAGE_SIZE, cursor: pager.cursor }, { signal: s }),
    [key, pager.cursor, tick],
  );
  const stats = useAsync((s) => api.actorStats(range, { signal: s }), [version, tick]);
  const reload = () => {
    setSelected(new Set());
    setTick((t) => t + 1);
  };

  const chips = [
    f.country && { key: "country", label: "Country", value: countryName(f.country) },
    f.host && { key: "host", label: "Environment", value: f.host },
    f.policy && { key: "policy", label: "Policy", value: f.policy },
  ]
    .filter((x): x is { key: string; label: string; value: string } => !!x)
    .map((c) => ({ ...c, clear: () => setParams({ [c.key]: null }) }));

  return (
    <div className="page" data-testid="page-actors">
      <div className="page-header">
        <div>
          <h1>Threat Actors</h1>
          <p>IP addresses and users behind the attacks, scored by what they did and how recently.</p>
        </div>
        <div className="actions">
          <CsvDownloadButton
            name="threat-actors"
            testId="actors-csv"
            total={list.data?.total}
            fetchCsv={(limit) => api.actorsCsv({ ...query, limit })}
          />
        </div>
      </div>

      <div className="grid cols-2-1">
        <div className="card">
          <div className="card-head">
            <h2>New vs existing actors</h2>
            <span className="faint" style={{ fontSize: 12 }}>
              per day (UTC), by first activity
            </span>
          </div>
          <AsyncView state={stats} isEmpty={(d) => d.newVsExisting.length === 0}>
            {(d) => (
              <Chart
                label="New vs existing actors"
                testId="chart-new-existing"
                deps={[d]}
                option={(c) => ({
                  tooltip: tooltip(c, { trigger: "axis", axisPointer: { type: "shadow" } }),
                  legend: { top: 0, textStyle: { color: c.muted }, icon: "roundRect", itemWidth: 10, itemHeight: 10 },
                  grid: gridCommon({ top: 34 }),
                  xAxis: { type: "category", data: d.newVsExisting.map((x) => fmtDay(x.ts)), ...axisCommon(c), splitLine: { show: false } },
                  yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
                  series: [
                    { name: "New actors", type: "bar", stack: "a", barMaxWidth: 36, data: d.newVsExisting.map((x) => x.new), itemStyle: { color: c.palette[0] } },
                    { name: "Existing actors", type: "bar", stack: "a", barMaxWidth: 36, data: d.newVsExisting.map((x) => x.existing), itemStyle: { color: c.palette[1] } },
                  ],
                })}
              />
            )}
          </AsyncView>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Actors by threat level</h2>
          </div>
          <AsyncView state={stats} isEmpty={(d) => d.byThreatLevel.every((x) => x.count === 0)}>
            {(d) => (
              <Chart
                label="Actors by threat level"
                testId="chart-threat-level"
                deps={[d]}
                onClick={(p) => {
                  const s = SEVERITIES.find((x) => x === p.name);
                  if (s) setParams({ level: s });
                }}
                option={(c) => ({
                  tooltip: tooltip(c, { trigger: "item" }),
                  legend: {
                    bottom: 0,
                    textStyle: { color: c.muted },
                    icon: "circle",
                    itemWidth: 8,
                    formatter: (name: string) =>
                      `${name.charAt(0)}${name.slice(1).toLowerCase()} ${fmtNum(d.byThreatLevel.find((x) => x.threatLevel === name)?.count ?? 0)}`,
                  },
                  series: [
                    {
                      type: "pie",
                      radius: ["50%", "74%"],
                      center: ["50%", "44%"],
                      itemStyle: { borderColor: c.surface, borderWidth: 2 },
                      label: { show: false },
                      data: SEVERITIES.map((s) => ({
                        name: s,
                        value: d.byThreatLevel.find((x) => x.threatLevel === s)?.count ?? 0,
                        itemStyle: { color: c.sev[s] },
                      })),
                    },
                  ],
                })}
              />
            )}
          </AsyncView>
        </div>
      </div>

      <div className="card flush">
        <div className="toolbar" style={{ padding: "14px 16px 12px" }}>
          <SearchInput value={f.q} onChange={(v) => setParams({ q: v })} placeholder="Search actor, IP" testId="actors-q" />
          <MultiToggle
            label="Threat level"
            testId="filter-level"
            options={SEVERITIES.map((s) => ({ id: s, label: s.charAt(0) + s.slice(1).toLowerCase() }))}
            value={f.level}
            onChange={(v) => setParams({ level: v.join(",") })}
          />
          <SelectFilter
            label="Status"
            value={(f.status.length === 1 ? f.status[0] : "") as ActorStatus | ""}
            options={ACTOR_STATUSES.map((s) => ({ id: s, label: ACTOR_STATUS_LABEL[s] }))}
            onChange={(v) => setParams({ status: v })}
            testId="filter-actor-status"
          />
          <TextFilter label="Country (e.g. DE)" value={f.country} onChange={(v) => setParams({ country: v.toUpperCase() })} testId="filter-country" width={130} />
          <TextFilter label="Environment (host)" value={f.host} onChange={(v) => setParams({ host: v })} testId="filter-env" />
          <span className="spacer" />
          <select
            className="select"
            aria-label="Sort"
            value={f.sort}
            onChange={(e) => setParams({ sort: e.target.value })}
            data-testid="actors-sort"
          >
            <option value="">Sort: last activity</option>
            <option value="-score">Sort: threat score</option>
            <option value="-eventCount">Sort: total events</option>
            <option value="-firstSeen">Sort: newest actors</option>
          </select>
        </div>
        {chips.length > 0 && (
          <div style={{ padding: "0 16px 12px" }}>
            <FilterChips chips={chips} onClearAll={() => setParams({ country: null, host: null, policy: null })} />
          </div>
        )}
        <DataTable
          testId="table-actors"
          rows={list.data?.items}
          loading={list.loading}
          error={list.error}
          retry={list.reload}
          rowKey={(r) => r.id}
          columns={actorColumns}
          onRowClick={(r) => setParams({ actor: r.id, atab: null }, false)}
          activeKey={actorId}
          selected={canWrite ? selected : undefined}
          onSelect={canWrite ? setSelected : undefined}
          empty="No actor matches these filters in this time range."
        />
        {selected.size > 0 && (
          <div className="bulk-bar" data-testid="bulk-bar">
            <strong>{selected.size} selected</strong>
            <button className="btn small primary" onClick={() => setBulkOpen(true)} data-testid="bulk-status">
              Change status
            </button>
            <button className="btn small ghost" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          </div>
        )}
        <Pager
          page={pager.page}
          pageSize={PAGE_SIZE}
          shown={list.data?.items.length ?? 0}
          total={list.data?.total}
          nextCursor={list.data?.nextCursor}
          onNext={pager.next}
          onPrev={pager.prev}
        />
      </div>

      {bulkOpen && (
        <ActorStatusDialog
          ids={[...selected]}
          onClose={() => setBulkOpen(false)}
          onDone={() => {
            setBulkOpen(false);
            reload();
          }}
        />
      )}
      {actorId && (
        <ActorPanel
          id={actorId}
          onClose={() => setParams({ actor: null, atab: null }, false)}
          onChanged={reload}
        />
      )}
    </div>
  );
}

const actorColumns: Column<Actor>[] = [
  {
    key: "actor",
    header: "Actor",
    className: "mono clip",
    width: "22%",
    title: (r) => r.id,
    render: (r) => (
      <>
        <span data-testid="cell-actor">{clip(r.id, 48)}</span>
        <span className="cell-sub">
          {r.kind === "user" ? "User" : "IP"} · {countryName(r.country)}
        </span>
      </>
    ),
  },
  {
    key: "level",
    header: "Threat level",
    className: "nowrap",
    render: (r) => (
      <>
        <SeverityChip severity={r.threatLevel} /> <span className="faint num">{Math.round(r.score)}</span>
      </>
    ),
  },
  {
    key: "status",
    header: "Status",
    className: "nowrap",
    title: (r) => (r.statusExpiresAt ? `until ${fmtTime(r.statusExpiresAt)}` : ""),
    render: (r) => (
      <span data-testid="cell-status">
        <StatusChip status={r.status} />
      </span>
    ),
  },
  {
    key: "ip",
    header: "IP address",
    className: "mono nowrap",
    render: (r) => (
      <>
        {r.latestIp}
        {r.ipCount > 1 && <span className="faint"> +{r.ipCount - 1}</span>}
      </>
    ),
  },
  {
    key: "rep",
    header: "Reputation / type",
    className: "nowrap",
    render: (r) => (
      <>
        {r.ipReputation || <span className="faint">unknown</span>}
        <span className="cell-sub">{r.ipType || "—"}</span>
      </>
    ),
  },
  {
    key: "env",
    header: "Environment",
    className: "clip",
    width: "14%",
    title: (r) => (r.hosts ?? []).join(", "),
    render: (r) => (r.hosts?.length ? clip(r.hosts.join(", "), 48) : r.latestHost || "—"),
  },
  { key: "events", header: "Events", className: "num", render: (r) => fmtNum(r.eventCount) },
  { key: "last", header: "Last activity", className: "nowrap", title: (r) => fmtTime(r.lastSeen), render: (r) => fmtAgo(r.lastSeen) },
  { key: "created", header: "Created", className: "nowrap", title: (r) => fmtTime(r.firstSeen), render: (r) => fmtStamp(r.firstSeen) },
];
