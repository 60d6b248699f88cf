import { notFound } from '../errors/app-error.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Task, TaskStatus } from '../types/task.schema.ts';
import { cursorOffset, nextCursor } from './cursor.ts';
import { IdsInWriteOrder } from './ids-in-write-order.ts';
import type { StoreKeys } from './keys.ts';
import { decodeTask } from './task-codec.ts';

/**
 * Statuses a task never leaves (a failed task can be retried, these not): their indexes only grow, so
 * they are lists in the order tasks reached them (see IdsInWriteOrder), where the others are sorted sets.
 */
export const FINAL_TASK_STATUSES: ReadonlySet<TaskStatus> = new Set(['succeeded', 'denied', 'superseded']);

/** A task as read, with the form Redis stores it in. */
export interface TaskRead {
  task: Task;
  stored: string;
}

/** Approval tasks (read side; the lifecycle writes them): one JSON value each, indexed per app (in the order of their first write) and per app and status (scored by creation time). */
export class TasksStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
  ) {}

  async find(appId: string, id: string): Promise<Task | null> {
    const raw = await this.redis.get(this.keys.task(appId, id));
    return raw ? decodeTask(raw, { appId, id }) : null;
  }

  async get(appId: string, id: string): Promise<Task> {
    const task = await this.find(appId, id);
    if (!task || task.appId !== appId) throw notFound('task', id);
    return task;
  }

  async getMany(appId: string, ids: string[]): Promise<Task[]> {
    return (await this.getManyStored(appId, ids)).map((read) => read.task);
  }

  /** As getMany, each task with the form it is stored in. */
  async getManyStored(appId: string, ids: string[]): Promise<TaskRead[]> {
    const reads: TaskRead[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const raws = await this.redis.mget(chunk.map((id) => this.keys.task(appId, id)));
      raws.forEach((stored, j) => {
        if (stored) reads.push({ task: decodeTask(stored, { appId, id: chunk[j] as string }), stored });
      });
    }
    return reads;
  }

  idsWithStatus(appId: string, status: TaskStatus): Promise<string[]> {
    if (FINAL_TASK_STATUSES.has(status)) return this.idsReaching(appId, status).all();
    return this.redis.zrange(this.keys.appTaskStatus(appId, status), 0, -1);
  }

  countWithStatus(appId: string, status: TaskStatus): Promise<number> {
    if (FINAL_TASK_STATUSES.has(status)) return this.idsReaching(appId, status).count();
    return this.redis.zcard(this.keys.appTaskStatus(appId, status));
  }

  /** The tasks with a final status, in the order they reached it. */
  private idsReaching(appId: string, status: TaskStatus): IdsInWriteOrder {
    return new IdsInWriteOrder(
      this.redis,
      this.keys.appTaskStatus(appId, status),
      this.keys.appTaskIdsWithStatus(appId, status),
    );
  }

  allIds(appId: string): Promise<string[]> {
    return this.ids(appId).all();
  }

  private ids(appId: string): IdsInWriteOrder {
    return new IdsInWriteOrder(this.redis, this.keys.appTasksBefore(appId), this.keys.appTaskIds(appId));
  }

  /**
   * Newest first: by first write in all (a task is written when created), by the time it reached a final
   * status (FINAL_TASK_STATUSES), by creation time in another status.
   */
  async list(
    appId: string,
    page: { status?: TaskStatus; limit: number; cursor?: string },
  ): Promise<{ items: Task[]; nextCursor: string | null }> {
    const offset = cursorOffset(page.cursor);
    const { status } = page;
    const ids =
      status && !FINAL_TASK_STATUSES.has(status)
        ? await this.redis.zrange(
            this.keys.appTaskStatus(appId, status),
            offset,
            offset + page.limit - 1,
            'REV',
          )
        : await (status ? this.idsReaching(appId, status) : this.ids(appId)).page(
            offset,
            page.limit,
            'newest first',
          );
    const items = await this.getMany(appId, ids);
    return { items, nextCursor: nextCursor(offset, ids.length, page.limit) };
  }
}
