/** FNV-1a (32-bit) of a text: a cheap, stable spread of ids over buckets (`basis`: another spread). */
export function fnv1a32(text: string, basis = 0x811c9dc5): number {
  let hash = basis;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * An index with one small entry per user costs Redis about 70 bytes an entry as one big hash (a
 * hashtable: an entry, two strings and a slot each) and about 25 as buckets each small enough to stay a
 * listpack (Redis's default hash-max-listpack-entries is 128, which a user's own Redis may keep).
 * 1,024 buckets keep that up to about 100,000 users; a bucket grown past it only costs what one big hash did.
 */
export const USER_INDEX_BUCKETS = 1024;

export const userIndexBucket = (userId: string): number => fnv1a32(userId) % USER_INDEX_BUCKETS;

/**
 * A user's field in a bucketed index that only guards (the app's directory versions): a second hash of
 * the id, of at most 7 characters where an id takes about 21 (and an entry about 25 bytes, 11 this way).
 * Two users of a bucket sharing one (about one pair in 4 billion) share a counter: a bump for one fails
 * a plan of the other too, which decides again.
 */
export const userGuardField = (userId: string): string => fnv1a32(userId, 0x050c5d1f).toString(36);

/** Every bucket number, for removing a bucketed index whole. */
export const allUserIndexBuckets = (): number[] => Array.from({ length: USER_INDEX_BUCKETS }, (_, i) => i);

/** The users grouped by bucket, each group in the order given. */
export function byUserIndexBucket(userIds: readonly string[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const userId of userIds) {
    const bucket = userIndexBucket(userId);
    const group = groups.get(bucket);
    if (group) group.push(userId);
    else groups.set(bucket, [userId]);
  }
  return groups;
}
