/**
 * Mention text is data, never markup: it is rendered as React text nodes only (no dangerouslySetInnerHTML
 * anywhere in the dashboard), so `<img onerror>` or `<script>` in a post shows up as those characters.
 * Links are made only for http(s) URLs and never pass a referrer or ranking credit.
 */
import type { ReactNode } from 'react';
import { isWebUrl, type Mention } from '../api.ts';
import { useI18n } from '../i18n.tsx';

export const EXTERNAL_REL = 'noopener noreferrer nofollow';

export function ExternalLink({ url, children, className }: { url: string | null | undefined; children: ReactNode; className?: string }) {
  if (!isWebUrl(url)) return <>{children}</>;
  return <a className={className} href={url} target="_blank" rel={EXTERNAL_REL} referrerPolicy="no-referrer">{children}</a>;
}

/** The text of a mention, whitespace kept, as inert text. */
export function MentionText({ mention, clamp }: { mention: Pick<Mention, 'text' | 'title'>; clamp?: boolean }) {
  return (
    <span className={clamp ? 'mention-text clamp' : 'mention-text'} data-testid="mention-text">
      {mention.title && <strong className="mention-title">{mention.title}</strong>}
      {mention.title && ' '}
      {mention.text}
    </span>
  );
}

export function SentimentBadge({ label }: { label: string | null | undefined }) {
  const { t } = useI18n();
  if (!label) return null;
  const known = label === 'negative' || label === 'neutral' || label === 'positive';
  return <span className={`badge sentiment-${known ? label : 'other'}`}>{known ? t(`sentiment.${label}`) : label}</span>;
}

export function authorLabel(m: Pick<Mention, 'author'>, anonymous: string): string {
  if (!m.author) return anonymous;
  return m.author.name ? `${m.author.name} (@${m.author.handle})` : `@${m.author.handle}`;
}
