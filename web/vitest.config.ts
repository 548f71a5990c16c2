import react from "@vitejs/plugin-react";
import { defineProject } from "vitest/config";

export default defineProject({
  plugins: [react()],
  // Unit tests run in Node (WebCrypto is global there) or happy-dom (`// @vitest-environment happy-dom`);
  // the browser end-to-end tests drive Debian's Chromium against the real stack, with generous timeouts.
  test: {
    name: "web",
    root: import.meta.dirname,
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
