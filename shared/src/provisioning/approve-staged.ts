import type { RedisClient } from '../redis/connection.ts';
import { LuaScript, type ScriptCall } from '../redis/lua-script.ts';
import { STORED_FORMS_LUA } from '../store/app-user-form.ts';
import type { StoreKeys } from '../store/keys.ts';
import type { ProvisioningLog } from '../store/provisioning-log/provisioning-log.ts';
import { encodeTask, queuedFromStored } from '../store/task-codec.ts';
import type { TaskRead } from '../store/tasks.store.ts';
import type { Task } from '../types/task.schema.ts';
import { desiredResourceOf, intentOf } from './plan.ts';
import { approvalEvents } from './task-events.ts';
import { type AppUserPatch, toFields } from './transition.ts';

const APPROVE = new LuaScript(
  new URL('../store/provisioning-log/log-append.lua', import.meta.url),
  ...STORED_FORMS_LUA,
  new URL('./approve-staged.lua', import.meta.url),
);

/**
 * Tasks per script call: enough to share the indexes' writes and the log's index entries, few enough
 * that a call stays short (15-20 ms of Redis) and the API builds the next while Redis applies this one.
 */
const PER_CALL = 250;

const ID_SLOT = '\u0000';

/** A key of an id as what goes before and after the id (the script builds the key of each id). */
function keyTemplate(keyOf: (id: string) => string): [string, string] {
  const [before = '', after = ''] = keyOf(ID_SLOT).split(ID_SLOT);
  return [before, after];
}

/** What approving one task did: applied, left (no longer pending), or left to the guarded transition. */
export type StagedReply = 'ok' | 'skip' | 'busy';

/** What an app user's record takes when its task is queued: the task's intent becomes what the push reconciles to. */
export const queuedPatch = (task: Task): AppUserPatch => ({
  pendingTaskId: null,
  intent: intentOf(task.action),
  intentResource: desiredResourceOf(task),
  intentGroups: task.groups,
  outcome: '',
});

/**
 * Approves pending tasks of one app in few script calls (approve-staged.lua), each task atomically with
 * its 'approved' and 'queued' events, decided from what the script reads: no read of the users'
 * records and queued tasks first. A task whose user has a queued task is answered 'busy': the caller
 * approves it by the guarded transition, which supersedes that task.
 */
export class StagedApprover {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: StoreKeys,
    private readonly log: ProvisioningLog,
  ) {}

  /** Approves `tasks` (read pending, as stored) as `by` at `decidedAt`; one reply per task, in order. */
  async approve(appId: string, tasks: TaskRead[], by: string, decidedAt: string): Promise<StagedReply[]> {
    const calls: Promise<StagedReply[]>[] = [];
    // Each call is sent as soon as it is built, so Redis applies one while the next is being built.
    for (let i = 0; i < tasks.length; i += PER_CALL)
      calls.push(APPROVE.run(this.redis, this.call(appId, tasks.slice(i, i + PER_CALL), by, decidedAt)));
    return (await Promise.all(calls)).flat();
  }

  private call(appId: string, tasks: TaskRead[], by: string, decidedAt: string): ScriptCall {
    const k = this.keys;
    const now = new Date();
    const queued = tasks.map(({ task }): Task => ({ ...task, status: 'queued', decidedAt, decidedBy: by }));
    const fields = queued.map((task) => toFields(queuedPatch(task), task.userId));
    const names = (fields[0] ?? []).filter((_, i) => i % 2 === 0);
    if (fields.some((f) => f.length !== names.length * 2 || names.some((name, i) => f[2 * i] !== name)))
      throw new Error('lifecycle: the approvals of one call must write the same record fields');
    // A field of one value for every task is sent once (an approval's cleared fields, its intent).
    const common = names.flatMap((_, i) =>
      fields.every((f) => f[2 * i + 1] === fields[0]?.[2 * i + 1]) ? [i] : [],
    );
    const varying = names.flatMap((_, i) => (common.includes(i) ? [] : [i]));
    const perTask = tasks.flatMap(({ task, stored }, t) => [
      task.id,
      String(Date.parse(task.createdAt)),
      task.userId,
      queuedFromStored(stored, decidedAt, by) ?? encodeTask(queued[t] as Task),
      ...varying.map((i) => fields[t]?.[2 * i + 1] as string),
    ]);
    const steps = queued.map((task) => approvalEvents(task, by));
    const log = this.log.encodeForScript(steps);
    const logArgs = log.stepArgs[0] ?? 0;
    if (log.stepArgs.some((n) => n !== logArgs))
      throw new Error('lifecycle: the approvals of one call must log the same number of arguments');
    return {
      keys: [k.app(appId), ...log.keys],
      args: [
        String(now.getTime()),
        ...keyTemplate((id) => k.task(appId, id)),
        ...keyTemplate((userId) => k.appUser(appId, userId)),
        ...keyTemplate((userId) => k.appUserQueued(appId, userId)),
        k.appTaskStatus(appId, ''),
        k.appState(appId, ''),
        k.appOutbox(appId),
        String(tasks.length),
        String(logArgs),
        String(common.length),
        ...common.flatMap((i) => [names[i] as string, fields[0]?.[2 * i + 1] as string]),
        String(varying.length),
        ...varying.map((i) => names[i] as string),
        ...perTask,
        ...log.args,
      ],
    };
  }
}
