/**
 * Google Play reviews through the Play Developer API (`reviews.list`), for apps the service account may
 * manage. The API only returns reviews with text created or edited in the **last 7 days**, so the source
 * must run at least daily; older history comes from the Play Console CSV export (file import).
 *
 * Each run reads every page (`tokenPagination.nextPageToken`): the window is small, and the order of the
 * list is not documented, so there is no safe point to stop early. Reviews already stored are "known".
 * The cursor records the newest `lastModified` seen, for operators; it does not filter.
 */
import { z } from 'zod';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import type { Source, SourceBatch, SourceItem, SourceReject } from '../../pipeline/source.ts';
import { apiUrl, fetchJson, parseJsonCursor } from '../connector-http.ts';
import { forgetGoogleToken, googleAccessToken, parseServiceAccount, type ServiceAccountKey } from './googleplay.auth.ts';

export const googlePlaySettings = z.object({
  packageName: z.string().regex(/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)+$/, 'an application id such as com.example.app'),
  /** The whole service-account key file (JSON); the account needs the "Reply to reviews" permission. */
  serviceAccountJson: z.string().min(2).refine((v) => {
    try {
      parseServiceAccount(v);
      return true;
    } catch {
      return false;
    }
  }, 'must be a Google service-account key file (JSON with client_email and private_key)'),
  translationLanguage: z.string().regex(/^[a-z]{2}(_[A-Z]{2})?$/).optional(),
  baseUrl: z.string().url().default('https://androidpublisher.googleapis.com'),
  maxResults: z.number().int().min(1).max(100).default(100),
  maxPages: z.number().int().min(1).max(50).default(20),
  intervalSeconds: z.number().int().min(300).max(86_400).optional(),
});
export type GooglePlaySettings = z.infer<typeof googlePlaySettings>;

interface Review {
  reviewId?: string;
  authorName?: string;
  comments?: { userComment?: UserComment; developerComment?: { text?: string } }[];
}
interface UserComment {
  text?: string;
  originalText?: string;
  lastModified?: { seconds?: string };
  starRating?: number;
  reviewerLanguage?: string;
  appVersionName?: string;
  device?: string;
  thumbsUpCount?: number;
}

/** An authorised GET on the Play API; a 401 gets one new token. */
export async function playCall<T>(fetch: SafeFetch, key: ServiceAccountKey, url: string, init: { method?: string; body?: string; signal?: AbortSignal; what: string }): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const token = await googleAccessToken(fetch, key, init.signal);
    const res = await fetchJson<T>(fetch, url, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) }, pass: attempt === 0 ? [401] : [] });
    if (res.status !== 401) return res.body;
    forgetGoogleToken(key);
  }
}

/** @throws (from read) Error for a refused key, other statuses, malformed answers; SourceRetryError on 429. */
export function createGooglePlaySource(settings: GooglePlaySettings, deps: { fetch: SafeFetch }): Source {
  const key = parseServiceAccount(settings.serviceAccountJson);
  return {
    async *read(raw, signal): AsyncGenerator<SourceBatch> {
      let newest = Number(parseJsonCursor(raw).lastModified) || 0;
      let token: string | undefined;
      for (let page = 0; page < settings.maxPages; page++) {
        const url = apiUrl(settings.baseUrl, `/androidpublisher/v3/applications/${encodeURIComponent(settings.packageName)}/reviews`, { maxResults: settings.maxResults, token, translationLanguage: settings.translationLanguage });
        const body = await playCall<{ reviews?: unknown; tokenPagination?: { nextPageToken?: string } }>(deps.fetch, key, url, { what: 'the Google Play reviews API', signal });
        if (body?.reviews !== undefined && !Array.isArray(body.reviews)) throw new Error('the Google Play reviews API answered without a reviews list');
        const batch = toBatch((body?.reviews as Review[] | undefined) ?? [], settings.packageName);
        for (const i of batch.items) newest = Math.max(newest, Number(i.publishedAt) || 0);
        token = body?.tokenPagination?.nextPageToken;
        const last = !token || page + 1 === settings.maxPages;
        yield { ...batch, ...(last ? { cursor: JSON.stringify({ lastModified: newest }) } : {}) };
        if (last) return;
      }
    },
  };
}

function toBatch(reviews: Review[], pkg: string): { items: SourceItem[]; rejects: SourceReject[] } {
  const out = { items: [] as SourceItem[], rejects: [] as SourceReject[] };
  for (const r of reviews) {
    const item = reviewToItem(r, pkg);
    if (item) out.items.push(item);
    else out.rejects.push({ externalId: r?.reviewId ?? null, error: 'Google Play review without reviewId or user comment text', payload: r });
  }
  return out;
}

export function reviewToItem(r: Review, pkg: string): SourceItem | null {
  const user = r?.comments?.find((c) => c.userComment)?.userComment;
  const text = user?.text?.trim();
  if (!r?.reviewId || !user || !text) return null;
  const reply = r.comments?.find((c) => c.developerComment)?.developerComment?.text;
  return {
    externalId: r.reviewId,
    text,
    url: `https://play.google.com/store/apps/details?id=${encodeURIComponent(pkg)}&reviewId=${encodeURIComponent(r.reviewId)}`,
    publishedAt: user.lastModified?.seconds ? Number(user.lastModified.seconds) * 1000 : null,
    author: r.authorName ? { handle: r.authorName } : null,
    lang: user.reviewerLanguage?.split(/[-_]/)[0] ?? null,
    metrics: { likes: user.thumbsUpCount ?? null },
    channel: 'googleplay',
    extra: { rating: user.starRating ?? null, appVersion: user.appVersionName ?? null, device: user.device ?? null, ...(user.originalText ? { originalText: user.originalText } : {}), ...(reply ? { developerReply: reply } : {}) },
  };
}
