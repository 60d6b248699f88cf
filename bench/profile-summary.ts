import { basename } from 'node:path';
import { byFunction, byOwner, inclusiveProfile, readProfile, summariseProfile } from './lib/cpu-profile.ts';
import { renderTable } from './lib/table.ts';

/** `npx tsx bench/profile-summary.ts <file.cpuprofile>...`: busy time by package and by function. */
for (const file of process.argv.slice(2)) {
  const profile = readProfile(file);
  process.stdout.write(`\n## ${basename(file)}\n\n`);
  for (const [label, keyOf] of [
    ['package or file', byOwner],
    ['function', byFunction],
  ] as const) {
    const rows = summariseProfile(profile, keyOf).map((t) => [t.name, t.ms, t.share * 100]);
    process.stdout.write(`${renderTable([label, 'self ms', '% of busy'], rows)}\n\n`);
  }
  const inclusive = inclusiveProfile(profile, byFunction)
    .filter((t) => !t.name.includes('(native') && !t.name.includes('node internals'))
    .map((t) => [t.name, t.ms, t.share * 100]);
  process.stdout.write(`${renderTable(['function (inclusive)', 'total ms', '% of busy'], inclusive)}\n\n`);
}
