import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';

/**
 * The rooms of the house (README, "How it is built"). Each imports only itself and `shared/`, the one
 * door; `launcher/` starts everything, so it alone imports the other rooms, and no room imports it.
 * `web/` is bundled for the browser: from `shared/` it takes types, and values only from modules that
 * import no values themselves, so nothing of the server's follows them into the bundle.
 */
export const ROOMS = ['server', 'worker', 'scim-target', 'cli', 'web', 'shared', 'launcher'] as const;
type Room = (typeof ROOMS)[number];

export interface SourceFile {
  /** Repository-relative, with forward slashes. */
  path: string;
  text: string;
}

export interface ForbiddenImport {
  file: string;
  line: number;
  specifier: string;
  reason: string;
}

interface ImportLine {
  line: number;
  specifier: string;
  typeOnly: boolean;
}

const IMPORT =
  /(?:^|[\s;])(import|export)(\s+type)?\b[^'"`;]*?\bfrom\s*(['"])([^'"]+)\3|\bimport\s*\(\s*(['"])([^'"]+)\5\s*\)|^\s*import\s*(['"])([^'"]+)\7/gm;

/** Every import, re-export and dynamic import in a file, with whether it brings types only. */
export function importsOf(text: string): ImportLine[] {
  const found: ImportLine[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[4] ?? match[6] ?? match[8];
    if (specifier === undefined) continue;
    const line = text.slice(0, match.index).split('\n').length + (match[0].startsWith('\n') ? 1 : 0);
    found.push({ line, specifier, typeOnly: match[2] !== undefined });
  }
  return found;
}

const roomOf = (path: string): Room | undefined => ROOMS.find((room) => path.startsWith(`${room}/`));
const isTest = (path: string) => /\.test\.tsx?$/.test(path);

/** The imports of `files` that cross a wall: each names the file, line, specifier and which rule it breaks. */
export function forbiddenImports(files: readonly SourceFile[]): ForbiddenImport[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const importsValues = (path: string) =>
    importsOf(byPath.get(path)?.text ?? '').some((i) => !i.typeOnly && i.specifier.startsWith('.'));
  const broken: ForbiddenImport[] = [];
  for (const file of files) {
    const from = roomOf(file.path);
    if (!from) continue;
    for (const { line, specifier, typeOnly } of importsOf(file.text)) {
      if (!specifier.startsWith('.')) continue;
      const target = normalize(join(dirname(file.path), specifier)).replaceAll('\\', '/');
      const to = roomOf(target);
      const refuse = (reason: string) => broken.push({ file: file.path, line, specifier, reason });
      if (to === from) continue;
      if (target.startsWith('test/') && isTest(file.path)) continue;
      if (from === 'launcher' && to !== undefined) continue;
      if (to === 'launcher')
        refuse('nothing imports launcher/: it starts the rooms, the rooms do not start it');
      else if (to !== 'shared') refuse(`${from}/ imports only itself and shared/, not ${to ?? target}`);
      else if (from === 'web' && !typeOnly && importsValues(target))
        refuse('web/ takes from shared/ types, and values only from modules that import no values');
    }
  }
  return broken;
}

/** The rooms' source files as they stand in the working tree (tracked or not, ignored files left out). */
export function roomFiles(repoRoot: string): SourceFile[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...ROOMS], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return listed
    .split('\n')
    .filter((path) => /\.(ts|tsx|js|mjs)$/.test(path) && existsSync(resolve(repoRoot, path)))
    .map((path) => ({ path, text: readFileSync(resolve(repoRoot, path), 'utf8') }));
}
