import { useMemo, useState } from "react";
import { api } from "../api/client";
import type { ThreatApi, ThreatApiQuery, ThreatTypeScheme } from "../api/types";
import { Chart, chartText, tooltip } from "../components/Chart";
import { Method } from "../components/Chips";
import { CsvDownloadButton } from "../components/CsvDownloadDialog";
import { DataTable, type Column } from "../components/DataTable";
import { FilterChips, SearchInput, TextFilter } from "../components/FilterBar";
import { Pager, useCursorPager } from "../components/Pager";
import { AsyncView } from "../components/States";
import { Segmented } from "../components/Tabs";
import { countryName } from "../lib/country";
import { clip, fmtAgo, fmtNum, fmtTime } from "../lib/format";
import { navigate, setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useTimeRange } from "../state";
import { EndpointDetail } from "./EndpointDetail";
import { policyLabel, usePolicyNames } from "../lib/policyNames";

const PAGE_SIZE = 50;
const SCHEMES: { id: ThreatTypeScheme; label: string }[] = [
  { id: "warden", label: "Warden" },
  { id: "owasp_api_2023", label: "OWASP API 2023" },
  { id: "owasp_2021", label: "OWASP 2021" },
  { id: "cwe", label: "CWE" },
];

export function ApisUnderThreatPage() {
  const { path } = useRoute();
  const id = path[1];
  if (id) return <EndpointDetail id={id} />;
  return <ApisUnderThreatList />;
}

