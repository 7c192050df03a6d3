/** The map keys the mention store uses on both dialects: an author by channel + handle, a mention by source + external id. */
export const authorKey = (a: { channel: string; handle: string }): string => `${a.channel}\u0000${a.handle}`;
export const mentionKey = (r: { source_id: number; external_id: string }): string => `${r.source_id}\u0000${r.external_id}`;
