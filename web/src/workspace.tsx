/**
 * The workspace the user is looking at, with its brands and sources (names for ids everywhere).
 * Pages call `refresh()` after changing brands or sources.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { api, type Brand, type Source } from './api.ts';
import { useAsync } from './hooks.ts';

export interface WorkspaceData {
  id: number;
  brands: Brand[];
  sources: Source[];
  loaded: boolean;
  error?: Error;
  brandName(id: number): string;
  sourceName(id: number): string;
  refresh(): void;
}

const Ctx = createContext<WorkspaceData | null>(null);

export function WorkspaceProvider({ id, children }: { id: number; children: ReactNode }) {
  const brands = useAsync((s) => api.get<{ items: Brand[] }>(`/workspaces/${id}/brands`, {}, s), [id]);
  const sources = useAsync((s) => api.get<{ items: Source[] }>(`/workspaces/${id}/sources`, {}, s), [id]);
  const value = useMemo<WorkspaceData>(() => {
    const b = brands.data?.items ?? [];
    const s = sources.data?.items ?? [];
    const bName = new Map(b.map((x) => [x.id, x.name]));
    const sName = new Map(s.map((x) => [x.id, x.name]));
    return {
      id,
      brands: b,
      sources: s,
      loaded: !!brands.data && !!sources.data,
      error: brands.error ?? sources.error,
      brandName: (bid) => bName.get(bid) ?? `#${bid}`,
      sourceName: (sid) => sName.get(sid) ?? `#${sid}`,
      refresh: () => { brands.reload(); sources.reload(); },
    };
  }, [id, brands.data, sources.data, brands.error, sources.error, brands.reload, sources.reload]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useWorkspace(): WorkspaceData {
  const v = useContext(Ctx);
  if (!v) throw new Error('useWorkspace outside WorkspaceProvider');
  return v;
}
