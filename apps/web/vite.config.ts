import { constants } from "node:zlib";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { compression, defineAlgorithm } from "vite-plugin-compression2";

export default defineConfig({
  plugins: [
    react(),
    tailwindcss(),
    // Writes `.br` and `.gz` beside each text asset at build time, at the highest levels (the cost
    // is paid once per build, not per request); the server sends them by Accept-Encoding.
    compression({
      algorithms: [
        defineAlgorithm("brotliCompress", { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        defineAlgorithm("gzip", { level: 9 }),
      ],
      logLevel: "silent",
    }),
  ],
  server: {
    proxy: {
      // No changeOrigin: the API refuses cookie-authenticated writes whose Origin differs from the
      // Host it sees, so the Host header must stay the Vite origin the browser is talking to.
      "/trpc": { target: "http://127.0.0.1:3000" },
      // Single sign-on's redirect routes; the redirect URI follows the Host header, the Vite origin.
      "/auth/oidc": { target: "http://127.0.0.1:3000" },
    },
  },
  // The manifest lets scripts/bundle-size.ts find what the chat screen loads first.
  build: { outDir: "dist", manifest: true },
});
