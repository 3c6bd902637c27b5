// `npm start`: runs Sésame's compiled JavaScript (dist/, built by `npm install` and `npm run build`),
// not TypeScript compiled at every start. When a file under src/ is newer than the build (a developer
// edited it), it is compiled again first, once; a build that fails stops here with tsc's errors.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const stamp = path.join(root, 'dist', '.built');
const entry = path.join(root, 'dist', 'src', 'index.js');

function newest(dir) {
  let latest = 0;
  for (const item of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    latest = Math.max(latest, item.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

function built() {
  try {
    const at = fs.statSync(stamp).mtimeMs;
    const sources = Math.max(newest(path.join(root, 'src')), ...['tsconfig.json', 'tsconfig.build.json'].map((f) => fs.statSync(path.join(root, f)).mtimeMs));
    return fs.existsSync(entry) && sources <= at;
  } catch {
    return false;
  }
}

const building = process.argv.includes('--build');
// Build when stale, without starting (tests that start `npm start` themselves).
const preparing = process.argv.includes('--prepare');
// At `npm install`: built when the compiler is there (not in an installation without devDependencies,
// which must bring its dist/ built elsewhere, as docs/deploy.md says).
const installing = process.argv.includes('--install');
let compiler;
try {
  compiler = require.resolve('typescript/bin/tsc');
} catch {
  compiler = undefined;
}

if (building || installing || !built()) {
  if (!compiler) {
    if (installing) process.exit(0);
    process.stderr.write('Sésame: dist/ is missing or older than src/, and TypeScript is not installed to build it (npm install, then npm run build).\n');
    process.exit(1);
  }
  process.stderr.write('Sésame: compiling src/ to dist/…\n');
  try {
    execFileSync(process.execPath, [compiler, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  } catch {
    process.exit(1);
  }
  fs.writeFileSync(stamp, new Date().toISOString());
  // The language model trained now rather than at the first start (cached until its phrases change).
  execFileSync(process.execPath, ['-e', "require('./dist/src/services/nlu').Nlu.train().catch(() => process.exit(1))"], { cwd: root, stdio: 'inherit' });
}

if (!building && !installing && !preparing) require(entry);
