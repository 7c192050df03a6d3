/**
 * The brand editor: the query is checked as it is typed (a syntax error is shown inline, pointing at its
 * position) and run over the newest stored mentions ("would have matched") before it is saved.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError, type Brand, type BrandFields, type BrandPreview } from '../api.ts';
import { useAsync, useDebounced } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { authorLabel, MentionText } from '../components/mention-text.tsx';

type Validation = { ok: true } | { ok: false; message: string; position: number };

/** Saving and deleting a brand, with the server's error kept for the form. */
function useBrandSave(brand: Brand | null, onDone: () => void) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async (f: BrandFields) => {
    setBusy(true);
    try {
      if (brand) await api.patch(`/workspaces/${ws.id}/brands/${brand.id}`, f);
      else await api.post(`/workspaces/${ws.id}/brands`, f);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'internal', String(err)));
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    if (!brand || !window.confirm(t('brands.confirmDelete', { name: brand.name }))) return;
    await api.del(`/workspaces/${ws.id}/brands/${brand.id}`).then(onDone, (err: ApiError) => setError(err));
  };
  return { error, busy, save, remove };
}

export function BrandEditor({ brand, onDone, onCancel }: { brand: Brand | null; onDone(): void; onCancel(): void }) {
  const { t } = useI18n();
  const [f, setF] = useState<BrandFields>(brand ? { name: brand.name, kind: brand.kind, query: brand.query, languages: brand.languages } : { name: '', kind: 'own', query: '', languages: [] });
  const [langText, setLangText] = useState(f.languages.join(', '));
  const { error: saveError, busy, save, remove } = useBrandSave(brand, onDone);
  const query = useDebounced(f.query, 250);
  // Each result remembers its query, so a stale "valid" never lets the preview run an invalid query.
  const validation = useAsync(async () => ({ query, result: query.trim() ? await api.post<Validation>('/brand-queries/validate', { query }) : null }), [query]);
  const checked = validation.data?.query === query ? validation.data.result : null;
  const syntax = checked && !checked.ok ? checked : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(f);
  };
  const setLanguages = (text: string) => {
    setLangText(text);
    setF({ ...f, languages: text.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean) });
  };
  return (
    <aside className="detail editor" aria-labelledby="brand-editor-title">
      <h2 id="brand-editor-title">{brand ? t('brands.editNamed', { name: brand.name }) : t('brands.add')}</h2>
      <form onSubmit={submit} className="form">
        <label className="field">{t('brands.name')}<input value={f.name} onChange={(e) => setF({ ...f, name: e.target.value })} required maxLength={120} name="name" aria-invalid={!!saveError?.fields.name} /></label>
        {saveError?.fields.name && <p className="field-error">{saveError.fields.name}</p>}
        <fieldset className="radios">
          <legend>{t('brands.kindLabel')}</legend>
          {(['own', 'competitor'] as const).map((k) => (
            <label key={k}><input type="radio" name="kind" value={k} checked={f.kind === k} onChange={() => setF({ ...f, kind: k })} /> {t(`brands.kind.${k}`)}</label>
          ))}
        </fieldset>
        <label className="field" htmlFor="brand-query">{t('brands.query')}</label>
        <textarea id="brand-query" name="query" rows={4} value={f.query} onChange={(e) => setF({ ...f, query: e.target.value })} spellCheck={false}
          aria-invalid={!!syntax} aria-describedby="query-help query-status" className="code" />
        <p id="query-help" className="muted small">{t('brands.queryHelp')}</p>
        <QueryStatus id="query-status" query={query} syntax={syntax} checking={!checked} />
        <label className="field">{t('brands.languages')}<input value={langText} onChange={(e) => setLanguages(e.target.value)} placeholder="en, de" name="languages" /></label>
        <p className="muted small">{t('brands.languagesHelp')}</p>
        {saveError && <ErrorNotice error={saveError} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !!syntax || !f.query.trim()}>{t('action.save')}</button>
          <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
          {brand && <button type="button" className="danger" onClick={remove}>{t('action.delete')}</button>}
        </div>
      </form>
      {checked?.ok && <Preview query={query} languages={f.languages} />}
    </aside>
  );
}

function QueryStatus({ id, query, syntax, checking }: { id: string; query: string; syntax: { message: string; position: number } | null; checking: boolean }) {
  const { t } = useI18n();
  if (!query.trim()) return <p id={id} className="muted small">{t('brands.queryEmpty')}</p>;
  if (!syntax) return <p id={id} className="ok small" role="status">{checking ? t('brands.checking') : t('brands.queryOk')}</p>;
  const at = Math.min(Math.max(0, syntax.position), query.length);
  return (
    <div id={id} className="query-error" role="alert" data-testid="query-error">
      <p><strong>{t('brands.syntaxError')}</strong> {syntax.message}</p>
      <pre className="code caret" aria-hidden="true">{query.slice(0, at)}<mark>{query.slice(at, at + 1) || ' '}</mark>{query.slice(at + 1)}</pre>
    </div>
  );
}

function Preview({ query, languages }: { query: string; languages: string[] }) {
  const { t, number, relative } = useI18n();
  const ws = useWorkspace();
  const langs = useDebounced(languages.join(','), 300);
  const [result, setResult] = useState<{ data?: BrandPreview; error?: Error; loading: boolean }>({ loading: true });
  useEffect(() => {
    let stale = false;
    setResult((r) => ({ ...r, loading: true }));
    api.post<BrandPreview>(`/workspaces/${ws.id}/brand-preview`, { query, languages: langs ? langs.split(',') : [] }).then(
      (data) => !stale && setResult({ data, loading: false }),
      (error: Error) => !stale && setResult({ error, loading: false }),
    );
    return () => { stale = true; };
  }, [ws.id, query, langs]);
  return (
    <section className="preview" aria-labelledby="preview-title" aria-busy={result.loading} data-testid="brand-preview">
      <h3 id="preview-title">{t('brands.preview')}</h3>
      {result.error && <ErrorNotice error={result.error} />}
      {!result.data && result.loading && <Loading />}
      {result.data && (
        <>
          <p role="status" data-testid="preview-summary">{t('brands.previewSummary', { matched: number(result.data.matched), scanned: number(result.data.scanned) })}</p>
          {result.data.scanned === 0 && <p className="muted small">{t('brands.previewNoData')}</p>}
          <ul className="preview-list">
            {result.data.items.map((m) => (
              <li key={m.id}><span className="meta">{authorLabel(m, t('mention.anonymous'))} · {relative(m.publishedAt)}</span><MentionText mention={m} clamp /></li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
