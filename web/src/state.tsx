// App-wide state: who is logged in, the theme, the time range and toasts.

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import type { Me, Role } from "./api/types";
import { parseRangeParam, rangeParam, resolveRange, type RangeSpec, type TimeRange } from "./lib/time";
import { setParams, useRoute } from "./lib/route";

// ---- Session ----

export interface Session {
  me: Me;
  logout: () => void;
}
export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error("no session");
  return s;
}

const RANK: Record<Role, number> = { sensor: 0, viewer: 1, analyst: 2, admin: 3 };
/** True when the logged-in key may call routes for `role` (admin may call everything). */
export function useCan(role: "analyst" | "admin"): boolean {
  const { me } = useSession();
  return RANK[me.role] >= RANK[role];
}

// ---- Theme ----

export type Theme = "dark" | "light";
const THEME_KEY = "warden.theme";

function initialTheme(): Theme {
  try {
    const t = localStorage.getItem(THEME_KEY);
    if (t === "dark" || t === "light") return t;
  } catch {
    /* ignore */
  }
  return window.matchMedia?.("(prefers-color-scheme: light)").matches ? "light" : "dark";
}

interface ThemeState {
  theme: Theme;
  setTheme: (t: Theme) => void;
}
const ThemeContext = createContext<ThemeState>({ theme: "dark", setTheme: () => {} });

export function ThemeProvider({ children }: { children: ReactNode }) {
  const [theme, setThemeState] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const setTheme = useCallback((t: Theme) => {
    setThemeState(t);
    try {
      localStorage.setItem(THEME_KEY, t);
    } catch {
      /* ignore */
    }
  }, []);
  const value = useMemo(() => ({ theme, setTheme }), [theme, setTheme]);
  return <ThemeContext.Provider value={value}>{children}</ThemeContext.Provider>;
}

export function useTheme(): ThemeState {
  return useContext(ThemeContext);
}

// ---- Time range ----

interface RangeState {
  spec: RangeSpec;
  range: TimeRange;
  setSpec: (s: RangeSpec) => void;
  refresh: () => void;
  /** Changes whenever data should be fetched again (range change or refresh). */
  version: string;
}
const RangeContext = createContext<RangeState | null>(null);

export function RangeProvider({ children }: { children: ReactNode }) {
  const route = useRoute();
  const param = route.params.get("range");
  const spec = useMemo(() => parseRangeParam(param), [param]);
  const [tick, setTick] = useState(0);
  // "now" is taken when the range or the refresh tick changes, so the range stays put while
  // a page is open and every request of a page uses the same bounds.
  const range = useMemo(
    () => resolveRange(spec, Math.floor(Date.now() / 1000)),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [rangeParam(spec), tick],
  );
  const setSpec = useCallback((s: RangeSpec) => setParams({ range: rangeParam(s) }, false), []);
  const refresh = useCallback(() => setTick((t) => t + 1), []);
  const value = useMemo(
    () => ({ spec, range, setSpec, refresh, version: `${range.from}-${range.to}` }),
    [spec, range, setSpec, refresh],
  );
  return <RangeContext.Provider value={value}>{children}</RangeContext.Provider>;
}

export function useTimeRange(): RangeState {
  const r = useContext(RangeContext);
  if (!r) throw new Error("no range");
  return r;
}

// ---- Toasts ----

interface Toast {
  id: number;
  text: string;
  error: boolean;
}
type Notify = (text: string, error?: boolean) => void;
const ToastContext = createContext<Notify>(() => {});

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const notify = useCallback<Notify>((text, error = false) => {
    const id = Date.now() + Math.random();
    setToasts((t) => [...t, { id, text, error }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), error ? 7000 : 3500);
  }, []);
  return (
    <ToastContext.Provider value={notify}>
      {children}
      <div className="toast-stack" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={"toast" + (t.error ? " error" : "")} data-testid="toast">
            {t.text}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(ToastContext);
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
