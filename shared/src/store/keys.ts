/** Every Redis key provisim's core uses, under one prefix. */
export function storeKeys(prefix: string) {
  return {
    user: (id: string) => `${prefix}:user:${id}`,
    users: `${prefix}:users`,
    usersByEmail: `${prefix}:users:email`,
    userApps: (id: string) => `${prefix}:user:${id}:apps`,
    userRoles: (id: string) => `${prefix}:user:${id}:roles`,
    role: (id: string) => `${prefix}:role:${id}`,
    roles: `${prefix}:roles`,
    app: (id: string) => `${prefix}:app:${id}`,
    apps: `${prefix}:apps`,
    appEvents: `${prefix}:apps:events`,
    appDirect: (appId: string) => `${prefix}:app:${appId}:direct`,
    appRoles: (appId: string) => `${prefix}:app:${appId}:roles`,
    appAssigned: (appId: string) => `${prefix}:app:${appId}:assigned`,
    appUser: (appId: string, userId: string) => `${prefix}:app:${appId}:au:${userId}`,
    appUserQueued: (appId: string, userId: string) => `${prefix}:app:${appId}:au:${userId}:queued`,
    /** Users whose push must be (re)enqueued: written with the state change, cleared once the job is added. */
    appOutbox: (appId: string) => `${prefix}:app:${appId}:outbox`,
    /** Users owed a re-plan: marked before a directory or assignment write, cleared after it is planned. */
    appReplan: (appId: string) => `${prefix}:app:${appId}:replan`,
    appOutcomes: (appId: string) => `${prefix}:app:${appId}:outcomes`,
    /** Deletes and suspends queued lately, `<epoch ms>:<task id>` (deletion safety's sliding window). */
    appDeletionWindow: (appId: string) => `${prefix}:app:${appId}:deletion-window`,
    /** Marks one push finish as applied, so a re-sent finish is not applied twice. */
    appPushFinish: (appId: string, finishId: string) => `${prefix}:app:${appId}:finish:${finishId}`,
    appUsers: (appId: string) => `${prefix}:app:${appId}:users`,
    appState: (appId: string, state: string) => `${prefix}:app:${appId}:state:${state}`,
    task: (id: string) => `${prefix}:task:${id}`,
    appTasks: (appId: string) => `${prefix}:app:${appId}:tasks`,
    appTaskStatus: (appId: string, status: string) => `${prefix}:app:${appId}:tasks:${status}`,
    /** Bulk approvals not yet materialised: batch ids scored by approval time (see approval-batches.ts). */
    appApprovals: (appId: string) => `${prefix}:app:${appId}:approvals`,
    appApprovalTasks: (appId: string, batchId: string) => `${prefix}:app:${appId}:approval:${batchId}`,
    appApprovalMarker: (appId: string, batchId: string) =>
      `${prefix}:app:${appId}:approval:${batchId}:marker`,
    /** The task ids of a plan being staged as a batch (see stage-approval-of.lua); lives for one call. */
    appApprovalPlan: (appId: string, batchId: string) => `${prefix}:app:${appId}:approval:${batchId}:plan`,
    appApprovalsLock: (appId: string) => `${prefix}:app:${appId}:approvals:lock`,
    workers: `${prefix}:workers`,
  };
}
export type StoreKeys = ReturnType<typeof storeKeys>;
