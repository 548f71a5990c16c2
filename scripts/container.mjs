#!/usr/bin/env node
// The container image's entry point (Dockerfile): `docker run settlescan <role> [args…]` runs one service of the
// product from the image's installed workspace — nothing is installed or built at start. The role's process gets
// the signals (SIGTERM from `docker stop`) and its exit code is the container's: the indexer's 75 means "restart me"
// (docs/operations.md), which compose's `restart: on-failure` does.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { constants } from "node:os";
import { dirname, join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const env = process.env;
const TSX = join(ROOT, "node_modules", ".bin", "tsx");

/** The devnet's outputs (devnet/src/deployment.ts, devnet/src/profile.ts); the profile is written last. */
const DEVNET_FILES = ["deployment.json", "profile.json"];

/** The anvil binary of @foundry-rs/anvil's platform package, as devnet/src/chains.ts finds it. */
function anvilBinaryPath() {
  const wrapper = dirname(
    createRequire(join(ROOT, "devnet", "package.json")).resolve("@foundry-rs/anvil/package.json"),
  );
  const platformPackage = `@foundry-rs/anvil-${process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  const platformDir = dirname(createRequire(join(wrapper, "package.json")).resolve(`${platformPackage}/package.json`));
  return join(platformDir, "bin", "anvil");
}

/**
 * Each role: the directory it runs in, and the command of the package's own start script, called directly (not
 * through pnpm) so signals and exit codes pass unchanged. Arguments after the role are added (or, for `devnet` and
 * `anvil`, replace the defaults).
 */
const ROLES = {
  /** `ponder start` with the GraphQL API mounted (indexer/package.json `start`). */
  indexer: (args) => ({
    cwd: "indexer",
    command: join(ROOT, "indexer", "node_modules", ".bin", "ponder"),
    args: [
      "start",
      "--schema",
      env.DATABASE_SCHEMA || "settlescan",
      ...(env.DATABASE_VIEWS_SCHEMA ? ["--views-schema", env.DATABASE_VIEWS_SCHEMA] : []),
      "--port",
      env.PORT || "42069",
      ...args,
    ],
  }),
  /** The standalone GraphQL API over PostgreSQL (api/package.json `start`). */
  api: (args) => ({ cwd: "api", command: TSX, args: ["--max-semi-space-size=8", "src/index.ts", ...args] }),
  /** The built explorer behind its production server (web/server/serveStatic.ts). */
  web: (args) => ({ cwd: "web", command: process.execPath, args: ["server/serveStatic.ts", ...args] }),
  /** Contracts, blob service and live x402 traffic (devnet/package.json `start`); `devnet scenario …` also works. */
  devnet: (args) => ({ cwd: "devnet", command: TSX, args: ["src/cli.ts", ...(args.length ? args : ["start"])] }),
  /** A chain: the anvil binary the devnet and its tests run, with the given flags. */
  anvil: (args) => ({ cwd: ".", command: anvilBinaryPath(), args }),
};

const [role, ...args] = process.argv.slice(2);
if (!Object.hasOwn(ROLES, role ?? "")) {
  const names = Object.keys(ROLES).join(", ");
  console.error(
    role === undefined
      ? `No role given: expected one of ${names} (docs/container.md).`
      : `Unknown role "${role}": expected one of ${names} (docs/container.md).`,
  );
  process.exit(2);
}

let spec;
try {
  spec = ROLES[role](args);
} catch (error) {
  console.error(`[container] The ${role} role cannot start: ${error.message}`);
  process.exit(1);
}
const cwd = join(ROOT, spec.cwd);

// A restarted devnet container must not leave its last run's profile for the indexer: the chains are new.
const shareDir = role === "devnet" ? env.DEVNET_SHARE_DIR : undefined;
if (role === "devnet")
  for (const name of DEVNET_FILES) {
    rmSync(join(cwd, name), { force: true });
    if (shareDir) rmSync(join(shareDir, name), { force: true });
  }

const child = spawn(spec.command, spec.args, { cwd, stdio: "inherit", env });
child.on("error", (error) => {
  console.error(`[container] The ${role} role could not run ${spec.command}: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
for (const name of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(name, () => child.kill(name));

if (shareDir) shareDevnetFiles(shareDir);

/**
 * Copies the devnet's deployment and profile into `dir` (a volume the indexer's container reads) once the devnet has
 * written them, each by an atomic rename: the profile's presence there means both are complete.
 */
function shareDevnetFiles(dir) {
  const timer = setInterval(() => {
    const written = DEVNET_FILES.map((name) => join(cwd, name));
    if (!written.every(existsSync)) return;
    try {
      for (const file of written) JSON.parse(readFileSync(file, "utf8"));
    } catch {
      return; // Still being written: the next tick reads it whole.
    }
    clearInterval(timer);
    mkdirSync(dir, { recursive: true });
    for (const name of DEVNET_FILES) {
      copyFileSync(join(cwd, name), join(dir, `.${name}.tmp`));
      renameSync(join(dir, `.${name}.tmp`), join(dir, name));
    }
    console.log(`[container] devnet profile and deployment shared in ${dir}`);
  }, 250);
  timer.unref();
}
