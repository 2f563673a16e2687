import { useState } from "react";
import { useTimeRange } from "../state";
import { PRESETS, fromLocalInput, toLocalInput, type Preset } from "../lib/time";

export function TimeRangePicker() {
  const { spec, range, setSpec, refresh } = useTimeRange();
  const isCustom = "custom" in spec;
  const [from, setFrom] = useState(toLocalInput(range.from));
  const [to, setTo] = useState(toLocalInput(range.to));
  const [editing, setEditing] = useState(false);

  function pick(v: string) {
    if (v === "custom") {
      setFrom(toLocalInput(range.from));
      setTo(toLocalInput(range.to));
      setEditing(true);
      return;
    }
    setEditing(false);
    setSpec({ preset: v as Preset });
  }
  function apply() {
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (f !== null && t !== null && f < t) {
      setSpec({ custom: { from: f, to: t } });
      setEditing(false);
    }
  }

  return (
    <div className="range-picker" data-testid="time-range">
      <select
        className="select"
        value={editing || isCustom ? "custom" : spec.preset}
        onChange={(e) => pick(e.target.value)}
        aria-label="Time range"
        data-testid="time-range-select"
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </select>
      {(editing || isCustom) && (
        <div className="range-custom">
          <input
            className="input"
            type="datetime-local"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              setEditing(true);
            }}
            aria-label="From"
          />
          <span className="faint">→</span>
          <input
            className="input"
            type="datetime-local"
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              setEditing(true);
            }}
            aria-label="To"
          />
          {editing && (
            <button className="btn small primary" onClick={apply}>
              Apply
            </button>
          )}
        </div>
      )}
      <button className="btn ghost" onClick={refresh} title="Refresh" aria-label="Refresh" data-testid="refresh">
        ↻
      </button>
    </div>
  );
}
