/**
 * Reply-back on Bluesky: `com.atproto.repo.createRecord` of an `app.bsky.feed.post` whose `reply` names the
 * thread root and the parent (strong refs: uri + cid), with facets for @mentions, links and #tags.
 *
 * Facet offsets are **UTF-8 byte** offsets; @atproto/api's RichText computes them (it is used offline only:
 * handles are resolved to DIDs here, through the guarded fetch, rather than by its agent).
 */
import type { RichText } from '@atproto/api';
import type { SafeFetch } from '../../lib/safe-fetch.ts';
import { getSession, xrpc, type BlueskyAccount } from './bluesky.session.ts';

export interface StrongRef {
  uri: string;
  cid: string;
}

export interface BlueskyReply {
  /** The post answered. */
  parent: StrongRef;
  /** Its thread root: the parent's own `reply.root`, or the parent itself when it starts the thread. */
  root?: StrongRef;
  text: string;
  langs?: string[];
}

export interface BlueskyPostRecord {
  $type: 'app.bsky.feed.post';
  text: string;
  createdAt: string;
  reply: { root: StrongRef; parent: StrongRef };
  facets?: unknown[];
  langs?: string[];
}

type Facet = NonNullable<RichText['facets']>[number];

/**
 * Build the record (pure apart from handle resolution). Mentions whose handle does not resolve are left
 * as plain text rather than sent with an invalid DID.
 */
export async function buildReplyRecord(reply: BlueskyReply, resolveHandle: (handle: string) => Promise<string | null>, now = new Date()): Promise<BlueskyPostRecord> {
  // Imported on first use: @atproto/api is large, and only replies need it.
  const { RichText } = await import('@atproto/api');
  const rt = new RichText({ text: reply.text });
  rt.detectFacetsWithoutResolution();
  const facets: Facet[] = [];
  for (const facet of rt.facets ?? []) {
    const mention = facet.features.find((f) => f.$type === 'app.bsky.richtext.facet#mention') as { did: string } | undefined;
    if (mention) {
      const did = await resolveHandle(mention.did);
      if (!did) continue;
      mention.did = did;
    }
    facets.push(facet);
  }
  return {
    $type: 'app.bsky.feed.post',
    text: rt.text,
    createdAt: now.toISOString(),
    reply: { root: reply.root ?? reply.parent, parent: reply.parent },
    ...(facets.length ? { facets } : {}),
    ...(reply.langs?.length ? { langs: reply.langs } : {}),
  };
}

/**
 * Post the reply as `account`.
 * @returns the new post's uri and cid.
 * @throws Error with the PDS's reason (bad app password, invalid record), SourceRetryError on 429.
 */
export async function sendBlueskyReply(account: BlueskyAccount, reply: BlueskyReply, deps: { fetch: SafeFetch }): Promise<StrongRef> {
  const resolve = async (handle: string): Promise<string | null> => {
    try {
      const { body } = await xrpc<{ did?: string }>(deps.fetch, account, 'com.atproto.identity.resolveHandle', { what: 'Bluesky handle resolution', query: { handle } });
      return typeof body?.did === 'string' ? body.did : null;
    } catch {
      return null;
    }
  };
  const record = await buildReplyRecord(reply, resolve);
  const session = await getSession(deps.fetch, account);
  const { body } = await xrpc<{ uri?: string; cid?: string }>(deps.fetch, account, 'com.atproto.repo.createRecord', {
    what: 'the Bluesky createRecord call',
    method: 'POST',
    body: { repo: session.did, collection: 'app.bsky.feed.post', record },
  });
  if (!body?.uri || !body.cid) throw new Error('the Bluesky createRecord call answered without uri/cid');
  return { uri: body.uri, cid: body.cid };
}
