/**
 * Radar settings (`/w/:ws/radar?view=settings`): the alert rules — severity, cool-down, threshold, mute for a
 * while or until unmuted — and the notification channels (radar-channels.tsx). Everyone may look; the API
 * lets only admins change anything, and its refusal is shown like any other error.
 */
import { useState } from 'react';
import { useAsync } from '../hooks.ts';
import { useI18n } from '../i18n.tsx';
import type { MessageKey } from '../messages/en.ts';
import { href, Link, useLocation } from '../router.tsx';
import { useWorkspace } from '../workspace.tsx';
import { ErrorNotice, Loading } from '../components/states.tsx';
import { RadarChannels } from './radar-channels.tsx';
import { isMuted, settingsApi, SEVERITIES, type AlertRule, type RuleChanges } from './radar-settings-data.ts';

const HOUR = 3_600_000;
const MUTE_FOR = { '1h': HOUR, '24h': 24 * HOUR, '7d': 7 * 24 * HOUR, forever: null } as const;
type MuteFor = keyof typeof MUTE_FOR;
const MUTE_LABEL: Record<MuteFor, MessageKey> = { '1h': 'radar.rules.mute1h', '24h': 'radar.rules.mute24h', '7d': 'radar.rules.mute7d', forever: 'radar.rules.muteForever' };

export function RadarSettings() {
  const { t } = useI18n();
  const ws = useWorkspace();
  const { path } = useLocation();
  return (
    <section aria-labelledby="radar-settings-title" data-testid="radar-settings">
      <div className="page-head">
        <h1 id="radar-settings-title">{t('radar.settings')}</h1>
        <span className="spacer" />
        <Link to={href(path)}>{t('radar.settings.back')}</Link>
      </div>
      <p className="muted">{t('radar.settings.intro')}</p>
      <RulesCard ws={ws.id} />
      <RadarChannels ws={ws.id} />
    </section>
  );
}

function RulesCard({ ws }: { ws: number }) {
  const { t } = useI18n();
  const rules = useAsync((s) => settingsApi.rules(ws, s), [ws]);
  return (
    <div className="card wide">
      <h2>{t('radar.rules')}</h2>
      <p className="muted small">{t('radar.rules.hint')}</p>
      {rules.error && <ErrorNotice error={rules.error} onRetry={rules.reload} />}
      {!rules.data && !rules.error && <Loading />}
      {rules.data && (
        <table className="table" data-testid="alert-rules">
          <thead>
            <tr>
              <th>{t('radar.rules.rule')}</th><th>{t('radar.rules.severity')}</th><th>{t('radar.rules.cooldown')}</th>
              <th>{t('radar.rules.threshold')}</th><th>{t('radar.rules.status')}</th><th />
            </tr>
          </thead>
          <tbody>
            {rules.data.items.map((r) => <RuleRow key={r.id} ws={ws} rule={r} onSaved={rules.reload} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** One rule: its tunables are edited in place and saved together; muting and unmuting save at once. */
function RuleRow({ ws, rule, onSaved }: { ws: number; rule: AlertRule; onSaved(): void }) {
  const { t, dateTime } = useI18n();
  const name = t(`radar.rule.${rule.kind}` as MessageKey);
  const [draft, setDraft] = useState({ severity: rule.severity, cooldownMinutes: Math.round(rule.cooldownMs / 60_000), threshold: rule.threshold });
  const [muteFor, setMuteFor] = useState<MuteFor>('24h');
  const [state, setState] = useState<Error | 'saved' | null>(null);
  const save = async (changes: RuleChanges) => {
    setState(null);
    try {
      await settingsApi.updateRule(ws, rule.id, changes);
      setState('saved');
      onSaved();
    } catch (err) {
      setState(err as Error);
    }
  };
  const muted = isMuted(rule);
  const dirty = draft.severity !== rule.severity || draft.cooldownMinutes !== Math.round(rule.cooldownMs / 60_000) || draft.threshold !== rule.threshold;
  const mutedFor = MUTE_FOR[muteFor];
  return (
    <tr data-rule={rule.kind}>
      <th scope="row">{name}</th>
      <td>
        <select aria-label={`${t('radar.rules.severity')}: ${name}`} value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: e.target.value as AlertRule['severity'] })}>
          {SEVERITIES.map((s) => <option key={s} value={s}>{t(`radar.severity.${s}` as MessageKey)}</option>)}
        </select>
      </td>
      <td><input aria-label={`${t('radar.rules.cooldown')}: ${name}`} type="number" min={5} max={10080} step={5} value={draft.cooldownMinutes} onChange={(e) => setDraft({ ...draft, cooldownMinutes: Number(e.target.value) })} /></td>
      <td><input aria-label={`${t('radar.rules.threshold')}: ${name}`} type="number" min={0.05} max={0.99} step={0.05} value={draft.threshold} onChange={(e) => setDraft({ ...draft, threshold: Number(e.target.value) })} /></td>
      <td data-testid="rule-status">
        {!muted && t('radar.rules.active')}
        {muted && (rule.mutedUntil === null ? t('radar.rules.muted') : t('radar.rules.mutedUntil', { time: dateTime(rule.mutedUntil) }))}
      </td>
      <td className="row-actions">
        <button type="button" className="primary" disabled={!dirty} onClick={() => save(draft)}>{t('action.save')}</button>
        {muted
          ? <button type="button" onClick={() => save({ muted: false, mutedUntil: null })}>{t('radar.rules.unmute')}</button>
          : (
            <span className="inline-form">
              <select aria-label={t('radar.rules.muteFor', { rule: name })} value={muteFor} onChange={(e) => setMuteFor(e.target.value as MuteFor)}>
                {(Object.keys(MUTE_FOR) as MuteFor[]).map((k) => <option key={k} value={k}>{t(MUTE_LABEL[k])}</option>)}
              </select>
              <button type="button" onClick={() => save({ muted: true, mutedUntil: mutedFor === null ? null : Date.now() + mutedFor })}>{t('radar.rules.mute')}</button>
            </span>
          )}
        {state === 'saved' && <span className="muted small" role="status"> {t('radar.rules.saved')}</span>}
        {state instanceof Error && <ErrorNotice error={state} />}
      </td>
    </tr>
  );
}
