import type { ReactNode } from "react";
import { ApiError } from "../api/client";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="state" data-testid="loading">
      <div className="spinner" />
      <div>{label}</div>
    </div>
  );
}

export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  // A route this server lacks (an older binary) reads differently from a thing that is gone.
  const api = error instanceof ApiError ? error : null;
  const noRoute = !!api && (api.status === 405 || (api.status === 404 && api.message.startsWith("no such route")));
  const headline = noRoute
    ? "This server does not answer this request yet."
    : api?.status === 404
      ? "Not found."
      : "Could not load data.";
  return (
    <div className="state error" data-testid="error-state">
      <div className="big">!</div>
      <div>{headline}</div>
      <div className="detail">{error.message}</div>
      {retry && (
        <button className="btn small" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children?: ReactNode }) {
  return (
    <div className="state" data-testid="empty-state">
      <div className="big">∅</div>
      <div>{children ?? "Nothing in this time range."}</div>
    </div>
  );
}

/** Shows loading / error / empty, or the content when there is data. */
export function AsyncView<T>({
  state,
  empty,
  isEmpty,
  children,
}: {
  state: { data: T | undefined; error: Error | undefined; loading: boolean; reload: () => void };
  empty?: ReactNode;
  isEmpty?: (d: T) => boolean;
  children: (d: T) => ReactNode;
}) {
  if (state.error && state.data === undefined)
    return <ErrorState error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty}</Empty>;
  return <>{children(state.data)}</>;
}
