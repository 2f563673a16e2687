import type { ReactNode } from "react";

export interface TabDef<K extends string> {
  id: K;
  label: ReactNode;
  count?: number | undefined;
}

export function Tabs<K extends string>({
  tabs,
  value,
  onChange,
  testId,
}: {
  tabs: TabDef<K>[];
  value: K;
  onChange: (k: K) => void;
  testId?: string;
}) {
  return (
    <div className="tabs" role="tablist" data-testid={testId}>
      {tabs.map((t) => (
        <button
          key={t.id}
          role="tab"
          aria-selected={t.id === value}
          className={"tab" + (t.id === value ? " on" : "")}
          data-tab={t.id}
          onClick={() => onChange(t.id)}
        >
          {t.label}
          {t.count !== undefined && <span className="count">{t.count}</span>}
        </button>
      ))}
    </div>
  );
}

export function Segmented<K extends string>({
  options,
  value,
  onChange,
  testId,
  label,
}: {
  options: { id: K; label: string }[];
  value: K;
  onChange: (k: K) => void;
  testId?: string;
  label: string;
}) {
  return (
    <div className="seg" role="radiogroup" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={o.id}
          role="radio"
          aria-checked={o.id === value}
          className={o.id === value ? "on" : ""}
          data-value={o.id}
          onClick={() => onChange(o.id)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
