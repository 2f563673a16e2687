// API Call Stats: calls over time for one endpoint at a chosen interval, and the histogram of
// callers by number of calls.

import { useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import type { CallInterval, InventoryEndpoint } from "../api/types";
import { CALL_INTERVALS } from "../api/types";
import { Chart, axisCommon, gridCommon, tooltip } from "../components/Chart";
import { Method } from "../components/Chips";
import { DataTable } from "../components/DataTable";
import { SearchInput } from "../components/FilterBar";
import { AsyncView } from "../components/States";
import { Segmented } from "../components/Tabs";
import { clip, fmtAgo, fmtNum, fmtShortTime } from "../lib/format";
import { setParams, useRoute } from "../lib/route";
import { useAsync } from "../lib/useAsync";
import { useTimeRange } from "../state";

export function ApiCallStatsPage() {
  const { params } = useRoute();
  const { version } = useTimeRange();
  const interval = ((CALL_INTERVALS as readonly string[]).includes(params.get("interval") ?? "")
    ? params.get("interval")
    : "1d") as CallInterval;
  const endpointId = params.get("endpoint");
  const [q, setQ] = useState("");
  const inventory = useAsync((s) => api.endpoints({ q: q || undefined, limit: 200 }, { signal: s }), [q, version]);
  const sorted = useMemo(
    () => [...(inventory.data?.items ?? [])].sort((a, b) => b.totalRequests - a.totalRequests),
    [inventory.data],
  );

  useEffect(() => {
    if (!endpointId && !q && sorted[0]) setParams({ endpoint: sorted[0].id });
  }, [endpointId, q, sorted]);

  const current = sorted.find((e) => e.id === endpointId);

  return (
    <div className="page" data-testid="page-callstats">
      <div className="page-header">
        <div>
          <h1>API Call Stats</h1>
          <p>How often an endpoint is called, and how the calls spread over its callers.</p>
        </div>
      </div>
      <div className="grid" style={{ gridTemplateColumns: "minmax(0, 5fr) minmax(0, 9fr)", alignItems: "start" }}>
        <div className="card flush">
          <div className="card-head">
            <h2>Endpoints</h2>
          </div>
          <div style={{ padding: "10px 16px 12px" }}>
            <SearchInput value={q} onChange={setQ} placeholder="Find endpoint" testId="callstats-q" width={260} />
          </div>
          <DataTable
            testId="table-inventory"
            rows={inventory.data ? sorted : undefined}
            error={inventory.error}
            retry={inventory.reload}
            rowKey={(r) => r.id}
            activeKey={endpointId}
            onRowClick={(r) => setParams({ endpoint: r.id })}
            columns={[
              {
                key: "ep",
                header: "Endpoint",
                className: "mono clip",
                title: (r: InventoryEndpoint) => `${r.method} ${r.endpoint} (${r.host})`,
                render: (r: InventoryEndpoint) => (
                  <>
                    <Method method={r.method} />
                    {clip(r.endpoint, 60)}
                    <span className="cell-sub">{r.host}</span>
                  </>
                ),
              },
              { key: "n", header: "Calls", className: "num", render: (r: InventoryEndpoint) => fmtNum(r.totalRequests) },
            ]}
            empty="No endpoints recorded yet."
          />
        </div>
        <div className="page" style={{ gap: 16 }}>
          <div className="card">
            <div className="toolbar">
              <div style={{ minWidth: 0, flex: 1 }}>
                <div className="faint" style={{ fontSize: 12 }}>
                  Endpoint
                </div>
                <div className="mono" style={{ fontWeight: 600, wordBreak: "break-all" }} data-testid="callstats-endpoint">
                  {current ? (
                    <>
                      <Method method={current.method} />
                      {current.endpoint} <span className="faint">· {current.host}</span>
                    </>
                  ) : endpointId ? (
                    endpointId
                  ) : (
                    "Choose an endpoint"
                  )}
                </div>
                {current && (
                  <div className="faint" style={{ fontSize: 12 }}>
                    {fmtNum(current.totalRequests)} calls in total · last seen {fmtAgo(current.lastSeen)}
                  </div>
                )}
              </div>
              <Segmented
                label="Interval"
                testId="interval-switch"
                options={CALL_INTERVALS.map((i) => ({ id: i, label: i }))}
                value={interval}
                onChange={(i) => setParams({ interval: i })}
              />
            </div>
            <p className="faint" style={{ fontSize: 12, margin: "8px 0 0" }}>
              The interval sets the period shown (the last {interval}); it replaces the page time range here.
            </p>
          </div>
          {endpointId && <EndpointCharts id={endpointId} interval={interval} version={version} />}
        </div>
      </div>
    </div>
  );
}

function EndpointCharts({ id, interval, version }: { id: string; interval: CallInterval; version: string }) {
  const calls = useAsync((s) => api.endpointCalls(id, interval, { signal: s }), [id, interval, version]);
  const callers = useAsync((s) => api.endpointCallers(id, interval, { signal: s }), [id, interval, version]);
  const longRange = interval === "1d" || interval === "7d";
  return (
    <>
      <div className="card">
        <div className="card-head">
          <h2>Calls over time</h2>
          {calls.data && (
            <span className="faint" style={{ fontSize: 12 }}>
              {fmtNum(calls.data.items.reduce((s, x) => s + x.count, 0))} calls ·{" "}
              {Math.round(calls.data.bucketSeconds / 60)} min buckets
            </span>
          )}
        </div>
        <AsyncView state={calls} isEmpty={(d) => d.items.length === 0} empty="No calls in this interval.">
          {(d) => (
            <Chart
              label="Calls over time"
              testId="chart-calls"
              className="tall"
              deps={[d]}
              option={(c) => ({
                tooltip: tooltip(c, { trigger: "axis" }),
                legend: { top: 0, textStyle: { color: c.muted }, icon: "roundRect", itemWidth: 10, itemHeight: 10 },
                grid: gridCommon({ top: 34 }),
                xAxis: { type: "category", data: d.items.map((x) => fmtShortTime(x.ts, longRange)), ...axisCommon(c), splitLine: { show: false } },
                yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
                series: [
                  { name: "Calls", type: "line", smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 }, data: d.items.map((x) => x.count), itemStyle: { color: c.accent } },
                  { name: "Errors (4xx/5xx)", type: "line", smooth: true, showSymbol: false, data: d.items.map((x) => x.errors), itemStyle: { color: c.danger } },
                ],
              })}
            />
          )}
        </AsyncView>
      </div>
      <div className="grid cols-2">
        <div className="card">
          <div className="card-head">
            <h2>Callers by number of calls</h2>
          </div>
          <AsyncView state={callers} isEmpty={(d) => d.items.every((x) => x.callers === 0)} empty="No callers in this interval.">
            {(d) => (
              <Chart
                label="Callers by number of calls"
                testId="chart-callers"
                deps={[d]}
                option={(c) => ({
                  tooltip: tooltip(c, { trigger: "axis", axisPointer: { type: "shadow" } }),
                  grid: gridCommon({ top: 16, bottom: 24 }),
                  xAxis: { type: "category", name: "calls per caller", nameLocation: "middle", nameGap: 28, data: d.items.map((x) => x.calls), ...axisCommon(c), splitLine: { show: false } },
                  yAxis: { type: "value", minInterval: 1, ...axisCommon(c) },
                  series: [{ name: "Callers", type: "bar", barMaxWidth: 40, data: d.items.map((x) => x.callers), itemStyle: { color: c.palette[1], borderRadius: [3, 3, 0, 0] } }],
                })}
              />
            )}
          </AsyncView>
        </div>
        <div className="card flush">
          <div className="card-head">
            <h2>Top callers</h2>
          </div>
          <div style={{ marginTop: 12 }}>
            <DataTable
              testId="table-top-callers"
              autoHeight
              rows={callers.data?.topCallers.slice(0, 8)}
              error={callers.error}
              rowKey={(r) => r.actor}
              columns={[
                { key: "a", header: "Caller", className: "mono clip", title: (r) => r.actor, render: (r) => clip(r.actor, 60) },
                { key: "n", header: "Calls", className: "num", render: (r) => fmtNum(r.calls) },
              ]}
              empty="No callers."
            />
          </div>
        </div>
      </div>
    </>
  );
}
