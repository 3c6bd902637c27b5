// The top self-time functions of a V8 CPU profile (node --cpu-prof), by function and by package.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Where a script is: its package under node_modules, or its path in the project. */
function placeOf(url: string, root: string): string {
  if (!url) return '(native)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.startsWith('node:')) return 'node';
  return path.relative(root, file) || file;
}

/**
 * Self time by function and by package, and time by the innermost project function on the stack (what
 * of the project's own code, with what it calls in libraries, costs most): the largest first, in ms.
 */
export function summarizeProfile(file: string, root: string, top = 15, skipMs = 0): { total: number; functions: [string, number][]; packages: [string, number][]; project: [string, number][] } {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const self = new Map<number, number>();
  if (profile.samples && profile.timeDeltas) {
    // The first `skipMs` of the profile (the start-up) left out.
    let at = 0;
    profile.samples.forEach((id, i) => {
      const delta = (profile.timeDeltas![i] ?? 0) / 1000;
      at += delta;
      if (at >= skipMs) self.set(id, (self.get(id) ?? 0) + delta);
    });
  } else {
    const hits = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0) || 1;
    const per = (profile.endTime - profile.startTime) / 1000 / hits;
    for (const n of profile.nodes) self.set(n.id, (n.hitCount ?? 0) * per);
  }
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byProject = new Map<string, number>();
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const inProject = (url: string) => url.startsWith('file://') && !url.includes('/node_modules/');
  let total = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    total += ms;
    const place = placeOf(url, root);
    const name = `${functionName || '(anonymous)'}  ${url ? `${place === path.relative(root, url.replace(/^file:\/\//, '')) ? place : `${place}: ${path.basename(url)}`}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const group = functionName.startsWith('(') ? functionName : place;
    byPackage.set(group, (byPackage.get(group) ?? 0) + ms);
    let owner: ProfileNode | undefined = node;
    while (owner && !inProject(owner.callFrame.url)) owner = nodes.get(parentOf.get(owner.id) ?? -1);
    const ownerName = owner ? `${owner.callFrame.functionName || '(anonymous)'}  ${placeOf(owner.callFrame.url, root)}:${owner.callFrame.lineNumber + 1}` : functionName.startsWith('(') ? functionName : '(outside the project: event loop, I/O, libraries)';
    byProject.set(ownerName, (byProject.get(ownerName) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { total, functions: sorted(byFunction), packages: sorted(byPackage), project: sorted(byProject) };
}
