import { defineConfig, type Plugin } from 'vite';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const nhsukImages = 'node_modules/nhsuk-frontend/dist/nhsuk/assets/images';

// The NHS.UK stylesheet loads the Frutiger web font from assets.nhs.uk. careforce runs on
// closed networks, so drop those @font-face rules (the stack falls back to Arial, as the
// design system intends) and ship the icons the stylesheet refers to under /assets/images.
function nhsukOffline(): Plugin {
  return {
    name: 'nhsuk-offline',
    transform(code, id) {
      if (id.includes('nhsuk-frontend') && id.endsWith('.css')) {
        return { code: code.replace(/@font-face\s*\{[^}]*assets\.nhs\.uk[^}]*\}/g, ''), map: null };
      }
      return null;
    },
    generateBundle() {
      for (const name of readdirSync(nhsukImages)) {
        if (!name.endsWith('.svg') && name !== 'favicon.ico') continue;
        this.emitFile({ type: 'asset', fileName: `assets/images/${name}`, source: readFileSync(join(nhsukImages, name)) });
      }
    },
  };
}

export default defineConfig({
  base: '/',
  plugins: [nhsukOffline()],
  // The NHS.UK stylesheet is already minified and holds IE hacks lightningcss rejects.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500, cssMinify: false },
  server: {
    // `npm run dev` proxies the API to a running careforce server or mock (npm run mock).
    proxy: { '/api': process.env.CAREFORCE_SERVER_URL ?? 'http://127.0.0.1:8080' },
  },
});
