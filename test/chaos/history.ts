import { seededRng } from './rng.ts';

/** What an admin does; `user` is an index into the history's users. */
export type AdminStep =
  | { op: 'assign'; user: number; twice: boolean }
  | { op: 'assignMine' }
  | { op: 'unassign'; user: number }
  | { op: 'approve'; user: number }
  | { op: 'deny'; user: number }
  | { op: 'approveAll' }
  | { op: 'retry' }
  | { op: 'reapply' }
  | { op: 'update'; user: number; lastname: string }
  | { op: 'suspend'; user: number }
  | { op: 'reactivate'; user: number }
  | { op: 'delete'; user: number };

export const FAULT_KINDS = [
  'kill-worker',
  'kill-redis',
  'kill-product',
  'target-5xx',
  'target-429',
  'target-latency',
  'target-closed',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault fired once the first admin has taken `afterStep` steps; a process kill waits, past that,
 * for the next answered approve-all, so that it lands while pushes are in flight.
 */
export interface Fault {
  kind: FaultKind;
  afterStep: number;
}

export const isProcessKill = (kind: FaultKind): boolean => kind.startsWith('kill-');

export interface History {
  seed: number;
  users: number;
  approval: { create: boolean; update: boolean; delete: boolean };
  onDelete: 'suspend' | 'delete';
  /** One list of steps per concurrent admin. */
  admins: AdminStep[][];
  faults: Fault[];
}

export interface GenerateOptions {
  users?: number;
  admins?: number;
  steps?: number;
  /** Fault kinds to draw from; each history gets 1-2 of them. */
  faultKinds?: readonly FaultKind[];
  /** Exact faults instead: history i gets the kinds of plan i (cycling). */
  faultPlans?: readonly (readonly FaultKind[])[];
  /** How often an assign is sent twice at once. */
  doubleClick?: number;
}

/**
 * A random history from a seed: 2-3 admins acting at once on a few users, and one or two faults.
 * Directory and assignment steps of one user come from the admin that owns it (user i belongs to
 * admin i % admins), so the intent they leave is known; approvals, denials, retries, approve-all
 * and reapply come from any admin and race everything else. An assign is sometimes sent twice at
 * once (a double click); `assignMine` assigns all of the admin's users at once (a burst of pushes).
 */
export function generateHistory(seed: number, options: GenerateOptions = {}): History {
  const rng = seededRng(seed);
  const users = options.users ?? 4 + rng.int(3);
  const adminCount = options.admins ?? 2 + rng.int(2);
  const steps = options.steps ?? 6 + rng.int(5);
  const kinds = options.faultKinds ?? FAULT_KINDS;
  const owned = (admin: number) =>
    Array.from({ length: users }, (_, u) => u).filter((u) => u % adminCount === admin);
  const admins = Array.from({ length: adminCount }, (_, admin) =>
    Array.from({ length: steps }, (): AdminStep => {
      const mine = owned(admin);
      const user = mine.length > 0 ? rng.pick(mine) : 0;
      const any = rng.int(users);
      const roll = rng.next();
      if (mine.length === 0 || roll < 0.3) {
        const op = rng.pick(['approve', 'deny', 'approveAll', 'approveAll', 'retry', 'reapply'] as const);
        if (op === 'approve' || op === 'deny') return { op, user: any };
        return { op };
      }
      if (roll < 0.38) return { op: 'assignMine' };
      if (roll < 0.55) return { op: 'assign', user, twice: rng.chance(options.doubleClick ?? 0.4) };
      if (roll < 0.7) return { op: 'unassign', user };
      if (roll < 0.8) return { op: 'update', user, lastname: `L${rng.int(1000)}` };
      if (roll < 0.88) return { op: 'suspend', user };
      if (roll < 0.96) return { op: 'reactivate', user };
      return { op: 'delete', user };
    }),
  );
  const plan = options.faultPlans?.[seed % options.faultPlans.length];
  const faultKinds = plan ?? Array.from({ length: 1 + rng.int(2) }, () => rng.pick(kinds));
  const faults = faultKinds.map((kind) => ({ kind, afterStep: rng.int(steps) }));
  return {
    seed,
    users,
    approval: { create: rng.chance(0.7), update: rng.chance(0.5), delete: rng.chance(0.6) },
    onDelete: rng.chance(0.7) ? 'suspend' : 'delete',
    admins,
    faults,
  };
}

/** The same history with steps or faults left out, for shrinking a failure. */
export function withoutSteps(history: History, keep: (admin: number, index: number) => boolean): History {
  return { ...history, admins: history.admins.map((steps, a) => steps.filter((_, i) => keep(a, i))) };
}
