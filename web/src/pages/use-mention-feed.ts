/**
 * The mention list's data: the first page, further pages on demand, and live arrivals over Server-Sent
 * Events. Arrivals go straight to the top when the user is at the top; otherwise they wait in `pending`
 * (the "n new" pill) so the list does not jump under the reader.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, apiUrl, type Mention, type MentionPage } from '../api.ts';
import { acceptsLive, apiParams, filterKey, isLive, type MentionFilters } from './mention-filters.ts';

export interface MentionFeed {
  items: Mention[];
  pending: Mention[];
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  live: 'off' | 'connecting' | 'on';
  loadMore(): void;
  showPending(): void;
  retry(): void;
}

const PAGE = 50;

export function useMentionFeed(ws: number, filters: MentionFilters, atTop: () => boolean): MentionFeed {
  const key = filterKey(filters);
  const [items, setItems] = useState<Mention[]>([]);
  const [pending, setPending] = useState<Mention[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const [live, setLive] = useState<MentionFeed['live']>('off');
  const [attempt, setAttempt] = useState(0);
  const seen = useRef(new Set<number>());
  const inFlight = useRef<AbortController | null>(null);

  const fetchPage = useCallback(async (after: string | null, reset: boolean) => {
    inFlight.current?.abort();
    const ctl = new AbortController();
    inFlight.current = ctl;
    setLoading(true);
    try {
      const page = await api.get<MentionPage>(`/workspaces/${ws}/mentions`, { ...apiParams(filters), limit: PAGE, cursor: after ?? undefined }, ctl.signal);
      if (reset) seen.current = new Set();
      const fresh = page.items.filter((m) => !seen.current.has(m.id));
      for (const m of fresh) seen.current.add(m.id);
      setItems((prev) => (reset ? fresh : [...prev, ...fresh]));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err as Error);
    } finally {
      if (inFlight.current === ctl) {
        inFlight.current = null;
        setLoading(false);
      }
    }
  }, [ws, key]);

  useEffect(() => {
    setItems([]);
    setPending([]);
    setCursor(null);
    void fetchPage(null, true);
    return () => inFlight.current?.abort();
  }, [fetchPage, attempt]);

  useLiveStream(ws, filters, key, (m) => {
    if (seen.current.has(m.id) || !acceptsLive(m, filters)) return;
    seen.current.add(m.id);
    if (atTop()) setItems((prev) => [m, ...prev]);
    else setPending((prev) => [m, ...prev]);
  }, setLive);

  return {
    items, pending, loading, error, live,
    hasMore: cursor !== null,
    loadMore: () => { if (cursor && !inFlight.current) void fetchPage(cursor, false); },
    showPending: () => { setItems((prev) => [...pending, ...prev]); setPending([]); },
    retry: () => setAttempt((n) => n + 1),
  };
}

function useLiveStream(ws: number, filters: MentionFilters, key: string, onMention: (m: Mention) => void, setLive: (s: MentionFeed['live']) => void): void {
  const handler = useRef(onMention);
  handler.current = onMention;
  const liveNow = isLive(filters);
  useEffect(() => {
    if (!liveNow) {
      setLive('off');
      return;
    }
    const { from: _from, to: _to, q: _q, ...serverSide } = apiParams(filters);
    const es = new EventSource(apiUrl(`/workspaces/${ws}/mentions/stream`, serverSide));
    setLive('connecting');
    es.onopen = () => setLive('on');
    es.onerror = () => setLive('connecting');
    es.addEventListener('mention', (e) => {
      try {
        handler.current(JSON.parse((e as MessageEvent<string>).data) as Mention);
      } catch {
        /* a malformed event is skipped; the next page load shows the mention anyway */
      }
    });
    return () => es.close();
  }, [ws, key, liveNow]);
}
