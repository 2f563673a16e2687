import { useEffect, useState } from "react";
import { api } from "../api/client";

let cache: Promise<Map<string, string>> | null = null;

/** Policy id → name, from GET /api/v1/policies (fetched once per page load). */
export function usePolicyNames(): Map<string, string> {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    let live = true;
    cache ??= api
      .policies()
      .then((ps) => new Map(ps.map((p) => [p.id, p.name || p.id])))
      .catch(() => {
        cache = null;
        return new Map<string, string>();
      });
    void cache.then((m) => live && setNames(m));
    return () => {
      live = false;
    };
  }, []);
  return names;
}

export function policyLabel(names: Map<string, string>, id: string, name?: string | null): string {
  return name || names.get(id) || id;
}
