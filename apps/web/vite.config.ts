import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react(), tailwindcss()],
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
