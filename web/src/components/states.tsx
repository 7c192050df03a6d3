/** Loading, error and empty states: every list and panel says what is happening and what to do next. */
import type { ReactNode } from 'react';
import { useI18n } from '../i18n.tsx';
import { ApiError } from '../api.ts';

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> {label ?? t('state.loading')}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  const network = error instanceof ApiError && error.code === 'network';
  return (
    <div className="state state-error" role="alert">
      <strong>{network ? t('state.offline') : t('state.error')}</strong>
      <span className="state-detail">{error.message}</span>
      {onRetry && <button type="button" onClick={onRetry}>{t('action.retry')}</button>}
    </div>
  );
}

export function Empty({ title, hint, children }: { title: string; hint?: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {hint && <p>{hint}</p>}
      {children}
    </div>
  );
}
