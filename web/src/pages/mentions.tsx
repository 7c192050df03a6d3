/**
 * Mentions: the live, filtered, virtualized stream with a detail panel. New mentions appear at the top
 * without a reload; when the reader has scrolled down they wait behind an "n new" pill instead.
 */
import { useCallback, useRef, useState } from 'react';
import type { Mention } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { Link, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { VirtualList } from '../components/virtual-list.tsx';
import { authorLabel, MentionText, SentimentBadge } from '../components/mention-text.tsx';
import { filterKey, hasFilters, readFilters } from './mention-filters.ts';
import { MentionFilterBar } from './mention-filter-bar.tsx';
import { MentionDetailPanel } from './mention-detail.tsx';
import { useMentionFeed } from './use-mention-feed.ts';

const ROW_HEIGHT = 92;

export function MentionsPage() {
  const { t, number } = useI18n();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const filters = readFilters(query);
  const openId = Number(query.get('open')) || null;
  const scrollTop = useRef(0);
  const atTop = useCallback(() => scrollTop.current < ROW_HEIGHT / 2, []);
  const feed = useMentionFeed(ws.id, filters, atTop);
  const [active, setActive] = useState(-1);
  const [toTop, setToTop] = useState(0);
  const listRef = useRef<HTMLDivElement>(null);
  const open = (id: number | null) => {
    const next = new URLSearchParams(query);
    if (id === null) next.delete('open');
    else next.set('open', String(id));
    navigate(`${path}?${next}`, true);
    if (id === null) listRef.current?.querySelector<HTMLElement>('[role=listbox]')?.focus();
  };
  const showNew = () => { feed.showPending(); setActive(0); setToTop((n) => n + 1); };
  return (
    <section aria-labelledby="mentions-title" className="mentions-page">
      <div className="page-head">
        <h1 id="mentions-title">{t('nav.mentions')}</h1>
        <span className={`live live-${feed.live}`} role="status" data-testid="live-status">{t(`live.${feed.live}`)}</span>
      </div>
      <MentionFilterBar key={filterKey(filters)} filters={filters} />
      <div className={openId ? 'split open' : 'split'}>
        <div className="list-pane" ref={listRef}>
          {feed.pending.length > 0 && (
            <button type="button" className="new-pill" onClick={showNew} data-testid="new-pill">{t('mentions.newPill', { n: number(feed.pending.length) })}</button>
          )}
          {feed.error && <ErrorNotice error={feed.error} onRetry={feed.retry} />}
          {feed.loading && !feed.items.length && <Loading />}
          {!feed.loading && !feed.error && !feed.items.length && <NoMentions filtered={hasFilters(filters)} />}
          {feed.items.length > 0 && (
            <VirtualList items={feed.items} rowHeight={ROW_HEIGHT} keyOf={(m) => m.id} label={t('mentions.listLabel')}
              activeIndex={active} onActiveChange={setActive} onOpen={(m) => open(m.id)} onEndReached={feed.loadMore}
              onScroll={(top) => { scrollTop.current = top; }} scrollToTopSignal={toTop}
              renderRow={(m) => <MentionRow m={m} selected={m.id === openId} />} />
          )}
          <p className="muted small list-foot" aria-live="polite" data-testid="loaded-count" data-n={feed.items.length}>
            {t('mentions.loaded', { n: number(feed.items.length) })}{feed.hasMore ? '' : ` · ${t('mentions.end')}`}
          </p>
        </div>
        {openId && <MentionDetailPanel id={openId} onClose={() => open(null)} onOpen={open} />}
      </div>
    </section>
  );
}

function MentionRow({ m, selected }: { m: Mention; selected: boolean }) {
  const { t, relative, dateTime } = useI18n();
  const ws = useWorkspace();
  return (
    <div className={selected ? 'mention-row selected' : 'mention-row'} data-testid="mention-row" data-id={m.id}>
      <div className="meta">
        <span className="author">{authorLabel(m, t('mention.anonymous'))}</span>
        <span className="muted">{m.channel}</span>
        <time className="muted" dateTime={new Date(m.publishedAt).toISOString()} title={dateTime(m.publishedAt)}>{relative(m.publishedAt)}</time>
        {m.brandIds.map((b) => <span key={b} className="chip">{ws.brandName(b)}</span>)}
        {m.lang && <span className="chip lang">{m.lang}</span>}
        <SentimentBadge label={m.sentiment?.label} />
        {m.duplicateCount > 0 && <span className="chip">+{m.duplicateCount}</span>}
      </div>
      <MentionText mention={m} clamp />
    </div>
  );
}

function NoMentions({ filtered }: { filtered: boolean }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  if (filtered) return <Empty title={t('mentions.emptyFiltered')} hint={t('mentions.emptyFilteredHint')} />;
  if (!ws.brands.length) return <Empty title={t('mentions.emptyNoBrands')} hint={t('mentions.emptyNoBrandsHint')}><Link className="button primary" to={`/w/${ws.id}/brands`}>{t('brands.add')}</Link></Empty>;
  if (!ws.sources.length) return <Empty title={t('mentions.emptyNoSources')} hint={t('mentions.emptyNoSourcesHint')}><Link className="button primary" to={`/w/${ws.id}/sources`}>{t('sources.add')}</Link></Empty>;
  return <Empty title={t('mentions.emptyWaiting')} hint={t('mentions.emptyWaitingHint')} />;
}
