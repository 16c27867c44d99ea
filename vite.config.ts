import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { hmr: process.env.VITEST ? false : undefined },
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  plugins: process.env.VITEST
    ? []
    : [
        remix({
          ignoredRouteFiles: ["**/*.server.*", "**/*.test.*", "**/.*"],
          future: {
            v3_fetcherPersist: true,
            v3_relativeSplatPath: true,
            v3_throwAbortReason: true,
            v3_singleFetch: true,
            v3_lazyRouteDiscovery: true,
          },
        }),
      ],
  optimizeDeps: {
    include: ["lexical", "@lexical/react/LexicalComposer", "@lexical/yjs", "yjs", "y-websocket"],
  },
});
