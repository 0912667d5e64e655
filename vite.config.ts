// The web page (web/) → dist-web/. Relative asset paths (base './'), so the built page works
// wherever it is served: `lightsnap demo` serves it at `/`, any static host under any path.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: './',
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink', 'idb-keyval'] },
  server: { fs: { allow: ['..'] } },
});
