import { api } from "../api/client";
import type { Severity, StatsTimeline, ThreatApi } from "../api/types";
import { SEVERITIES } from "../api/types";
import { BarList } from "../components/BarList";
import { Chart, axisCommon, chartText, gridCommon, tooltip } from "../components/Chart";
import { Method } from "../components/Chips";
import { DataTable, type Column } from "../components/DataTable";
import { AsyncView } from "../components/States";
import { countryName } from "../lib/country";
import { fmtAgo, fmtDay, fmtNum } from "../lib/format";
import { navigate } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useTimeRange } from "../state";
import { policyLabel, usePolicyNames } from "../lib/policyNames";

export function OverviewPage() {
  const { range, version } = useTimeRange();
  const summary = useAsync((s) => api.summary(range, { signal: s }), [version]);
  const timeline = useAsync((s) => api.timeline(range, { signal: s }), [version]);
  const countries = useAsync((s) => api.countries(range, { signal: s }), [version]);
  const topApis = useAsync((s) => api.topApis({ ...range, limit: 8 }, { signal: s }), [version]);

  const sev = summary.data?.bySeverity ?? [];
  const sevCount = (k: Severity) => sev.find((x) => x.severity === k)?.count ?? 0;

  return (
    <div className="page" data-testid="page-overview">
      <div className="page-header">
        <div>
          <h1>Overview</h1>
          <p>Threats detected in the selected time range, across every monitored API.</p>
        </div>
      </div>

      <div className="grid cols-4" data-testid="summary-cards">
        <StatCard
          label="Threat events"
          value={summary.data?.events}
          hint={summary.data ? `${fmtNum(sevCount("CRITICAL") + sevCount("HIGH"))} high or critical` : ""}
          onClick={() => navigate(["activity"])}
          testId="stat-events"
        />
        <StatCard
          label="Threat actors"
          value={summary.data?.actors}
          hint="actors with events in range"
          onClick={() => navigate(["actors"])}
          testId="stat-actors"
        />
        <StatCard
          label="APIs under threat"
          value={summary.data?.apisUnderThreat}
          hint="endpoints that received attacks"
          onClick={() => navigate(["apis"])}
          testId="stat-apis"
        />
        <StatCard
          label="Successful exploits"
          value={summary.data?.successfulExploits}
          hint="attacks whose response shows success"
          onClick={() => navigate(["activity"], { exploit: "true" })}
          testId="stat-exploits"
        />
      </div>

      <div className="grid cols-3">
        <div className="card">
          <div className="card-head">
            <h2>Events by severity</h2>
          </div>
          <AsyncView state={summary} isEmpty={(d) => d.events === 0}>
            {(d) => (
              <Chart
                label="Events by severity"
                testId="chart-severity"
                deps={[d]}
                onClick={(p) => {
                  const s = SEVERITIES.find((x) => x === p.name);
                  if (s) navigate(["activity"], { severity: s });
                }}
                option={(c) => ({
                  tooltip: tooltip(c, { trigger: "item", formatter: (p: { name: string; value: number; percent: number }) => `${chartText(p.name)}: ${fmtNum(p.value)} (${p.percent}%)` }),
                  legend: {
                    bottom: 0,
                    textStyle: { color: c.muted },
                    icon: "circle",
                    itemWidth: 8,
                    formatter: (name: string) => `${name.charAt(0)}${name.slice(1).toLowerCase()} ${fmtNum(sevCount(name as Severity))}`,
                  },
                  series: [
                    {
                      type: "pie",
                      radius: ["52%", "76%"],
                      center: ["50%", "44%"],
                      itemStyle: { borderColor: c.surface, borderWidth: 2 },
                      label: { show: false },
                      data: SEVERITIES.map((s) => ({
                        name: s,
                        value: sevCount(s),
                        itemStyle: { color: c.sev[s] },
                      })),
                    },
                  ],
                })}
              />
            )}
          </AsyncView>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Events by category</h2>
          </div>
          <AsyncView state={summary} isEmpty={(d) => d.byCategory.length === 0}>
            {(d) => (
              <BarList
                testId="list-categories"
                items={[...d.byCategory]
                  .sort((a, b) => b.count - a.count)
                  .map((x) => ({ key: x.category, count: x.count }))}
                max={8}
              />
            )}
          </AsyncView>
        </div>
        <div className="card">
          <div className="card-head">
            <h2>Threat actors by country</h2>
          </div>
          <AsyncView state={countries} isEmpty={(d) => d.items.length === 0}>
            {(d) => (
              <BarList
                testId="list-countries"
                items={[...d.items]
                  .sort((a, b) => b.actors - a.actors)
                  .map((x) => ({ key: x.country, label: countryName(x.country), count: x.actors }))}
                onPick={(country) => navigate(["actors"], { country })}
                max={8}
              />
            )}
          </AsyncView>
        </div>
      </div>

      <div className="card">
        <div className="card-head">
          <h2>Activity timeline</h2>
          <span className="faint" style={{ fontSize: 12 }}>
            events per day (UTC) by attack sub-category
          </span>
        </div>
        <AsyncView state={timeline} isEmpty={(d) => d.items.length === 0}>
          {(d) => <ActivityTimelineChart data={d} />}
        </AsyncView>
      </div>

      <div className="card flush">
        <div className="card-head">
          <h2>Top attacked APIs</h2>
          <span className="spacer" />
          <button className="btn small" onClick={() => navigate(["apis"])}>
            All APIs under threat →
          </button>
        </div>
        <div style={{ marginTop: 12 }}>
          <DataTable
            testId="table-top-apis"
            autoHeight
            rows={topApis.data}
            error={topApis.error}
            retry={topApis.reload}
            rowKey={(r) => r.id}
            columns={topApiColumns}
            onRowClick={(r) => navigate(["apis", r.id])}
            empty="No API was attacked in this time range."
          />
        </div>
      </div>
    </div>
  );
}

