#!/usr/bin/env node
// The workspace test run (`pnpm test`): lint and format check, type check of every package, then every package's
// vitest project in one run. Ends with a plain "N passed, N failed" line that any CI can read.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const PACKAGES = ["abis", "devnet", "indexer", "api", "web", "cli", "docs"].filter((p) =>
  existsSync(join(ROOT, p, "tsconfig.json")),
);
const run = (cmd, args, cwd = ROOT) => spawnSync(cmd, args, { cwd, stdio: "inherit" }).status ?? 1;

const steps = [
  ["biome check", () => run("biome", ["check", "."])],
  ...PACKAGES.map((p) => [`tsc ${p}`, () => run("tsc", ["-p", "."], join(ROOT, p))]),
];
for (const [name, step] of steps) {
  if (step() !== 0) {
    console.error(`\n[settlescan] ${name} failed.`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

mkdirSync(join(ROOT, "test-results"), { recursive: true });
const report = join(ROOT, "test-results", "vitest.json");
const status = run("vitest", [
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...process.argv.slice(2),
]);
let passed = 0;
let failed = status === 0 ? 0 : 1;
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, "utf8"));
  passed = result.numPassedTests;
  failed = Math.max(result.numFailedTests, status === 0 ? 0 : 1);
  if (result.numTotalTests === 0) failed = Math.max(failed, 1);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed === 0 ? 0 : 1);
