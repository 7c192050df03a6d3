/** Brands & queries: the list of own and competitor brands, and the editor for one. */
import { useState } from 'react';
import type { Brand } from '../api.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { BrandEditor } from './brand-editor.tsx';

export function BrandsPage() {
  const { t } = useI18n();
  const ws = useWorkspace();
  const [editing, setEditing] = useState<Brand | 'new' | null>(null);
  const done = () => { setEditing(null); ws.refresh(); };
  return (
    <section aria-labelledby="brands-title">
      <div className="page-head">
        <h1 id="brands-title">{t('nav.brands')}</h1>
        <button type="button" className="primary" onClick={() => setEditing('new')} disabled={editing === 'new'}>{t('brands.add')}</button>
      </div>
      <p className="muted">{t('brands.intro')}</p>
      <div className={editing ? 'split open' : 'split'}>
        <div className="list-pane static">
          {ws.error && <ErrorNotice error={ws.error} onRetry={ws.refresh} />}
          {!ws.loaded && !ws.error && <Loading />}
          {ws.loaded && !ws.brands.length && <Empty title={t('brands.empty')} hint={t('brands.emptyHint')} />}
          {ws.brands.length > 0 && (
            <ul className="cards" aria-label={t('nav.brands')}>
              {ws.brands.map((b) => (
                <li key={b.id}>
                  <button type="button" className={editing !== 'new' && editing?.id === b.id ? 'brand-card selected' : 'brand-card'} onClick={() => setEditing(b)} aria-label={t('brands.editNamed', { name: b.name })}>
                    <span className="brand-name">{b.name} <span className={`badge kind-${b.kind}`}>{t(`brands.kind.${b.kind}`)}</span></span>
                    <code className="query">{b.query}</code>
                    {b.languages.length > 0 && <span className="muted small">{t('brands.languagesList', { list: b.languages.join(', ') })}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {editing && <BrandEditor key={editing === 'new' ? 'new' : editing.id} brand={editing === 'new' ? null : editing} onDone={done} onCancel={() => setEditing(null)} />}
      </div>
    </section>
  );
}
