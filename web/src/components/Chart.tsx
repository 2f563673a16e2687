// ECharts, imported piece by piece, canvas renderer only. Tooltips use `renderMode: 'richText'`
// (drawn on the canvas, never HTML), labels are canvas text, and every string that came from
// data goes through `chartText`, so nothing from traffic can become markup.

import { useEffect, useRef } from "react";
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { EChartsCoreOption } from "echarts/core";
import { useTheme, type Theme } from "../state";

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

export interface ChartColors {
  theme: Theme;
  text: string;
  muted: string;
  faint: string;
  border: string;
  surface: string;
  palette: string[];
  sev: Record<"CRITICAL" | "HIGH" | "MEDIUM" | "LOW", string>;
  accent: string;
  danger: string;
}

function readColors(theme: Theme): ChartColors {
  const cs = getComputedStyle(document.documentElement);
  const v = (n: string) => cs.getPropertyValue(n).trim() || "#888";
  return {
    theme,
    text: v("--text"),
    muted: v("--text-muted"),
    faint: v("--text-faint"),
    border: v("--border"),
    surface: v("--surface"),
    palette: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => v(`--chart-${i}`)),
    sev: {
      CRITICAL: v("--sev-critical"),
      HIGH: v("--sev-high"),
      MEDIUM: v("--sev-medium"),
      LOW: v("--sev-low"),
    },
    accent: v("--accent"),
    danger: v("--danger"),
  };
}

/**
 * Makes a data string safe and tidy for chart text: rich-text markup characters ({ } |) are
 * replaced, control characters dropped and long values cut. (Canvas text is never parsed as
 * HTML; this only keeps ECharts' rich-text syntax from restyling labels.)
 */
export function chartText(s: unknown, max = 60): string {
  let t = String(s ?? "")
    .replace(/[\u0000-\u001f\u007f]/g, " ")
    .replace(/[{}|]/g, (c) => (c === "{" ? "(" : c === "}" ? ")" : "¦"));
  if (t.length > max) t = t.slice(0, max - 1) + "…";
  return t;
}

/** Common tooltip settings: canvas-drawn text, never HTML. */
export function tooltip(c: ChartColors, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    renderMode: "richText",
    confine: true,
    backgroundColor: c.surface,
    borderColor: c.border,
    textStyle: { color: c.text, fontSize: 12 },
    ...extra,
  };
}

interface ChartProps {
  option: (c: ChartColors) => EChartsCoreOption;
  className?: string;
  testId?: string;
  onClick?: (params: { name: string; dataIndex: number; seriesName?: string; data?: unknown }) => void;
  deps: readonly unknown[];
  label: string;
}

export function Chart({ option, className, testId, onClick, deps, label }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const inst = useRef<echarts.ECharts | null>(null);
  const { theme } = useTheme();
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, undefined, { renderer: "canvas" });
    inst.current = chart;
    // "finished" fires once drawing and animations are done: tests and screenshots wait on it.
    chart.on("finished", () => {
      el.dataset.rendered = "true";
    });
    chart.on("click", (p) => {
      const params = p as unknown as {
        name: string;
        dataIndex: number;
        seriesName?: string;
        data?: unknown;
      };
      clickRef.current?.(params);
    });
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.dispose();
      inst.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = inst.current;
    if (!chart) return;
    const c = readColors(theme);
    if (ref.current) ref.current.dataset.rendered = "false";
    chart.setOption(
      {
        animationDuration: 300,
        textStyle: {
          fontFamily: "Inter, Segoe UI, system-ui, DejaVu Sans, sans-serif",
          color: c.muted,
        },
        color: c.palette,
        ...option(c),
      },
      { notMerge: true },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme, ...deps]);

  return (
    <div
      ref={ref}
      className={"chart " + (className ?? "")}
      data-testid={testId}
      role="img"
      aria-label={label}
      style={onClick ? { cursor: "pointer" } : undefined}
    />
  );
}

// ---- Option builders used by several pages ----

export function axisCommon(c: ChartColors) {
  return {
    axisLine: { lineStyle: { color: c.border } },
    axisTick: { show: false },
    axisLabel: { color: c.faint, fontSize: 11 },
    splitLine: { lineStyle: { color: c.border, type: "dashed" as const } },
  };
}

export function gridCommon(extra: Record<string, unknown> = {}) {
  return { left: 8, right: 16, top: 28, bottom: 8, containLabel: true, ...extra };
}
