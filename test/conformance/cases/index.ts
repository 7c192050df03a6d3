/** Every connector the conformance suite runs (the webhook intake has its own file). */
import type { ConnectorCase } from '../connector-case.ts';
import { appStoreCase, googlePlayCase } from './appstore.case.ts';
import { blueskySearchCase, jetstreamCase } from './bluesky.case.ts';
import { hackerNewsCase } from './hackernews.case.ts';
import { mastodonCase, mastodonStreamCase } from './mastodon.case.ts';
import { redditCase } from './reddit.case.ts';
import { rssCase } from './rss.case.ts';

export const CASES: ConnectorCase[] = [rssCase, hackerNewsCase, mastodonCase, mastodonStreamCase, jetstreamCase, blueskySearchCase, redditCase, appStoreCase, googlePlayCase];
