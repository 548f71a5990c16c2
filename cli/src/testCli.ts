import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/settlescan.mjs", import.meta.url));

export type CliRun = { status: number | null; stdout: string; stderr: string; ms: number };

/** Runs the real `settlescan` binary with `args` in `cwd`, as a user would from a shell (no colours). */
export function runSettlescan(args: string[], cwd: string): Promise<CliRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (status) =>
      resolve({ status, stdout: stdout.trimEnd(), stderr: stderr.trimEnd(), ms: performance.now() - started }),
    );
  });
}
