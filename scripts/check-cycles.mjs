// Fails when two folders under src/ import each other, directly or round a longer loop. Each
// folder is one node (a file directly under src/ is a node of its own); an edge is any
// relative import, `import type` included, since a type cycle still ties the folders together.
// Prints the loops it finds; `node scripts/check-cycles.mjs` exits 1 when there is one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield path;
  }
}

/** The node a file belongs to: its top folder under src/, or the file itself at the top. */
const nodeOf = (file) => relative(src, file).split(sep)[0].replace(/\.js$/, '.ts');

export function folderGraph() {
  const edges = new Map();
  const importRe = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const file of files(src)) {
    const from = nodeOf(file);
    for (const m of readFileSync(file, 'utf8').matchAll(importRe)) {
      const target = resolve(dirname(file), m[1] ?? m[2]);
      if (!target.startsWith(src + sep)) continue;
      const to = nodeOf(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from).add(to);
    }
  }
  return edges;
}

/** Every strongly connected group of more than one node (Tarjan). */
export function cycles(edges) {
  const index = new Map(); const low = new Map(); const stack = []; const on = new Set(); const out = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next); low.set(v, next); next++; stack.push(v); on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do { w = stack.pop(); on.delete(w); group.push(w); } while (w !== v);
      if (group.length > 1) out.push(group.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = cycles(folderGraph());
  for (const group of found) console.error(`import cycle between src/ folders: ${group.join(' ↔ ')}`);
  if (found.length === 0) console.log('no import cycles between src/ folders');
  process.exit(found.length ? 1 : 0);
}
