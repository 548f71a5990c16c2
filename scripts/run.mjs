#!/usr/bin/env node
// Entry point of the root scripts: makes `npm run <name>` work from a fresh clone with only Node and npm.
// It brings pnpm (a project-local copy when none is on PATH), installs the workspace when needed, then runs
// `pnpm run _<name>`, so every script after this one runs on the pinned Node 22 from node_modules/.bin.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM_VERSION = "12.21.0";
const name = process.argv[2];
const extra = process.argv.slice(3);

if (!name) {
  console.error("Usage: node scripts/run.mjs <start|devnet|test|bench|lint> [args...]");
  process.exit(2);
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { stdio: "inherit", cwd: ROOT, ...opts });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function pnpmCommand() {
  const onPath = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
  if (onPath.status === 0 && onPath.stdout.trim().split(".")[0] === PNPM_VERSION.split(".")[0]) return "pnpm";
  const local = join(ROOT, ".tools", "node_modules", ".bin", "pnpm");
  if (!existsSync(local)) {
    console.log(`[settlescan] pnpm ${PNPM_VERSION} not found on PATH; installing a project-local copy in .tools/`);
    const status = run("npm", ["install", "--prefix", join(ROOT, ".tools"), "--no-save", `pnpm@${PNPM_VERSION}`]);
    if (status !== 0) {
      console.error("[settlescan] Could not install pnpm with npm. Install it yourself: npm i -g pnpm@12");
      process.exit(status);
    }
  }
  return local;
}

function needsInstall() {
  const marker = join(ROOT, "node_modules", ".modules.yaml");
  if (!existsSync(marker)) return true;
  const installedAt = statSync(marker).mtimeMs;
  const inputs = ["pnpm-lock.yaml", "package.json", "pnpm-workspace.yaml"].map((f) => join(ROOT, f));
  return inputs.some((f) => existsSync(f) && statSync(f).mtimeMs > installedAt);
}

const pnpm = pnpmCommand();
// Scripts call `pnpm` themselves (`pnpm --filter …`): put a project-local copy on their PATH too.
const env = pnpm === "pnpm" ? process.env : { ...process.env, PATH: `${dirname(pnpm)}${delimiter}${process.env.PATH}` };
if (needsInstall()) {
  const frozen = process.env.CI ? ["--frozen-lockfile"] : [];
  const status = run(pnpm, ["install", ...frozen], { env });
  if (status !== 0) process.exit(status);
}
process.exit(run(pnpm, ["run", `_${name}`, ...extra], { env }));
