import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a frame's code lives: the npm package, `node:` internals, or the repository file. */
export function ownerOf(url: string): string {
  if (!url) return '(native/gc/idle)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const repo = /\/(shared|server|worker|target|bench)\/(.*)$/.exec(url);
  return repo ? `${repo[1]}/${repo[2]}` : url;
}

/**
 * Self time of a V8 .cpuprofile (node --cpu-prof) summed by `keyOf(frame)`, largest first;
 * `(idle)` samples are left out so shares are of busy time.
 */
export function summariseProfile(
  profile: CpuProfile,
  keyOf: (frame: ProfileNode['callFrame']) => string,
  top = 15,
): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') return;
    const key = keyOf(frame);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  return [...totals]
    .map(([name, ms]) => ({ name, ms, share: ms / busy }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

/**
 * Inclusive time (the frame and everything it called) by `keyOf(frame)`, largest first: answers
 * "how much of the busy time was spent under approveAll / appendMany / addBulk".
 */
export function inclusiveProfile(
  profile: CpuProfile,
  keyOf: (frame: ProfileNode['callFrame']) => string,
  top = 25,
): SelfTime[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)?.callFrame.functionName === '(idle)') return;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    busy += ms;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame) seen.add(keyOf(frame));
    }
    for (const key of seen) totals.set(key, (totals.get(key) ?? 0) + ms);
  });
  return [...totals]
    .map(([name, ms]) => ({ name, ms, share: ms / busy }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, top);
}

export const readProfile = (file: string): CpuProfile => JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

export const byFunction = (frame: ProfileNode['callFrame']): string =>
  `${frame.functionName || '(anonymous)'} ${ownerOf(frame.url)}`;

export const byOwner = (frame: ProfileNode['callFrame']): string => ownerOf(frame.url);
