import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found from this module's own location: the nearest directory above it
 * with a package.json. The sources (src/…, run through tsx) and the compiled build (dist/, see
 * scripts/build.mjs and decision 0012) sit at different depths, so no path counts '../' steps.
 */
function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

const here = fileURLToPath(import.meta.url);

export const PROJECT_ROOT = findRoot(path.dirname(here));

/** A path inside the repository (static/, db/migrations/, …). */
export function projectPath(...parts: string[]): string {
  return path.join(PROJECT_ROOT, ...parts);
}

/** True when this process runs the compiled build (dist/*.js) rather than the sources through tsx. */
export const RUNNING_BUILD = !/\.tsx?$/.test(here);
