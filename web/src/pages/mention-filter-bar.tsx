/** The filter controls and saved views of the Mentions page; every change rewrites the URL. */
import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n.tsx';
import { useStored } from '../hooks.ts';
import { href, navigate, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { FILTER_KEYS, hasFilters, type MentionFilters } from './mention-filters.ts';
import { languageName } from './overview.tsx';

const LANGS = ['en', 'de', 'es', 'fr', 'it', 'pt', 'nl', 'hi'];

/** datetime-local works in the browser's time zone, which is what the user expects to type. */
function toLocalInput(ms: number | undefined): string {
  if (ms === undefined) return '';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Channel names the connectors write (`mention.channel`). */
const CHANNELS = ['twitter', 'rss', 'email', 'mastodon', 'bluesky', 'reddit', 'hackernews', 'appstore', 'googleplay', 'webhook', 'import'];

export function MentionFilterBar({ filters }: { filters: MentionFilters }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const [text, setText] = useState(filters.q ?? '');
  const set = (k: string, v: string | number | undefined) => {
    const next = new URLSearchParams(query);
    next.delete('open');
    if (v === undefined || v === '') next.delete(k);
    else next.set(k, String(v));
    navigate(`${path}${next.toString() ? `?${next}` : ''}`, true);
  };
  const submitText = (e: FormEvent) => { e.preventDefault(); set('q', text.trim()); };
  const langs = [...new Set([...LANGS, ...(filters.lang ? [filters.lang] : [])])];
  return (
    <div className="filters" role="search" aria-label={t('filter.title')}>
      <form onSubmit={submitText} className="search">
        <label><span className="sr-only">{t('filter.text')}</span>
          <input type="search" value={text} placeholder={t('filter.textPlaceholder')} onChange={(e) => setText(e.target.value)} name="q" />
        </label>
        <button type="submit">{t('action.search')}</button>
      </form>
      <Select label={t('filter.brand')} value={filters.brand} all={t('filter.allBrands')} onChange={(v) => set('brand', v)} name="brand"
        options={ws.brands.map((b) => [String(b.id), b.name])} />
      <Select label={t('filter.source')} value={filters.source} all={t('filter.allSources')} onChange={(v) => set('source', v)} name="source"
        options={ws.sources.map((s) => [String(s.id), s.name])} />
      <Select label={t('filter.channel')} value={filters.channel} all={t('filter.allChannels')} onChange={(v) => set('channel', v)} name="channel"
        options={[...new Set([...CHANNELS, ...(filters.channel ? [filters.channel] : [])])].map((c) => [c, c])} />
      <Select label={t('filter.language')} value={filters.lang} all={t('filter.allLanguages')} onChange={(v) => set('lang', v)} name="lang"
        options={langs.map((l) => [l, languageName(l, l)])} />
      <Select label={t('filter.sentiment')} value={filters.sentiment} all={t('filter.allSentiments')} onChange={(v) => set('sentiment', v)} name="sentiment"
        options={(['negative', 'neutral', 'positive'] as const).map((s) => [s, t(`sentiment.${s}`)] as [string, string]).concat([['none', t('sentiment.none')]])} />
      <label className="field">{t('filter.from')}
        <input type="datetime-local" value={toLocalInput(filters.from)} onChange={(e) => set('from', e.target.value ? new Date(e.target.value).getTime() : undefined)} name="from" />
      </label>
      <label className="field">{t('filter.to')}
        <input type="datetime-local" value={toLocalInput(filters.to)} onChange={(e) => set('to', e.target.value ? new Date(e.target.value).getTime() : undefined)} name="to" />
      </label>
      <label className="check"><input type="checkbox" checked={!!filters.duplicates} onChange={(e) => set('duplicates', e.target.checked ? 'true' : undefined)} /> {t('filter.duplicates')}</label>
      {hasFilters(filters) && <button type="button" onClick={() => { setText(''); navigate(path, true); }}>{t('filter.clear')}</button>}
      <SavedViews filters={filters} />
    </div>
  );
}

function Select({ label, value, all, options, onChange, name }: { label: string; value: string | number | undefined; all: string; options: [string, string][]; onChange(v: string): void; name: string }) {
  return (
    <label className="field"><span className="sr-only">{label}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value)} aria-label={label} name={name}>
        <option value="">{all}</option>
        {options.map(([v, l]) => <option key={v} value={v}>{l}</option>)}
      </select>
    </label>
  );
}

interface SavedView { name: string; query: string }

/** Named filter sets, kept in this browser (localStorage) per workspace. */
function SavedViews({ filters }: { filters: MentionFilters }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const { path, query } = useLocation();
  const [views, setViews] = useStored<SavedView[]>(`earshot.views.${ws.id}`, []);
  const [naming, setNaming] = useState<string | null>(null);
  const current = new URLSearchParams([...query].filter(([k]) => (FILTER_KEYS as readonly string[]).includes(k))).toString();
  const active = views.find((v) => v.query === current);
  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!naming?.trim()) return;
    setViews([...views.filter((v) => v.name !== naming.trim()), { name: naming.trim(), query: current }]);
    setNaming(null);
  };
  return (
    <div className="saved-views">
      <label className="field"><span className="sr-only">{t('views.title')}</span>
        <select aria-label={t('views.title')} value={active?.name ?? ''} onChange={(e) => { const v = views.find((x) => x.name === e.target.value); navigate(v ? `${path}${v.query ? `?${v.query}` : ''}` : href(path), true); }}>
          <option value="">{views.length ? t('views.choose') : t('views.none')}</option>
          {views.map((v) => <option key={v.name} value={v.name}>{v.name}</option>)}
        </select>
      </label>
      {active && <button type="button" onClick={() => setViews(views.filter((v) => v !== active))}>{t('views.delete')}</button>}
      {naming === null
        ? <button type="button" onClick={() => setNaming('')} disabled={!hasFilters(filters) || !!active}>{t('views.save')}</button>
        : (
          <form onSubmit={save} className="inline-form">
            <label><span className="sr-only">{t('views.name')}</span><input autoFocus value={naming} placeholder={t('views.name')} onChange={(e) => setNaming(e.target.value)} onKeyDown={(e) => e.key === 'Escape' && setNaming(null)} /></label>
            <button type="submit" className="primary">{t('action.save')}</button>
          </form>
        )}
    </div>
  );
}
