import * as path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The engine the dev server talks to (`npm run dev -w @hearthbeat/dashboard` next to `npm start`).
const engine = process.env['HB_DASHBOARD_API'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  resolve: {
    // The contracts' TypeScript sources, not their CommonJS build: the bundler tree-shakes ES modules.
    alias: { '@hearthbeat/contracts': path.resolve(import.meta.dirname, '../../libs/contracts/src/index.ts') },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Libraries change less often than the app: separate chunks stay cached across deployments.
    // Charts (echarts) load only with the pages that draw them. antd alone is ~1.3 MB minified (440 kB gzip).
    chunkSizeWarningLimit: 1400,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component|rc-[a-z-]+|dayjs)[\\/]/ },
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler)[\\/]/ },
            { name: 'libs', test: /node_modules[\\/](zod|i18next|react-i18next)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': engine,
      '/health': engine,
      '/ws': { target: engine.replace(/^http/, 'ws'), ws: true },
    },
  },
});
