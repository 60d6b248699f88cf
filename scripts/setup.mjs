#!/usr/bin/env node
// Makes sure the system packages provisim needs are present: redis-server always,
// Debian's chromium with --browser (the browser tests), valgrind with --valgrind (the bench's
// instruction count, item (6)). Installs them with apt-get
// when running as root on Debian; otherwise stops with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const wantBrowser = process.argv.includes('--browser');
const needed = [];
if (!onPath('redis-server')) needed.push('redis-server');
if (wantBrowser && !existsSync('/usr/bin/chromium')) needed.push('chromium');
if (process.argv.includes('--valgrind') && !onPath('valgrind')) needed.push('valgrind');
if (needed.length === 0) process.exit(0);

const install = (aptGet) =>
  `${aptGet} update && ${aptGet} install -y --no-install-recommends ${needed.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (!existsSync('/usr/bin/apt-get') || !isRoot) {
  console.error(`provisim needs ${needed.join(' and ')}. Install with:\n\n  ${install('sudo apt-get')}\n`);
  process.exit(1);
}
console.log(`Installing ${needed.join(', ')} with apt-get…`);
// Another apt-get (a second setup, the machine's own updates) may hold dpkg's lock: wait for it.
const waitingForLock = install('apt-get -o DPkg::Lock::Timeout=600');
execFileSync('sh', ['-c', `DEBIAN_FRONTEND=noninteractive ${waitingForLock}`], { stdio: 'inherit' });

function onPath(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' }).status === 0;
}
