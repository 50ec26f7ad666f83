import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The server (apps/server) serves dist/ at `/`; in development Vite proxies the API
// and the live WebSocket to a locally running `plumbline serve`.
const apiTarget = 'http://127.0.0.1:8470';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Built and referenced for debugging a build, but the server serves them only with
    // PLUMBLINE_SERVE_SOURCEMAPS=true: by default a .map is a 404.
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, ws: true, changeOrigin: false },
    },
  },
});
