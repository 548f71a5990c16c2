// Explorer benchmark (issue 6): time from navigation to the trail fully rendered (indexer verdicts and the
// browser's own checks shown), in Chromium on the seeded stack, and the initial JavaScript size gzipped.
// `pnpm --filter @settlescan/web bench` (part of the root `pnpm bench`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { launchChromium } from "../test/browser";
import { startStack } from "../test/stack";

/** Targets of issue 6. */
const TRAIL_TARGET_MS = 1_000;
const INITIAL_JS_TARGET_KB = 250;

const { values } = parseArgs({
  options: { receipts: { type: "string", default: "300" }, runs: { type: "string", default: "30" } },
});
const RUNS = Number(values.runs);

/** The scripts index.html loads before anything is lazily imported: its entry and the modules it preloads. */
function initialJs(dist: string) {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const files = [
    ...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((m) => m[1]!);
  const sizes = files.map((file) => {
    const bytes = readFileSync(join(dist, file));
    return { file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { files: sizes, gzip: sizes.reduce((sum, s) => sum + s.gzip, 0), raw: sizes.reduce((s, f) => s + f.raw, 0) };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const stack = await startStack({ seed: "web-bench", receipts: Number(values.receipts) });
const browser = await launchChromium();
try {
  const js = initialJs(join(import.meta.dirname, "..", "dist"));
  const receipts = stack.manifest.receipts.filter((r) => r.state !== "not_settled");
  const times: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const receipt = receipts[(i * 7) % receipts.length]!;
    // A fresh context each time: no HTTP cache, no query cache — a reader opening a shared link.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.webUrl}/receipt/${receipt.receiptId}`, { waitUntil: "commit" });
    const rendered = await page.waitForFunction(
      () => {
        const done = ["browser-inclusion", "browser-attestation"].every((id) =>
          document.querySelector(`[data-testid=${id}][data-status]`),
        );
        return done && document.querySelector("[data-testid=receipt-state]") ? performance.now() : null;
      },
      undefined,
      { polling: "raf", timeout: 30_000 },
    );
    const ms = (await rendered.jsonValue()) as number;
    if (i > 0) times.push(ms); // the first run warms the servers, not the browser
    await context.close();
  }
  times.sort((a, b) => a - b);
  const row = (name: string, value: string, target: string, ok: boolean) =>
    console.log(`| ${name.padEnd(44)} | ${value.padStart(12)} | ${target.padStart(10)} | ${ok ? "ok" : "MISSED"} |`);
  console.log(`\nExplorer (${receipts.length} receipts indexed, ${RUNS} cold navigations to /receipt/:id)\n`);
  console.log(`| ${"measure".padEnd(44)} | ${"value".padStart(12)} | ${"target".padStart(10)} | |`);
  console.log(`| ${"-".repeat(44)} | ${"-".repeat(12)} | ${"-".repeat(10)} | - |`);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  row("navigation → trail rendered, p50", `${p50.toFixed(0)} ms`, `≤ ${TRAIL_TARGET_MS} ms`, p50 <= TRAIL_TARGET_MS);
  row("navigation → trail rendered, p95", `${p95.toFixed(0)} ms`, `≤ ${TRAIL_TARGET_MS} ms`, p95 <= TRAIL_TARGET_MS);
  row("navigation → trail rendered, max", `${times.at(-1)!.toFixed(0)} ms`, "", true);
  const kb = js.gzip / 1024;
  row("initial JavaScript, gzipped", `${kb.toFixed(1)} kB`, `≤ ${INITIAL_JS_TARGET_KB} kB`, kb <= INITIAL_JS_TARGET_KB);
  row("initial JavaScript, raw", `${(js.raw / 1024).toFixed(1)} kB`, "", true);
  for (const f of js.files) console.log(`    ${f.file}: ${(f.gzip / 1024).toFixed(1)} kB gzipped`);
} finally {
  await browser.close();
  await stack.stop();
}
