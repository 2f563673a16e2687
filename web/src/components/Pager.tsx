import { useCallback, useState } from "react";
import { fmtNum } from "../lib/format";

/** Cursor paging: a stack of cursors, so "Previous" goes back exactly. */
export function useCursorPager(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({
    key: resetKey,
    stack: [null],
  });
  const stack = state.key === resetKey ? state.stack : [null];
  if (state.key !== resetKey) setState({ key: resetKey, stack: [null] });
  const cursor = stack[stack.length - 1] ?? null;
  const next = useCallback(
    (c: string | null) => {
      if (c) setState({ key: resetKey, stack: [...stack, c] });
    },
    [resetKey, stack],
  );
  const prev = useCallback(() => {
    if (stack.length > 1) setState({ key: resetKey, stack: stack.slice(0, -1) });
  }, [resetKey, stack]);
  return { cursor, page: stack.length, next, prev };
}

export function Pager({
  page,
  pageSize,
  shown,
  total,
  nextCursor,
  onNext,
  onPrev,
  children,
}: {
  page: number;
  pageSize: number;
  shown: number;
  total: number | undefined;
  nextCursor: string | null | undefined;
  onNext: (c: string | null) => void;
  onPrev: () => void;
  children?: React.ReactNode;
}) {
  const start = (page - 1) * pageSize;
  return (
    <div className="table-foot">
      <span data-testid="total" data-total={total ?? ""}>
        {total === undefined
          ? "—"
          : shown === 0
            ? `0 of ${fmtNum(total)}`
            : `${fmtNum(start + 1)}–${fmtNum(start + shown)} of ${fmtNum(total)}`}
      </span>
      {children}
      <span className="spacer" />
      <button className="btn small" onClick={onPrev} disabled={page <= 1}>
        ‹ Previous
      </button>
      <button
        className="btn small"
        onClick={() => onNext(nextCursor ?? null)}
        disabled={!nextCursor}
      >
        Next ›
      </button>
    </div>
  );
}
