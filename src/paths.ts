import fs from 'node:fs';
import path from 'node:path';

/**
 * The project's root (where package.json is), found from this file whether it runs from src/
 * (tsx) or from dist/src/ (the build): locales/, data/ and prisma/migrations/ are read there.
 */
function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'locales'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`Sésame's files (package.json, locales/) not found above ${from}`);
  }
}

export const ROOT = findRoot(__dirname);
