// The time range every page reads: a preset (last 1h … 30d) or a custom from/to.

export type Preset = "1h" | "6h" | "24h" | "7d" | "30d";
export const PRESETS: { id: Preset; label: string; seconds: number }[] = [
  { id: "1h", label: "Last 1 hour", seconds: 3600 },
  { id: "6h", label: "Last 6 hours", seconds: 6 * 3600 },
  { id: "24h", label: "Last 24 hours", seconds: 86400 },
  { id: "7d", label: "Last 7 days", seconds: 7 * 86400 },
  { id: "30d", label: "Last 30 days", seconds: 30 * 86400 },
];
export const DEFAULT_PRESET: Preset = "24h";

export interface TimeRange {
  from: number;
  to: number;
}

export type RangeSpec = { preset: Preset } | { custom: TimeRange };

/** Reads `range=24h` or `range=1700000000-1700086400`. */
export function parseRangeParam(v: string | null): RangeSpec {
  if (v) {
    const p = PRESETS.find((x) => x.id === v);
    if (p) return { preset: p.id };
    const m = /^(\d{9,11})-(\d{9,11})$/.exec(v);
    if (m) {
      const from = Number(m[1]);
      const to = Number(m[2]);
      if (from < to) return { custom: { from, to } };
    }
  }
  return { preset: DEFAULT_PRESET };
}

export function rangeParam(spec: RangeSpec): string {
  return "preset" in spec ? spec.preset : `${spec.custom.from}-${spec.custom.to}`;
}

export function resolveRange(spec: RangeSpec, nowSec: number): TimeRange {
  if ("custom" in spec) return spec.custom;
  const p = PRESETS.find((x) => x.id === spec.preset) ?? PRESETS[2]!;
  return { from: nowSec - p.seconds, to: nowSec };
}

/** `<input type="datetime-local">` value ⇄ Unix seconds (local time). */
export function toLocalInput(ts: number): string {
  const d = new Date(ts * 1000);
  const p = (n: number) => (n < 10 ? "0" + n : String(n));
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
export function fromLocalInput(v: string): number | null {
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : null;
}
