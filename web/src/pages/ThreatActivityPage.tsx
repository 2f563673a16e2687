import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import type { EventQuery, EventStatus, EventType, Severity, ThreatEvent } from "../api/types";
import { EVENT_STATUSES, SEVERITIES } from "../api/types";
import { EVENT_STATUS_LABEL, ExploitChip, Method, SeverityChip } from "../components/Chips";
import { CsvDownloadButton } from "../components/CsvDownloadDialog";
import { DataTable, type Column } from "../components/DataTable";
import {
  FilterChips,
  MultiToggle,
  SearchInput,
  SelectFilter,
  TextFilter,
} from "../components/FilterBar";
import { Pager, useCursorPager } from "../components/Pager";
import { Tabs } from "../components/Tabs";
import { countryName } from "../lib/country";
import { clip, fmtAgo, fmtNum, fmtTime } from "../lib/format";
import { listParam, setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { errorText, useCan, useNotify, useTimeRange } from "../state";
import { ThreatEventDrawer } from "./ThreatEventDrawer";
import { policyLabel, usePolicyNames } from "../lib/policyNames";
import { StatusCommentDialog } from "./StatusCommentDialog";

const PAGE_SIZE = 50;

/** The list filters, read from and written to the URL. */
function useEventFilters() {
  const { params } = useRoute();
  const tab = (EVENT_STATUSES as readonly string[]).includes(params.get("tab") ?? "")
    ? (params.get("tab") as EventStatus)
    : "ACTIVE";
  const f = {
    q: params.get("q") ?? "",
    actor: params.get("actor") ?? "",
    url: params.get("url") ?? "",
    host: params.get("host") ?? "",
    type: (params.get("type") ?? "") as EventType | "",
    sub: params.get("sub") ?? "",
    exploit: (params.get("exploit") ?? "") as "true" | "false" | "",
    severity: listParam(params, "severity").filter((s): s is Severity =>
      (SEVERITIES as readonly string[]).includes(s),
    ),
    policy: params.get("policy") ?? "",
    ip: params.get("ip") ?? "",
  };
  return { tab, f, selectedId: params.get("event"), params };
}

export function ThreatActivityPage() {
  const { range, version } = useTimeRange();
  const { tab, f, selectedId } = useEventFilters();
  const canWrite = useCan("analyst");
  const notify = useNotify();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulk, setBulk] = useState<EventStatus | null>(null);
  const [allMatching, setAllMatching] = useState(false);

  const base: EventQuery = useMemo(
    () => ({
      q: f.q || undefined,
      actor: f.actor || undefined,
      url: f.url || undefined,
      host: f.host || undefined,
      type: f.type ? [f.type] : undefined,
      subCategory: f.sub || undefined,
      successfulExploit: f.exploit === "" ? undefined : f.exploit === "true",
      severity: f.severity.length ? f.severity : undefined,
      policy: f.policy || undefined,
      ip: f.ip || undefined,
      from: range.from,
      to: range.to,
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [JSON.stringify(f), version],
  );
  const filterKey = JSON.stringify(base) + tab;
  const pager = useCursorPager(filterKey);
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);
  const [reloadTick, setReloadTick] = useState(0);

  const list = useAsync(
    (s) =>
      api.events({ ...base, status: [tab], limit: PAGE_SIZE, cursor: pager.cursor }, { signal: s }),
    [filterKey, pager.cursor, reloadTick],
  );
  const counts = useAsync(
    async (s) => {
      const r = await Promise.all(
        EVENT_STATUSES.map((st) => api.events({ ...base, status: [st], limit: 1 }, { signal: s })),
      );
      return Object.fromEntries(EVENT_STATUSES.map((st, i) => [st, r[i]!.total])) as Record<
        EventStatus,
        number
      >;
    },
    [JSON.stringify(base), reloadTick],
  );
  const subs = useAsync((s) => api.timeline(range, { signal: s }), [version]);
  const subOptions = useMemo(() => {
    const set = new Set<string>();
    for (const d of subs.data?.items ?? []) for (const c of d.counts) set.add(c.subCategory);
    return [...set].sort();
  }, [subs.data]);

  const names = usePolicyNames();
  const columns = useMemo(() => eventColumns(names), [names]);
  const reload = () => {
    setAllMatching(false);
    setSelected(new Set());
    setReloadTick((t) => t + 1);
  };

  async function applyBulk(status: EventStatus, comment: string) {
    try {
      const target = allMatching ? { filter: { ...base, status: [tab] } } : { ids: [...selected] };
      const r = await api.setEventsStatus(target, status, comment || undefined);
      notify(`${fmtNum(r.updated)} events moved to ${EVENT_STATUS_LABEL[status]}`);
      reload();
    } catch (e) {
      notify(`Status change failed: ${errorText(e)}`, true);
    }
  }

  const chips = [
    f.actor && { key: "actor", label: "Actor", value: f.actor },
    f.url && { key: "url", label: "URL", value: f.url },
    f.host && { key: "host", label: "Host", value: f.host },
    f.ip && { key: "ip", label: "IP", value: f.ip },
    f.policy && { key: "policy", label: "Policy", value: f.policy },
    f.sub && { key: "sub", label: "Sub-category", value: f.sub },
  ]
    .filter((x): x is { key: string; label: string; value: string } => !!x)
    .map((c) => ({ ...c, clear: () => setParams({ [c.key]: null }) }));

  return (
    <div className="page" data-testid="page-activity">
      <div className="page-header">
        <div>
          <h1>Threat Activity</h1>
          <p>Every detected attack attempt. Open a row to investigate, replay or act on it.</p>
        </div>
        <div className="actions">
          <CsvDownloadButton
            name="threat-activity"
            testId="events-csv"
            total={list.data?.total}
            fetchCsv={(limit) => api.eventsCsv({ ...base, status: [tab], limit })}
          />
        </div>
      </div>

      <div className="card flush">
        <div style={{ padding: "0 16px" }}>
          <Tabs
            testId="status-tabs"
            value={tab}
            onChange={(t) => {
              setSelected(new Set());
              setParams({ tab: t === "ACTIVE" ? null : t });
            }}
            tabs={EVENT_STATUSES.map((s) => ({
              id: s,
              label: EVENT_STATUS_LABEL[s],
              count: counts.data?.[s],
            }))}
          />
        </div>
        <div className="toolbar" style={{ padding: "12px 16px" }}>
          <SearchInput
            value={f.q}
            onChange={(v) => setParams({ q: v })}
            placeholder="Search policy, host, actor, URL"
            testId="filter-q"
          />
          <TextFilter label="Actor" value={f.actor} onChange={(v) => setParams({ actor: v })} testId="filter-actor" />
          <TextFilter label="URL" value={f.url} onChange={(v) => setParams({ url: v })} testId="filter-url" />
          <TextFilter label="Host" value={f.host} onChange={(v) => setParams({ host: v })} testId="filter-host" width={140} />
          <SelectFilter
            label="Type"
            value={f.type}
            options={[
              { id: "Rule-Based", label: "Rule-Based" },
              { id: "Anomaly", label: "Anomaly" },
            ]}
            onChange={(v) => setParams({ type: v })}
            testId="filter-type"
          />
          <TextFilter
            label="Attack sub-category"
            value={f.sub}
            onChange={(v) => setParams({ sub: v })}
            testId="filter-sub"
            list="subcategories"
            width={180}
          />
          <datalist id="subcategories">
            {subOptions.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
          <SelectFilter
            label="Successful exploit"
            value={f.exploit}
            options={[
              { id: "true", label: "Yes" },
              { id: "false", label: "No" },
            ]}
            onChange={(v) => setParams({ exploit: v })}
            testId="filter-exploit"
          />
          <MultiToggle
            label="Severity"
            testId="filter-severity"
            options={SEVERITIES.map((s) => ({ id: s, label: s.charAt(0) + s.slice(1).toLowerCase() }))}
            value={f.severity}
            onChange={(v) => setParams({ severity: v.join(",") })}
          />
        </div>
        {chips.length > 0 && (
          <div style={{ padding: "0 16px 12px" }}>
            <FilterChips
              chips={chips}
              onClearAll={() =>
                setParams({ actor: null, url: null, host: null, ip: null, policy: null, sub: null, q: null, type: null, exploit: null, severity: null })
              }
            />
          </div>
        )}
        <DataTable
          testId="table-events"
          rows={list.data?.items}
          loading={list.loading}
          error={list.error}
          retry={list.reload}
          rowKey={(r) => r.id}
          columns={columns}
          onRowClick={(r) => setParams({ event: r.id, etab: null }, false)}
          activeKey={selectedId}
          selected={canWrite ? selected : undefined}
          onSelect={
            canWrite
              ? (s) => {
                  setAllMatching(false);
                  setSelected(s);
                }
              : undefined
          }
          empty={`No ${EVENT_STATUS_LABEL[tab].toLowerCase()} threats match these filters in this time range.`}
        />
        {selected.size > 0 && (
          <div className="bulk-bar" data-testid="bulk-bar">
            <strong>{allMatching ? `All ${fmtNum(list.data?.total ?? 0)} matching` : `${selected.size} selected`}</strong>
            {!allMatching && list.data && selected.size === list.data.items.length && list.data.total > selected.size && (
              <button className="btn small ghost" onClick={() => setAllMatching(true)} data-testid="bulk-all">
                Select all {fmtNum(list.data.total)} matching
              </button>
            )}
            {tab !== "UNDER_REVIEW" && (
              <button className="btn small" onClick={() => setBulk("UNDER_REVIEW")} data-testid="bulk-review">
                Mark for review
              </button>
            )}
            {tab !== "IGNORED" && (
              <button className="btn small" onClick={() => setBulk("IGNORED")} data-testid="bulk-ignore">
                Ignore
              </button>
            )}
            {tab !== "ACTIVE" && (
              <button className="btn small" onClick={() => setBulk("ACTIVE")} data-testid="bulk-active">
                Move to Active
              </button>
            )}
            <button
              className="btn small ghost"
              onClick={() => {
                setAllMatching(false);
                setSelected(new Set());
              }}
            >
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

      {bulk && (
        <StatusCommentDialog
          title={`Move ${allMatching ? fmtNum(list.data?.total ?? 0) : selected.size} events to ${EVENT_STATUS_LABEL[bulk]}`}
          onClose={() => setBulk(null)}
          onSubmit={async (comment) => {
            await applyBulk(bulk, comment);
            setBulk(null);
          }}
        />
      )}

      {selectedId && (
        <ThreatEventDrawer
          id={selectedId}
          onClose={() => setParams({ event: null, etab: null }, false)}
          onChanged={reload}
        />
      )}
    </div>
  );
}

export const eventColumns = (names: Map<string, string>): Column<ThreatEvent>[] => [
  { key: "sev", header: "Severity", width: 104, render: (r) => <SeverityChip severity={r.severity} /> },
  {
    key: "threat",
    header: "Threat",
    className: "clip",
    width: "28%",
    title: (r) => `${policyLabel(names, r.policyId, r.policyName)} — ${r.category} / ${r.subCategory}`,
    render: (r) => (
      <>
        <span>{policyLabel(names, r.policyId, r.policyName)}</span>
        <span className="cell-sub">
          {r.subCategory || r.category}
          {r.eventType === "AGGREGATED" ? " · aggregated" : ""}
        </span>
      </>
    ),
  },
  {
    key: "actor",
    header: "Actor",
    className: "mono clip",
    width: "19%",
    title: (r) => r.actor,
    render: (r) => (
      <>
        <span data-testid="cell-actor">{clip(r.actor, 48)}</span>
        <span className="cell-sub">
          {r.ip !== r.actor ? r.ip + " · " : ""}
          {countryName(r.country)}
        </span>
      </>
    ),
  },
  {
    key: "url",
    header: "Request",
    className: "mono clip",
    width: "26%",
    title: (r) => `${r.method} ${r.url}`,
    render: (r) => (
      <>
        <Method method={r.method} />
        <span data-testid="cell-url">{clip(r.url, 90)}</span>
        <span className="cell-sub">{r.host}</span>
      </>
    ),
  },
  { key: "type", header: "Type", className: "nowrap", width: 92, render: (r) => r.type },
  { key: "count", header: "Count", className: "num", width: 70, render: (r) => fmtNum(r.count) },
  { key: "exploit", header: "Exploit", width: 84, render: (r) => <ExploitChip yes={r.successfulExploit} /> },
  {
    key: "time",
    header: "Last detected",
    className: "nowrap",
    width: 112,
    title: (r) => fmtTime(r.lastDetectedAt || r.detectedAt),
    render: (r) => fmtAgo(r.lastDetectedAt || r.detectedAt),
  },
];
