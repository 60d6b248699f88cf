import type { ScimUser } from '../mapping/scim-user.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { ImportItem, ImportKind, ImportSummary } from '../types/import.schema.ts';
import { cursorOffset, nextCursor } from './cursor.ts';
import type { StoreKeys } from './keys.ts';

/** An item as kept: with what the target held of the mapped attributes, for a later link or reconcile. */
export interface StoredImportItem extends ImportItem {
  observed: ScimUser | null;
}

/** An import is a snapshot for an admin to work through, not state: it goes after a week. */
const TTL_SECONDS = 7 * 86_400;

/**
 * The last "Import from app" of each app: its summary, its items by key (one hash field each, so two
 * admins deciding different items never overwrite each other) and their order, overall and per kind.
 */
export class ImportReportsStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly storeKeys: StoreKeys,
  ) {}

  private keys(appId: string) {
    const base = this.storeKeys.appImport(appId);
    return {
      summary: base,
      items: `${base}:items`,
      order: (kind?: ImportKind) => (kind ? `${base}:order:${kind}` : `${base}:order`),
    };
  }

  /** Replaces the app's last import. */
  async replace(summary: ImportSummary, items: StoredImportItem[]): Promise<void> {
    const k = this.keys(summary.appId);
    const kinds: ImportKind[] = ['matched', 'drifted', 'unmatched_target', 'unmatched_directory'];
    const all = [k.summary, k.items, k.order(), ...kinds.map((kind) => k.order(kind))];
    const tx = this.redis
      .multi()
      .unlink(...all)
      .set(k.summary, JSON.stringify(summary));
    if (items.length > 0) {
      tx.hset(k.items, ...items.flatMap((item) => [item.key, JSON.stringify(item)]));
      tx.rpush(k.order(), ...items.map((item) => item.key));
      for (const kind of kinds) {
        const ofKind = items.filter((item) => item.kind === kind).map((item) => item.key);
        if (ofKind.length > 0) tx.rpush(k.order(kind), ...ofKind);
      }
    }
    for (const key of all) tx.expire(key, TTL_SECONDS);
    await tx.exec();
  }

  async summary(appId: string): Promise<ImportSummary | null> {
    const raw = await this.redis.get(this.keys(appId).summary);
    return raw ? (JSON.parse(raw) as ImportSummary) : null;
  }

  async page(
    appId: string,
    query: { kind?: ImportKind | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ items: StoredImportItem[]; nextCursor: string | null }> {
    const k = this.keys(appId);
    const offset = cursorOffset(query.cursor);
    const itemKeys = await this.redis.lrange(k.order(query.kind), offset, offset + query.limit - 1);
    const raws = itemKeys.length > 0 ? await this.redis.hmget(k.items, ...itemKeys) : [];
    return {
      items: raws.filter((raw): raw is string => raw !== null).map((raw) => JSON.parse(raw)),
      nextCursor: nextCursor(offset, itemKeys.length, query.limit),
    };
  }

  async item(appId: string, key: string): Promise<StoredImportItem | null> {
    const raw = await this.redis.hget(this.keys(appId).items, key);
    return raw ? (JSON.parse(raw) as StoredImportItem) : null;
  }

  async saveItem(appId: string, item: StoredImportItem): Promise<void> {
    await this.redis.hset(this.keys(appId).items, item.key, JSON.stringify(item));
  }
}
