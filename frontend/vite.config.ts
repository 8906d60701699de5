import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The built UI lands in dist/, which frontend/embed.go embeds into both the
// desktop binary and `rpctl portal serve`. public/.keep is copied back into
// dist/ on every build, so the committed placeholder stays byte-identical and
// a build never leaves git dirty.
export default defineConfig({
  plugins: [vue()],
  // vue-i18n feature flags: the Composition API only (no legacy API, no
  // devtools in production) keeps its code out of the bundle; the full
  // install keeps the <i18n-t> component some screens use.
  define: {
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npm run dev` in a browser: the HTTP transport posts to /api/call/<op>,
    // proxied to a running `rpctl portal serve` on its default address.
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: true } },
  },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
})
