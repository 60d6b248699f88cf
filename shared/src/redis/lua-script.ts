import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Cluster } from 'ioredis';
import type { RedisClient } from './connection.ts';

export interface ScriptCall {
  keys: string[];
  args: (string | number)[];
}

const isNoScript = (err: unknown): boolean => err instanceof Error && err.message.startsWith('NOSCRIPT');

/**
 * A Lua script from .lua files and inline lines (concatenated, so one file can define functions another uses), sent
 * by its SHA and re-sent in full (EVAL, which also caches it) whenever Redis answers NOSCRIPT (a restarted
 * Redis has forgotten it). EVAL goes where the call's keys live, also in a cluster, where a SCRIPT LOAD
 * would reach one node only. Never queued inside MULTI: a NOSCRIPT there would only show up in EXEC's reply.
 */
export class LuaScript {
  readonly source: string;
  readonly sha: string;

  constructor(...parts: (URL | string)[]) {
    this.source = parts
      .map((part) => (typeof part === 'string' ? part : readFileSync(part, 'utf8')))
      .join('\n');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run<T = unknown>(redis: RedisClient, call: ScriptCall): Promise<T> {
    try {
      return (await this.send(redis, call)) as T;
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return (await redis.eval(this.source, call.keys.length, ...call.keys, ...call.args)) as T;
    }
  }

  /**
   * Many calls in one round trip, each atomic on its own; calls refused with NOSCRIPT are re-sent in full.
   * A cluster's calls may go to several nodes, which one pipeline cannot: there they go one by one, and
   * its auto-pipelining sends each node's together.
   */
  async runMany<T = unknown>(redis: RedisClient, calls: ScriptCall[]): Promise<T[]> {
    // A call alone is sent as itself: in a pipeline of its own it costs ioredis about twice the CPU.
    if (redis instanceof Cluster || calls.length === 1)
      return Promise.all(calls.map((call) => this.run<T>(redis, call)));
    const replies: (T | undefined)[] = new Array(calls.length);
    let remaining = calls.map((_, i) => i);
    for (let round = 0; remaining.length > 0; round++) {
      const p = redis.pipeline();
      for (const i of remaining) {
        const call = calls[i] as ScriptCall;
        if (round === 0) p.evalsha(this.sha, call.keys.length, ...call.keys, ...call.args);
        else p.eval(this.source, call.keys.length, ...call.keys, ...call.args);
      }
      const results = (await p.exec()) ?? [];
      const again: number[] = [];
      results.forEach(([err, reply], j) => {
        const i = remaining[j] as number;
        if (!err) replies[i] = reply as T;
        else if (isNoScript(err) && round === 0) again.push(i);
        else throw err;
      });
      remaining = again;
    }
    return replies as T[];
  }

  private send(redis: RedisClient, call: ScriptCall): Promise<unknown> {
    return redis.evalsha(this.sha, call.keys.length, ...call.keys, ...call.args);
  }
}
