import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('.', import.meta.url))

// The API server to proxy to in `npm run dev:web`; override with GH_API=http://localhost:PORT.
const api = process.env.GH_API ?? 'http://localhost:8080'

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    // .vite/manifest.json: scripts/web-budget.mjs reads each page's initial chunks from it
    manifest: true,
    rolldownOptions: {
      output: {
        // the big libraries change rarely: separate files stay cached across releases. Ant Design is
        // not one group: rolldown splits it by use, so the phone pages load only the components they
        // show, and the admin layout's (Menu, Tree, Table …) stay with the cadre pages
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|@tanstack)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: { '/api': { target: api, changeOrigin: false } },
  },
})
