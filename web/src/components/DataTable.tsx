// A table with a sticky header, optional row selection and clickable rows. Cell content is
// whatever the column renders; columns render attacker strings as plain text.

import type { ReactNode } from "react";
import { Empty, ErrorState, Loading } from "./States";

export interface Column<T> {
  key: string;
  header: ReactNode;
  render: (row: T) => ReactNode;
  className?: string;
  title?: (row: T) => string;
  width?: number | string;
}

interface Props<T> {
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  loading?: boolean;
  error?: Error;
  retry?: () => void;
  empty?: ReactNode;
  onRowClick?: (row: T) => void;
  selected?: ReadonlySet<string>;
  onSelect?: (keys: Set<string>) => void;
  activeKey?: string | null;
  testId: string;
  autoHeight?: boolean;
}

export function DataTable<T>(p: Props<T>) {
  const { columns, rows, rowKey, selected, onSelect } = p;
  const selectable = !!onSelect && !!selected;
  const allKeys = rows?.map(rowKey) ?? [];
  const allOn = selectable && allKeys.length > 0 && allKeys.every((k) => selected!.has(k));

  function toggle(k: string) {
    if (!onSelect || !selected) return;
    const next = new Set(selected);
    if (next.has(k)) next.delete(k);
    else next.add(k);
    onSelect(next);
  }
  function toggleAll() {
    if (!onSelect) return;
    onSelect(allOn ? new Set() : new Set(allKeys));
  }

  let body: ReactNode;
  if (p.error && !rows) body = <ErrorState error={p.error} retry={p.retry} />;
  else if (!rows) body = <Loading />;
  else if (rows.length === 0) body = <Empty>{p.empty}</Empty>;

  return (
    <div className={"table-wrap" + (p.autoHeight ? " auto" : "")} data-testid={p.testId}>
      <table className="data" aria-busy={p.loading ? "true" : "false"}>
        <thead>
          <tr>
            {selectable && (
              <th className="sel">
                <input
                  type="checkbox"
                  className="check"
                  aria-label="Select all rows"
                  checked={allOn}
                  onChange={toggleAll}
                />
              </th>
            )}
            {columns.map((c) => (
              <th key={c.key} className={c.className} style={c.width ? { width: c.width } : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        {rows && rows.length > 0 && (
          <tbody>
            {rows.map((r) => {
              const k = rowKey(r);
              const on = selected?.has(k) ?? false;
              return (
                <tr
                  key={k}
                  data-testid="row"
                  data-key={k}
                  className={
                    (p.onRowClick ? "clickable" : "") +
                    (on || p.activeKey === k ? " selected" : "")
                  }
                  tabIndex={p.onRowClick ? 0 : undefined}
                  onClick={p.onRowClick ? () => p.onRowClick!(r) : undefined}
                  onKeyDown={
                    p.onRowClick
                      ? (e) => {
                          if (e.key === "Enter") p.onRowClick!(r);
                        }
                      : undefined
                  }
                >
                  {selectable && (
                    <td className="sel" onClick={(e) => e.stopPropagation()}>
                      <input
                        type="checkbox"
                        className="check"
                        aria-label="Select row"
                        checked={on}
                        onChange={() => toggle(k)}
                      />
                    </td>
                  )}
                  {columns.map((c) => (
                    <td key={c.key} className={c.className} title={c.title?.(r)}>
                      {c.render(r)}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        )}
      </table>
      {body}
    </div>
  );
}
