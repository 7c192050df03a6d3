/**
 * Add or edit a source. The settings fields are generated from the kind's JSON schema (from
 * /api/source-kinds); nested settings (field maps) are edited as JSON. The server checks everything again
 * and its field errors are shown next to the fields.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type JsonSchema, type Source, type SourceKind } from '../api.ts';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';

type Values = Record<string, string | boolean>;

function typeOf(s: JsonSchema): string {
  if (s.enum) return 'enum';
  const ty = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return ty ?? 'object';
}

function toValues(schema: JsonSchema, settings: Record<string, unknown>): Values {
  const out: Values = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const v = settings[k] ?? s.default;
    out[k] = typeOf(s) === 'boolean' ? v === true : v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v, null, 2) : String(v);
  }
  return out;
}

/** @throws ApiError (validation) when a JSON field does not parse. */
function toSettings(schema: JsonSchema, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema.properties ?? {})) {
    const v = values[k];
    const ty = typeOf(s);
    if (ty === 'boolean') out[k] = v === true;
    else if (v === '' || v === undefined || v === false) continue;
    else if (ty === 'integer' || ty === 'number') out[k] = Number(v);
    else if (ty === 'object' || ty === 'array') {
      try {
        out[k] = JSON.parse(String(v));
      } catch {
        throw new ApiError(400, 'validation', `${k}: not valid JSON`, { [`settings.${k}`]: 'not valid JSON' });
      }
    } else out[k] = v;
  }
  return out;
}

export function SourceForm({ source, onDone, onCancel }: { source: Source | null; onDone(id: number): void; onCancel(): void }) {
  const { t } = useI18n();
  const kinds = useAsync((s) => api.get<{ items: SourceKind[] }>('/source-kinds', {}, s), []);
  const [kind, setKind] = useState(source?.kind ?? 'rss');
  if (kinds.error) return <aside className="detail"><ErrorNotice error={kinds.error} onRetry={kinds.reload} /></aside>;
  if (!kinds.data) return <aside className="detail"><Loading /></aside>;
  const k = kinds.data.items.find((x) => x.kind === kind) ?? kinds.data.items[0]!;
  return (
    <aside className="detail editor" aria-labelledby="source-form-title">
      <h2 id="source-form-title">{source ? t('sources.editNamed', { name: source.name }) : t('sources.add')}</h2>
      {!source && (
        <label className="field">{t('sources.kind')}
          <select value={k.kind} onChange={(e) => setKind(e.target.value)} name="kind">
            {kinds.data.items.map((x) => <option key={x.kind} value={x.kind}>{x.label}</option>)}
          </select>
        </label>
      )}
      <SettingsForm key={k.kind} kind={k} source={source} onDone={onDone} onCancel={onCancel} />
    </aside>
  );
}

function SettingsForm({ kind, source, onDone, onCancel }: { kind: SourceKind; source: Source | null; onDone(id: number): void; onCancel(): void }) {
  const { t } = useI18n();
  const ws = useWorkspace();
  const [name, setName] = useState(source?.name ?? '');
  const [brandId, setBrandId] = useState<string>(source?.brandId ? String(source.brandId) : '');
  const [values, setValues] = useState<Values>(() => toValues(kind.settings, source?.settings ?? {}));
  const [error, setError] = useState<ApiError | null>(null);
  const [created, setCreated] = useState<Source | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      const body = { name, settings: toSettings(kind.settings, values), brandId: brandId ? Number(brandId) : null };
      const saved = source
        ? await api.patch<Source>(`/workspaces/${ws.id}/sources/${source.id}`, body)
        : await api.post<Source>(`/workspaces/${ws.id}/sources`, { ...body, kind: kind.kind });
      if (!source && kind.secrets.length) setCreated(saved);
      else onDone(saved.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'internal', String(err)));
    }
  };
  if (created) return <SecretsOnce source={created} kind={kind} onDone={() => onDone(created.id)} />;
  const fieldError = (k: string) => error?.fields[`settings.${k}`] ?? error?.fields[k];
  return (
    <form className="form" onSubmit={submit}>
      <label className="field">{t('sources.name')}<input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={120} /></label>
      {Object.entries(kind.settings.properties ?? {}).map(([k, s]) => (
        <SettingField key={k} name={k} schema={s} required={kind.settings.required?.includes(k) ?? false} secret={kind.secrets.includes(k)}
          value={values[k] ?? ''} error={fieldError(k)} onChange={(v) => setValues({ ...values, [k]: v })} />
      ))}
      <label className="field">{t('sources.brand')}
        <select value={brandId} onChange={(e) => setBrandId(e.target.value)} name="brandId">
          <option value="">{t('sources.brandByQuery')}</option>
          {ws.brands.map((b) => <option key={b.id} value={b.id}>{b.name}</option>)}
        </select>
      </label>
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="primary">{t('action.save')}</button>
        <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}

function SettingField({ name, schema, required, secret, value, error, onChange }: { name: string; schema: JsonSchema; required: boolean; secret: boolean; value: string | boolean; error?: string; onChange(v: string | boolean): void }) {
  const ty = typeOf(schema);
  const id = `setting-${name}`;
  const common = { id, name, 'aria-invalid': !!error, 'aria-describedby': error ? `${id}-error` : undefined };
  let input;
  if (ty === 'boolean') input = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  else if (ty === 'enum') input = <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}><option value="" />{schema.enum!.map((o) => <option key={String(o)} value={String(o)}>{String(o)}</option>)}</select>;
  else if (ty === 'object' || ty === 'array') input = <textarea {...common} className="code" rows={4} value={String(value)} onChange={(e) => onChange(e.target.value)} placeholder="{}" />;
  else input = <input {...common} type={ty === 'integer' || ty === 'number' ? 'number' : secret ? 'password' : 'text'} value={String(value)} required={required && !secret} min={schema.minimum} onChange={(e) => onChange(e.target.value)} autoComplete="off" />;
  return (
    <div className="field">
      <label htmlFor={id}>{name}{required ? ' *' : ''}</label>
      {input}
      {error && <p id={`${id}-error`} className="field-error">{error}</p>}
    </div>
  );
}

/** Shown once after creating a source with secrets (a webhook's signing secret): copy it now. */
function SecretsOnce({ source, kind, onDone }: { source: Source; kind: SourceKind; onDone(): void }) {
  const { t } = useI18n();
  return (
    <div className="secrets" role="alert">
      <p><strong>{t('sources.secretOnce')}</strong></p>
      {kind.secrets.map((k) => <p key={k}>{k}: <code className="select-all">{String(source.settings[k] ?? '')}</code></p>)}
      {kind.kind === 'webhook' && <p>{t('sources.webhookUrl')}: <code>{`${window.location.origin}/api/ingest/webhook/${source.id}`}</code></p>}
      <button type="button" className="primary" onClick={onDone}>{t('sources.secretCopied')}</button>
    </div>
  );
}
