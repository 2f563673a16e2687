// Search box, filter chips and small filter controls shared by the list pages.

import { useEffect, useState, type ReactNode } from "react";

/** A search input that reports its value after the user pauses typing. */
export function SearchInput({
  value,
  onChange,
  placeholder,
  testId,
  width,
}: {
  value: string;
  onChange: (v: string) => void;
  placeholder: string;
  testId?: string;
  width?: number;
}) {
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  useEffect(() => {
    if (v === value) return;
    const t = setTimeout(() => onChange(v), 350);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [v]);
  return (
    <span className="search-wrap">
      <input
        className="input search"
        type="search"
        value={v}
        placeholder={placeholder}
        onChange={(e) => setV(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onChange(v);
        }}
        data-testid={testId}
        aria-label={placeholder}
        style={width ? { width } : undefined}
        spellCheck={false}
      />
    </span>
  );
}

/** A text filter that applies on Enter or blur. */
export function TextFilter({
  label,
  value,
  onChange,
  testId,
  width = 160,
  list,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  testId?: string;
  width?: number;
  list?: string;
}) {
  const [v, setV] = useState(value);
  useEffect(() => setV(value), [value]);
  return (
    <input
      className="input"
      value={v}
      placeholder={label}
      aria-label={label}
      onChange={(e) => setV(e.target.value)}
      onKeyDown={(e) => {
        if (e.key === "Enter") onChange(v.trim());
      }}
      onBlur={() => v.trim() !== value && onChange(v.trim())}
      data-testid={testId}
      style={{ width }}
      list={list}
      spellCheck={false}
    />
  );
}

export function SelectFilter<K extends string>({
  label,
  value,
  options,
  onChange,
  testId,
}: {
  label: string;
  value: K | "";
  options: { id: K; label: string }[];
  onChange: (v: K | "") => void;
  testId?: string;
}) {
  return (
    <select
      className="select"
      value={value}
      onChange={(e) => onChange(e.target.value as K | "")}
      aria-label={label}
      data-testid={testId}
    >
      <option value="">{label}: any</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {label}: {o.label}
        </option>
      ))}
    </select>
  );
}

/** Toggle buttons for a multi-valued filter (severity, threat level, status). */
export function MultiToggle<K extends string>({
  options,
  value,
  onChange,
  testId,
  label,
}: {
  options: { id: K; label: ReactNode }[];
  value: K[];
  onChange: (v: K[]) => void;
  testId?: string;
  label: string;
}) {
  return (
    <div className="seg" role="group" aria-label={label} data-testid={testId}>
      {options.map((o) => {
        const on = value.includes(o.id);
        return (
          <button
            key={o.id}
            className={on ? "on" : ""}
            aria-pressed={on}
            data-value={o.id}
            onClick={() => onChange(on ? value.filter((x) => x !== o.id) : [...value, o.id])}
          >
            {o.label}
          </button>
        );
      })}
    </div>
  );
}

export function FilterChips({
  chips,
  onClearAll,
}: {
  chips: { key: string; label: string; value: string; clear: () => void }[];
  onClearAll: () => void;
}) {
  if (chips.length === 0) return null;
  return (
    <div className="toolbar" data-testid="active-filters">
      {chips.map((c) => (
        <span className="filter-chip" key={c.key} title={`${c.label}: ${c.value}`}>
          <span className="muted">{c.label}:</span>
          <span className="v">{c.value}</span>
          <button onClick={c.clear} aria-label={`Remove ${c.label} filter`}>
            ×
          </button>
        </span>
      ))}
      <button className="btn ghost small" onClick={onClearAll}>
        Clear all
      </button>
    </div>
  );
}
