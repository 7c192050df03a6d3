/**
 * Notification channels on the radar settings page: the list (target shown as the API shows it — a Slack
 * URL masked, a webhook secret masked), a test message on demand, delete, and one form to add or edit a
 * channel. A webhook's signing secret is shown once, right after it was created or replaced.
 */
import { useState, type FormEvent } from 'react';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages/en.ts';
import { Empty, ErrorNotice, Loading } from '../components/states.tsx';
import { CHANNEL_KINDS, isWholeSecret, settingsApi, SEVERITIES, type AlertChannel, type ChannelChanges, type ChannelKind, type ChannelTest } from './radar-settings-data.ts';

export function RadarChannels({ ws }: { ws: number }) {
  const { t } = useI18n();
  const channels = useAsync((s) => settingsApi.channels(ws, s), [ws]);
  const [editing, setEditing] = useState<AlertChannel | 'new' | null>(null);
  const [shown, setShown] = useState<AlertChannel | null>(null);
  const [tests, setTests] = useState<Record<number, ChannelTest | Error>>({});
  const [error, setError] = useState<Error | null>(null);
  const items = channels.data?.items ?? [];
  const test = async (c: AlertChannel) => {
    try {
      const result = await settingsApi.testChannel(ws, c.id);
      setTests((all) => ({ ...all, [c.id]: result }));
    } catch (err) {
      setTests((all) => ({ ...all, [c.id]: err as Error }));
    }
  };
  const remove = async (c: AlertChannel) => {
    if (!window.confirm(t('radar.channels.confirmDelete', { name: c.name }))) return;
    setError(null);
    try {
      await settingsApi.deleteChannel(ws, c.id);
      if (editing !== 'new' && editing?.id === c.id) setEditing(null);
      channels.reload();
    } catch (err) {
      setError(err as Error);
    }
  };
  const saved = (c: AlertChannel) => {
    setEditing(null);
    setShown(isWholeSecret(c.config.secret) ? c : null);
    channels.reload();
  };
  return (
    <div className="card wide">
      <div className="page-head">
        <h2>{t('radar.channels')}</h2>
        <span className="spacer" />
        <button type="button" onClick={() => { setShown(null); setEditing('new'); }}>{t('radar.channels.add')}</button>
      </div>
      {shown && (
        <div className="secrets" role="alert" data-testid="channel-secret">
          <p>{t('radar.channels.secretOnce', { name: shown.name })}</p>
          <p><code className="select-all">{shown.config.secret}</code></p>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      {channels.error && <ErrorNotice error={channels.error} onRetry={channels.reload} />}
      {!channels.data && !channels.error && <Loading />}
      {channels.data && !items.length && <Empty title={t('radar.channels.none')} hint={t('radar.channels.noneHint')} />}
      {items.length > 0 && (
        <table className="table" data-testid="alert-channels">
          <thead>
            <tr>
              <th>{t('radar.channels.name')}</th><th>{t('radar.channels.kind')}</th><th>{t('radar.channels.target')}</th>
              <th>{t('radar.channels.minSeverity')}</th><th>{t('radar.channels.enabled')}</th><th />
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id} data-channel={c.name}>
                <th scope="row">{c.name}</th>
                <td>{t(`radar.channels.kind.${c.kind}` as MessageKey)}</td>
                <td><Target channel={c} /></td>
                <td>{t(`radar.severity.${c.minSeverity}` as MessageKey)}</td>
                <td>{c.enabled ? t('radar.channels.on') : t('radar.channels.off')}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => test(c)}>{t('radar.channels.test')}</button>
                  <button type="button" onClick={() => { setShown(null); setEditing(c); }}>{t('action.edit')}</button>
                  <button type="button" className="danger" onClick={() => remove(c)}>{t('action.delete')}</button>
                  <TestResult result={tests[c.id]} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing && <ChannelForm key={editing === 'new' ? 'new' : editing.id} ws={ws} channel={editing === 'new' ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />}
    </div>
  );
}

function Target({ channel: c }: { channel: AlertChannel }) {
  const { t } = useI18n();
  if (c.kind === 'email') return <span>{(c.config.to ?? []).join(', ')}</span>;
  return (
    <span>
      <code>{c.config.url}</code>
      {c.config.secret && <span className="muted small"> · {t('radar.channels.secretMasked', { secret: c.config.secret })}</span>}
    </span>
  );
}

function TestResult({ result }: { result: ChannelTest | Error | undefined }) {
  const { t } = useI18n();
  if (!result) return null;
  if (result instanceof Error) return <ErrorNotice error={result} />;
  const text = result.ok ? t('radar.channels.testOk', { status: result.status ?? '—' }) : t('radar.channels.testFailed', { error: result.error ?? String(result.status) });
  return <p className={result.ok ? 'small' : 'field-error'} role="status" data-testid="channel-test">{text}</p>;
}

interface Draft { kind: ChannelKind; name: string; url: string; to: string; minSeverity: AlertChannel['minSeverity']; enabled: boolean; rotate: boolean }

function draftOf(c: AlertChannel | null): Draft {
  if (!c) return { kind: 'webhook', name: '', url: '', to: '', minSeverity: 'warning', enabled: true, rotate: false };
  // A Slack URL comes back masked: the field starts empty and an empty field keeps the stored URL.
  const url = c.kind === 'webhook' ? (c.config.url ?? '') : '';
  return { kind: c.kind, name: c.name, url, to: (c.config.to ?? []).join(', '), minSeverity: c.minSeverity, enabled: c.enabled, rotate: false };
}

const recipients = (s: string): string[] => s.split(/[,;\s]+/).map((x) => x.trim()).filter(Boolean);

/** What an edit sends: only the fields that changed, and a Slack URL only when a new one was typed. */
function changesOf(c: AlertChannel, d: Draft): ChannelChanges {
  const before = draftOf(c);
  return {
    ...(d.name !== before.name ? { name: d.name } : {}),
    ...(c.kind !== 'email' && d.url.trim() && d.url !== before.url ? { url: d.url.trim() } : {}),
    ...(c.kind === 'email' && d.to !== before.to ? { to: recipients(d.to) } : {}),
    ...(d.minSeverity !== before.minSeverity ? { minSeverity: d.minSeverity } : {}),
    ...(d.enabled !== before.enabled ? { enabled: d.enabled } : {}),
    ...(c.kind === 'webhook' && d.rotate ? { rotateSecret: true as const } : {}),
  };
}

function ChannelForm({ ws, channel, onSaved, onCancel }: { ws: number; channel: AlertChannel | null; onSaved(c: AlertChannel): void; onCancel(): void }) {
  const { t } = useI18n();
  const [d, setD] = useState<Draft>(() => draftOf(channel));
  const [error, setError] = useState<Error | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const target = d.kind === 'email' ? { to: recipients(d.to) } : { url: d.url.trim() };
      onSaved(channel
        ? await settingsApi.updateChannel(ws, channel.id, changesOf(channel, d))
        : await settingsApi.createChannel(ws, { kind: d.kind, name: d.name, minSeverity: d.minSeverity, enabled: d.enabled, ...target }));
    } catch (err) {
      setError(err as Error);
    }
  };
  const title = channel ? t('radar.channels.edit', { name: channel.name }) : t('radar.channels.new');
  return (
    <form className="form" onSubmit={submit} aria-label={title} data-testid="channel-form">
      <h3>{title}</h3>
      {!channel && (
        <label className="field">{t('radar.channels.kind')}
          <select value={d.kind} onChange={(e) => setD({ ...d, kind: e.target.value as ChannelKind })}>
            {CHANNEL_KINDS.map((k) => <option key={k} value={k}>{t(`radar.channels.kind.${k}` as MessageKey)}</option>)}
          </select>
        </label>
      )}
      <label className="field">{t('radar.channels.name')}<input value={d.name} onChange={(e) => setD({ ...d, name: e.target.value })} required maxLength={120} /></label>
      {d.kind !== 'email' && (
        <label className="field">{t('radar.channels.url')}
          <input type="url" value={d.url} onChange={(e) => setD({ ...d, url: e.target.value })} required={!channel || d.kind === 'webhook'} placeholder={d.kind === 'slack' ? 'https://hooks.slack.com/services/…' : 'https://'} />
          {channel?.kind === 'slack' && <span className="muted small">{t('radar.channels.slackUrlKeep', { url: channel.config.url ?? '' })}</span>}
        </label>
      )}
      {d.kind === 'email' && <label className="field">{t('radar.channels.to')}<input value={d.to} onChange={(e) => setD({ ...d, to: e.target.value })} required placeholder="ops@example.com, pr@example.com" /></label>}
      <label className="field">{t('radar.channels.minSeverity')}
        <select value={d.minSeverity} onChange={(e) => setD({ ...d, minSeverity: e.target.value as Draft['minSeverity'] })}>
          {SEVERITIES.map((s) => <option key={s} value={s}>{t(`radar.severity.${s}` as MessageKey)}</option>)}
        </select>
      </label>
      <label><input type="checkbox" checked={d.enabled} onChange={(e) => setD({ ...d, enabled: e.target.checked })} /> {t('radar.channels.enabled')}</label>
      {channel?.kind === 'webhook' && <label><input type="checkbox" checked={d.rotate} onChange={(e) => setD({ ...d, rotate: e.target.checked })} /> {t('radar.channels.rotate')}</label>}
      {error && <ErrorNotice error={error} />}
      <div className="actions">
        <button type="submit" className="primary">{t('action.save')}</button>
        <button type="button" onClick={onCancel}>{t('action.cancel')}</button>
      </div>
    </form>
  );
}
