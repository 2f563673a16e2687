import { useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

interface Settled<T> {
  key: string | null;
  data: T | undefined;
  error: Error | undefined;
}

/**
 * Runs `fn` when `deps` change (aborting the previous run) and keeps the last data while the
 * next loads. `loading` is true from the very render in which the deps changed, so what is on
 * screen is never mistaken for the answer to the new request.
 */
export function useAsync<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  enabled = true,
): AsyncState<T> {
  const [tick, setTick] = useState(0);
  const key = JSON.stringify([deps, tick]);
  const [settled, setSettled] = useState<Settled<T>>({ key: null, data: undefined, error: undefined });
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    fnRef
      .current(ctrl.signal)
      .then((data) => {
        if (!ctrl.signal.aborted) setSettled({ key, data, error: undefined });
      })
      .catch((e: unknown) => {
        if (ctrl.signal.aborted) return;
        const error = e instanceof Error ? e : new Error(String(e));
        setSettled((s) => ({ key, data: s.data, error }));
      });
    return () => ctrl.abort();
  }, [key, enabled]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return {
    data: settled.data,
    error: settled.key === key ? settled.error : undefined,
    loading: enabled && settled.key !== key,
    reload,
  };
}
