/**
 * The social and review connectors as source kinds (spread into the registry's KINDS): their settings
 * schemas, secret fields and factories. Kept apart from `registry.ts` so that the registry stays a short list.
 */
import type { z } from 'zod';
import type { SourceDeps, SourceKind } from './registry.ts';
import { createHackerNewsSource, hackerNewsSettings } from './hackernews/hackernews.source.ts';
import { createMastodonSource, mastodonSettings } from './mastodon/mastodon.source.ts';
import { createMastodonStreamSource, mastodonStreamSettings } from './mastodon/mastodon.stream.ts';
import { createJetstreamSource, jetstreamSettings } from './bluesky/jetstream.source.ts';
import { blueskySearchSettings, createBlueskySearchSource } from './bluesky/bluesky-search.source.ts';
import { createRedditSource, redditSettings } from './reddit/reddit.source.ts';
import { appStoreSettings, createAppStoreSource } from './appstore/appstore.source.ts';
import { createGooglePlaySource, googlePlaySettings } from './appstore/googleplay.source.ts';

type Settings = Record<string, unknown>;
const schema = (s: z.ZodType) => s as z.ZodType<Settings>;
/** The configured interval, else the runner's default (POLL_INTERVAL_SECONDS). */
const interval = (s: Settings, d: SourceDeps) => (typeof s.intervalSeconds === 'number' ? s.intervalSeconds : d.pollIntervalSeconds);

export const CONNECTOR_KINDS: SourceKind[] = [
  {
    kind: 'hackernews',
    label: 'Hacker News (Algolia search: stories and comments)',
    settings: schema(hackerNewsSettings),
    secrets: [],
    build: (s, d) => createHackerNewsSource(s as z.infer<typeof hackerNewsSettings>, { fetch: d.fetch, now: () => d.clock.now() }),
    interval,
  },
  {
    kind: 'mastodon',
    label: 'Mastodon (hashtag timelines and search, polled)',
    settings: schema(mastodonSettings),
    secrets: ['accessToken'],
    build: (s, d) => createMastodonSource(s as z.infer<typeof mastodonSettings>, { fetch: d.fetch }),
    interval,
  },
  {
    kind: 'mastodon-stream',
    label: 'Mastodon (hashtags, live streaming)',
    settings: schema(mastodonStreamSettings),
    secrets: ['accessToken'],
    build: (s, d) => createMastodonStreamSource(s as z.infer<typeof mastodonStreamSettings>, { fetch: d.fetch }),
  },
  {
    kind: 'bluesky',
    label: 'Bluesky (Jetstream live stream of all posts)',
    settings: schema(jetstreamSettings),
    secrets: [],
    build: (s, d) => createJetstreamSource(s as z.infer<typeof jetstreamSettings>, { fetch: d.fetch }),
  },
  {
    kind: 'bluesky-search',
    label: 'Bluesky (signed-in post search, backfill)',
    settings: schema(blueskySearchSettings),
    secrets: ['appPassword'],
    build: (s, d) => createBlueskySearchSource(s as z.infer<typeof blueskySearchSettings>, { fetch: d.fetch, now: () => d.clock.now() }),
    interval,
  },
  {
    kind: 'reddit',
    label: 'Reddit (search and subreddit comments, OAuth app)',
    settings: schema(redditSettings),
    secrets: ['clientSecret', 'password'],
    build: (s, d) => createRedditSource(s as z.infer<typeof redditSettings>, { fetch: d.fetch }),
    interval,
  },
  {
    kind: 'appstore',
    label: 'Apple App Store reviews (public feed, per country)',
    settings: schema(appStoreSettings),
    secrets: [],
    build: (s, d) => createAppStoreSource(s as z.infer<typeof appStoreSettings>, { fetch: d.fetch }),
    interval,
  },
  {
    kind: 'googleplay',
    label: 'Google Play reviews (Play Developer API, service account)',
    settings: schema(googlePlaySettings),
    secrets: ['serviceAccountJson'],
    build: (s, d) => createGooglePlaySource(s as z.infer<typeof googlePlaySettings>, { fetch: d.fetch }),
    // Play only returns the last 7 days: never poll less than daily.
    interval: (s, d) => Math.min(interval(s, d), 86_400),
  },
];
