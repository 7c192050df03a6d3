/**
 * A windowed list for long mention streams: only the rows in view (plus a margin) are in the DOM, so
 * scrolling through thousands of loaded mentions stays smooth. Rows have one fixed height.
 * Keyboard: ↑/↓ or j/k move, Home/End jump, Enter opens; the active row is announced through
 * aria-activedescendant and kept in view.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type UIEvent } from 'react';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  keyOf(item: T): string | number;
  renderRow(item: T, active: boolean): ReactNode;
  activeIndex: number;
  onActiveChange(index: number): void;
  onOpen(item: T, index: number): void;
  /** Called with the scroll offset, e.g. to tell whether the user is at the top. */
  onScroll?(top: number): void;
  /** Called when the user nears the end (load the next page). */
  onEndReached?(): void;
  label: string;
  scrollToTopSignal?: number;
}

const OVERSCAN = 6;

export function VirtualList<T>(p: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setView((v) => ({ ...v, height: el.clientHeight })));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (p.scrollToTopSignal && ref.current) ref.current.scrollTop = 0;
  }, [p.scrollToTopSignal]);
  useEffect(() => keepInView(ref.current, p.activeIndex, p.rowHeight), [p.activeIndex, p.rowHeight]);
  const onScroll = (e: UIEvent<HTMLDivElement>) => {
    const el = e.currentTarget;
    setView({ top: el.scrollTop, height: el.clientHeight });
    p.onScroll?.(el.scrollTop);
    if (el.scrollTop + el.clientHeight > el.scrollHeight - p.rowHeight * 10) p.onEndReached?.();
  };
  const first = Math.max(0, Math.floor(view.top / p.rowHeight) - OVERSCAN);
  const last = Math.min(p.items.length, Math.ceil((view.top + view.height) / p.rowHeight) + OVERSCAN);
  const active = p.items[p.activeIndex];
  return (
    <div ref={ref} className="vlist" role="listbox" tabIndex={0} aria-label={p.label} onScroll={onScroll} onKeyDown={(e) => onKey(e, p)}
      aria-activedescendant={active !== undefined ? `row-${p.keyOf(active)}` : undefined}>
      <div style={{ height: p.items.length * p.rowHeight, position: 'relative' }}>
        {p.items.slice(first, last).map((item, i) => {
          const index = first + i;
          const isActive = index === p.activeIndex;
          return (
            <div key={p.keyOf(item)} id={`row-${p.keyOf(item)}`} role="option" aria-selected={isActive} className={isActive ? 'vrow active' : 'vrow'}
              style={{ position: 'absolute', top: index * p.rowHeight, height: p.rowHeight, left: 0, right: 0 }}
              onClick={() => { p.onActiveChange(index); p.onOpen(item, index); }}>
              {p.renderRow(item, isActive)}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function keepInView(el: HTMLDivElement | null, index: number, rowHeight: number): void {
  if (!el || index < 0) return;
  const top = index * rowHeight;
  if (top < el.scrollTop) el.scrollTop = top;
  else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
}

function onKey<T>(e: KeyboardEvent<HTMLDivElement>, p: VirtualListProps<T>): void {
  const n = p.items.length;
  if (!n) return;
  const page = Math.max(1, Math.floor(e.currentTarget.clientHeight / p.rowHeight) - 1);
  const moves: Record<string, number> = { ArrowDown: 1, j: 1, ArrowUp: -1, k: -1, PageDown: page, PageUp: -page };
  let next: number | null = null;
  if (e.key in moves) next = Math.min(n - 1, Math.max(0, (p.activeIndex < 0 ? -1 : p.activeIndex) + moves[e.key]!));
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = n - 1;
  else if (e.key === 'Enter' && p.activeIndex >= 0) {
    p.onOpen(p.items[p.activeIndex]!, p.activeIndex);
    e.preventDefault();
    return;
  }
  if (next === null) return;
  e.preventDefault();
  p.onActiveChange(next);
  if (next >= n - 5) p.onEndReached?.();
}
