import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The API server mounts the built-in target's management API at /target-api on its own origin,
// so in development both go to the API (PORT, 3000 by default).
const api = `http://127.0.0.1:${process.env.PORT ?? 3000}`;

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    port: 5173,
    proxy: { '/api': api, '/target-api': api },
  },
});
