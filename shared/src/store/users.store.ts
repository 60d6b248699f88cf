import { conflict, notFound } from '../errors/app-error.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { CreateUserInput, PatchUserInput, User } from '../types/directory.schema.ts';
import { cursorOffset, offsetCursor } from './cursor.ts';
import { newId } from './ids.ts';
import type { StoreKeys } from './keys.ts';

const parse = (raw: string): User => JSON.parse(raw) as User;

/** Users read per round trip while a search fills a page. */
const SEARCH_CHUNK = 500;

/** The directory's users: one JSON value each, a creation-ordered index and a unique email index. */
export class UsersStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async create(input: CreateUserInput): Promise<User> {
    const now = new Date().toISOString();
    const user: User = {
      id: newId(),
      firstname: input.firstname,
      lastname: input.lastname,
      email: input.email,
      username: input.username ?? input.email,
      department: input.department ?? null,
      title: input.title ?? null,
      custom: input.custom ?? {},
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    const claimed = await this.redis.hsetnx(this.keys.usersByEmail, user.email.toLowerCase(), user.id);
    if (!claimed)
      throw conflict('email_taken', `A user with email ${user.email} already exists.`, { field: 'email' });
    await this.redis
      .multi()
      .set(this.keys.user(user.id), JSON.stringify(user))
      .zadd(this.keys.users, Date.now(), user.id)
      .exec();
    return user;
  }

  async find(id: string): Promise<User | null> {
    const raw = await this.redis.get(this.keys.user(id));
    return raw ? parse(raw) : null;
  }

  async get(id: string): Promise<User> {
    const user = await this.find(id);
    if (!user) throw notFound('user', id);
    return user;
  }

  async getMany(ids: string[]): Promise<Map<string, User>> {
    const found = new Map<string, User>();
    if (ids.length === 0) return found;
    const raws = await this.redis.mget(ids.map((id) => this.keys.user(id)));
    raws.forEach((raw) => {
      if (raw) {
        const user = parse(raw);
        found.set(user.id, user);
      }
    });
    return found;
  }

  async update(
    id: string,
    patch: PatchUserInput & { status?: User['status'] },
  ): Promise<{ before: User; after: User }> {
    const before = await this.get(id);
    const after: User = {
      ...before,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      updatedAt: new Date().toISOString(),
    };
    if (after.email.toLowerCase() !== before.email.toLowerCase()) {
      const claimed = await this.redis.hsetnx(this.keys.usersByEmail, after.email.toLowerCase(), id);
      if (!claimed)
        throw conflict('email_taken', `A user with email ${after.email} already exists.`, { field: 'email' });
      await this.redis.hdel(this.keys.usersByEmail, before.email.toLowerCase());
    }
    await this.redis.set(this.keys.user(id), JSON.stringify(after));
    return { before, after };
  }

  async remove(user: User): Promise<void> {
    await this.redis
      .multi()
      .del(this.keys.user(user.id), this.keys.userRolesBefore(user.id))
      .hdel(this.keys.userRoles(user.id), user.id)
      .zrem(this.keys.users, user.id)
      .hdel(this.keys.usersByEmail, user.email.toLowerCase())
      .exec();
  }

  /**
   * A page in creation order. A `query` holding `@` is an exact email looked up through the index; any
   * other query is matched against names, email and username, reading on through the directory until
   * the page is full, so a page of matches may cover many pages of users.
   */
  async list(page: {
    limit: number;
    cursor?: string;
    query?: string;
  }): Promise<{ items: User[]; nextCursor: string | null }> {
    const query = page.query?.trim().toLowerCase();
    if (query?.includes('@')) {
      const id = await this.redis.hget(this.keys.usersByEmail, query);
      const user = id ? await this.find(id) : null;
      return { items: user ? [user] : [], nextCursor: null };
    }
    const matches = (u: User) =>
      !query || `${u.firstname} ${u.lastname} ${u.email} ${u.username}`.toLowerCase().includes(query);
    // Without a query one extra id tells whether another page exists, so a full last page has no cursor.
    const chunk = query ? SEARCH_CHUNK : page.limit + 1;
    const items: User[] = [];
    let offset = cursorOffset(page.cursor);
    for (;;) {
      const ids = await this.redis.zrange(this.keys.users, offset, offset + chunk - 1);
      const users = await this.getMany(ids);
      for (const [index, id] of ids.entries()) {
        const user = users.get(id);
        if (!user || !matches(user)) continue;
        if (items.length === page.limit) return { items, nextCursor: offsetCursor(offset + index) };
        items.push(user);
      }
      if (ids.length < chunk) return { items, nextCursor: null };
      offset += ids.length;
    }
  }
}
