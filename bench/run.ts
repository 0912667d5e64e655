// `npm run bench [name…]`: runs every benchmark suite (or the named ones) in one process, so
// lightsnap and its peers are measured side by side under the same conditions.
const suites: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  sha256: () => import('./sha256.js'),
  fastcdc: () => import('./fastcdc.js'),
  ics23: () => import('./ics23.js'),
  checkpoint: () => import('./checkpoint.js'),
  workers: () => import('./workers.js'),
  jmt: () => import('./jmt.js'),
  changeset: () => import('./changeset.js'),
  ed25519: () => import('./ed25519.js'),
  stream: () => import('./stream.js'),
  light: () => import('./light.js'),
  migrate: () => import('./migrate.js'),
};

const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(suites);
console.log(`# lightsnap benchmarks — ${new Date().toISOString()}, node ${process.version}`);
for (const name of names) {
  const load = suites[name];
  if (!load) {
    console.error(`unknown benchmark suite ${JSON.stringify(name)}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  await (await load()).run();
}
export {};
