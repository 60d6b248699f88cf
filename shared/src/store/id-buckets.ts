/** FNV-1a (32-bit) of a text: a cheap, stable spread of ids over buckets. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
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