function ApisUnderThreatList() {
  const { range, version } = useTimeRange();
  const { params } = useRoute();
  const scheme = (SCHEMES.find((s) => s.id === params.get("scheme"))?.id ?? "warden") as ThreatTypeScheme;
  const f = {
    q: params.get("q") ?? "",
    country: params.get("country") ?? "",
    org: params.get("org") ?? "",
    host: params.get("host") ?? "",
    policy: params.get("policy") ?? "",
    sort: (params.get("sort") ?? "") as NonNullable<ThreatApiQuery["sort"]> | "",
  };
  const query: ThreatApiQuery = useMemo(
    () => ({
      q: f.q || undefined,
      country: f.country || undefined,
      organization: f.org || undefined,
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
  const list = useAsync((s) => api.threatApis({ ...query, limit: PAGE_SIZE, cursor: pager.cursor }, { signal: s }), [key, pager.cursor]);
  const rules = useAsync((s) => api.topRules({ ...range, limit: 6 }, { signal: s }), [version]);
  const types = useAsync((s) => api.threatTypes({ ...range, scheme, limit: 6 }, { signal: s }), [version, scheme]);

  const chips = [
    f.host && { key: "host", label: "Host", value: f.host },
    f.policy && { key: "policy", label: "Threat rule", value: f.policy },
  ]
    .filter((x): x is { key: string; label: string; value: string } => !!x)
    .map((c) => ({ ...c, clear: () => setParams({ [c.key]: null }) }));

  return (
    <div className="page" data-testid="page-apis">
      <div className="page-header">
        <div>
          <h1>APIs Under Threat</h1>
          <p>Endpoints that received attacks in the time range, with the rules they triggered and who sent them.</p>
        </div>
        <div className="actions">
          <CsvDownloadButton
            name="apis-under-threat"
            testId="apis-csv"
            total={list.data?.total}
            fetchCsv={(limit) => api.threatApisCsv({ ...query, limit })}
          />
        </div>
      </div>

      <div className="grid cols-2">
        <div className="card flush">
          <div className="card-head">
            <h2>Top threat rules</h2>
            <span className="faint" style={{ fontSize: 12 }}>
              with the number of affected APIs
            </span>
          </div>
          <div style={{ marginTop: 8 }}>
            <DataTable
              testId="table-top-rules"
              autoHeight
              rows={rules.data}
              error={rules.error}
              retry={rules.reload}
              rowKey={(r) => r.policyId}
              onRowClick={(r) => setParams({ policy: r.policyId })}
              columns={[
                { key: "name", header: "Threat rule", className: "clip", width: "62%", title: (r) => `${r.name || r.policyId} (${r.policyId})`, render: (r) => r.name || r.policyId },
                { key: "apis", header: "Affected APIs", className: "num", render: (r) => fmtNum(r.apis) },
                { key: "events", header: "Events", className: "num", render: (r) => fmtNum(r.events) },
              ]}
              empty="No rule fired in this time range."
            />
          </div>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Top threat types</h2>
            <span className="spacer" />
            <Segmented label="Classification" testId="scheme-switch" options={SCHEMES} value={scheme} onChange={(s) => setParams({ scheme: s === "warden" ? null : s })} />
          </div>
          <AsyncView state={types} isEmpty={(d) => d.length === 0} empty="No threats in this time range.">
            {(d) => (
              <Chart
                label="Top threat types"
                testId="chart-threat-types"
                deps={[d]}
                option={(c) => ({
                  tooltip: tooltip(c, { trigger: "item" }),
                  legend: {
                    orient: "vertical",
                    right: 0,
                    top: "middle",
                    textStyle: { color: c.muted, width: 250, overflow: "truncate" },
                    icon: "circle",
                    itemWidth: 8,
                    itemGap: 12,
                    formatter: (name: string) => `${name}  ${fmtNum(d.find((x) => threatTypeName(scheme, x.key, x.label) === name)?.count ?? 0)}`,
                  },
                  series: [
                    {
                      type: "pie",
                      radius: ["48%", "74%"],
                      center: ["26%", "50%"],
                      itemStyle: { borderColor: c.surface, borderWidth: 2 },
                      label: { show: false },
                      data: d.map((x) => ({ name: threatTypeName(scheme, x.key, x.label), value: x.count })),
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
          <SearchInput value={f.q} onChange={(v) => setParams({ q: v })} placeholder="Endpoint contains…" testId="apis-q" />
          <TextFilter label="Actor country (e.g. DE)" value={f.country} onChange={(v) => setParams({ country: v.toUpperCase() })} testId="filter-api-country" width={170} />
          <TextFilter label="IP organisation" value={f.org} onChange={(v) => setParams({ org: v })} testId="filter-api-org" width={170} />
          <span className="spacer" />
          <select className="select" aria-label="Sort" value={f.sort} onChange={(e) => setParams({ sort: e.target.value })}>
            <option value="">Sort: threat requests</option>
            <option value="-totalRequests">Sort: total requests</option>
            <option value="-actorsCount">Sort: threat actors</option>
            <option value="-lastSeen">Sort: last seen</option>
          </select>
        </div>
        {(chips.length > 0 || f.country) && (
          <div style={{ padding: "0 16px 12px" }}>
            <FilterChips
              chips={[
                ...chips,
                ...(f.country ? [{ key: "country", label: "Actor country", value: countryName(f.country), clear: () => setParams({ country: null }) }] : []),
              ]}
              onClearAll={() => setParams({ host: null, policy: null, country: null, org: null, q: null })}
            />
          </div>
        )}
        <DataTable
          testId="table-apis"
          rows={list.data?.items}
          loading={list.loading}
          error={list.error}
          retry={list.reload}
          rowKey={(r) => r.id}
          columns={apiColumns}
          onRowClick={(r) => navigate(["apis", r.id])}
          empty="No API under threat matches these filters."
        />
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
    </div>
  );
}

function PolicyName({ id }: { id: string }) {
  const names = usePolicyNames();
  return <>{policyLabel(names, id)}</>;
}

function RuleTags({ rules }: { rules: ThreatApi["rules"] }) {
  const [all, setAll] = useState(false);
  const sorted = [...(rules ?? [])].sort((a, b) => b.count - a.count);
  const shown = all ? sorted : sorted.slice(0, 2);
  return (
    <span>
      {shown.map((r) => (
        <span className="tag" key={r.policyId} title={`${r.policyId}: ${r.count} events`}>
          {r.policyId} <span className="faint">×{fmtNum(r.count)}</span>
        </span>
      ))}
      {!all && sorted.length > 2 && (
        <button
          className="link"
          onClick={(e) => {
            e.stopPropagation();
            setAll(true);
          }}
          style={{ fontSize: 12 }}
        >
          +{sorted.length - 2} more
        </button>
      )}
    </span>
  );
}

export const apiColumns: Column<ThreatApi>[] = [
  {
    key: "endpoint",
    header: "API endpoint",
    className: "mono clip",
    width: "30%",
    title: (r) => `${r.method} ${r.endpoint} (${r.host})`,
    render: (r) => (
      <>
        <Method method={r.method} />
        <span data-testid="cell-endpoint">{clip(r.endpoint, 80)}</span>
        <span className="cell-sub">{r.host}</span>
      </>
    ),
  },
  { key: "total", header: "Total requests", className: "num", render: (r) => fmtNum(r.totalRequests) },
  { key: "threat", header: "Threat requests", className: "num", render: (r) => fmtNum(r.threatRequests) },
  { key: "rules", header: "Threat rules", render: (r) => <RuleTags rules={r.rules} /> },
  { key: "last", header: "Last threat rule", className: "clip", width: "14%", render: (r) => (r.lastRule ? <PolicyName id={r.lastRule} /> : "—") },
  { key: "actors", header: "Threat actors", className: "num", render: (r) => fmtNum(r.actorsCount) },
  { key: "seen", header: "Last seen", className: "nowrap", title: (r) => fmtTime(r.lastSeen), render: (r) => fmtAgo(r.lastSeen) },
];

/** Legend text of a threat type: Warden categories by their label alone, the others (OWASP ids,
 * CWE numbers) as "id label", since analysts search by the id. */
function threatTypeName(scheme: ThreatTypeScheme, key: string, label: string): string {
  if (!label || label === key) return chartText(key, 48);
  return chartText(scheme === "warden" ? label : `${key} ${label}`, 48);
}