const topApiColumns: Column<ThreatApi>[] = [
  {
    key: "endpoint",
    header: "Endpoint",
    className: "mono clip",
    title: (r) => `${r.method} ${r.endpoint}`,
    render: (r) => (
      <>
        <Method method={r.method} />
        {r.endpoint}
        <span className="cell-sub">{r.host}</span>
      </>
    ),
  },
  { key: "threat", header: "Threat requests", className: "num", render: (r) => fmtNum(r.threatRequests) },
  { key: "total", header: "Total requests", className: "num", render: (r) => fmtNum(r.totalRequests) },
  { key: "actors", header: "Actors", className: "num", render: (r) => fmtNum(r.actorsCount) },
  { key: "rule", header: "Last threat rule", className: "clip", render: (r) => (r.lastRule ? <PolicyName id={r.lastRule} /> : "—") },
  { key: "last", header: "Last seen", className: "nowrap", render: (r) => fmtAgo(r.lastSeen) },
];

function PolicyName({ id }: { id: string }) {
  const names = usePolicyNames();
  return <>{policyLabel(names, id)}</>;
}

function StatCard({
  label,
  value,
  hint,
  onClick,
  testId,
}: {
  label: string;
  value: number | undefined;
  hint: string;
  onClick: () => void;
  testId: string;
}) {
  return (
    <div
      className="card stat clickable"
      onClick={onClick}
      role="button"
      tabIndex={0}
      onKeyDown={(e) => e.key === "Enter" && onClick()}
      data-testid={testId}
    >
      <span className="label">{label}</span>
      <span className="value" data-value={value ?? ""}>
        {value === undefined ? "—" : fmtNum(value)}
      </span>
      <span className="hint">{hint}</span>
    </div>
  );
}

function ActivityTimelineChart({ data }: { data: StatsTimeline }) {
  const subs = new Map<string, number>();
  for (const d of data.items) for (const c of d.counts) subs.set(c.subCategory, (subs.get(c.subCategory) ?? 0) + c.count);
  const order = [...subs.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const top = order.slice(0, 7);
  const hasOther = order.length > 7;
  const days = data.items.map((d) => fmtDay(d.ts));
  const series = [...top, ...(hasOther ? ["Other"] : [])].map((name) => ({
    name: chartText(name, 40),
    type: "bar" as const,
    stack: "all",
    barMaxWidth: 36,
    data: data.items.map((d) =>
      name === "Other"
        ? d.counts.filter((c) => !top.includes(c.subCategory)).reduce((s, c) => s + c.count, 0)
        : (d.counts.find((c) => c.subCategory === name)?.count ?? 0),
    ),
  }));
  return (
    <Chart
      label="Activity timeline"
      testId="chart-timeline"
      className="tall"
      deps={[data]}
      option={(c) => ({
        tooltip: tooltip(c, { trigger: "axis", axisPointer: { type: "shadow" } }),
        legend: { top: 0, type: "scroll", textStyle: { color: c.muted }, icon: "roundRect", itemWidth: 10, itemHeight: 10 },
        grid: gridCommon({ top: 36 }),
        xAxis: { type: "category", data: days, ...axisCommon(c), splitLine: { show: false } },
        yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
        series,
      })}
    />
  );
}
