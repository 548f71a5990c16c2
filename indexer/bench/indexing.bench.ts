// Indexing throughput: Settlescan's indexer against a bare Ponder app (trivial handlers, same config) on the same
// chain data. For each size a seeded scenario is played once on a fresh devnet, then each app indexes it from an
// empty PGlite, one after the other (the machine has two cores). Prints wall time, events, events/s and peak
// memory per run, and Ponder's own timers per stage (handlers, writes of the app's rows, writes of chain data).
// The figure is Settlescan/bare events/s (target ≥ 0.9, issue #4), and peak memory should not grow with the
// scenario (target: within ±10% between sizes). `SIZES=2000,10000` overrides the sizes, `PONDER_ORDERING=omnichain`
// the ordering, `BENCH_APPS=settlescan` runs one app only, `REPEAT=3` runs each app three times and keeps its
// fastest run.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";
import { type ScenarioChains, scenarioChains } from "../test/scenarioChains";

const INDEXER_DIR = new URL("..", import.meta.url).pathname;
const APPS = { settlescan: INDEXER_DIR, bare: join(INDEXER_DIR, "bench/bare") } as const;
type App = keyof typeof APPS;

const SIZES = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
// `BENCH_APPS=settlescan` runs one app only (no ratio then), to try a change quickly.
const RUN_APPS = (process.env.BENCH_APPS ?? "settlescan,bare").split(",") as App[];
// Runs per app and size, alternating; the fastest is kept, since a shared machine only ever slows a run down.
const REPEAT = Number(process.env.REPEAT ?? 1);
const ORDERING = process.env.PONDER_ORDERING === "omnichain" ? "omnichain" : "multichain";
// Memory is sampled this often; VmHWM (the kernel's own peak) is read at each sample, so no peak is missed.
const SAMPLE_MS = 200;
// Generous: 100k receipts take minutes per app on two cores.
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 3_600_000);

type Run = {
  size: number;
  app: App;
  seconds: number;
  /** CPU time of the indexer's processes: less disturbed than wall time by whatever else the machine runs. */
  cpuSeconds: number;
  events: number;
  byEvent: Record<string, number>;
  stages: Stages;
  peakMiB: number;
};

const running = new Set<ChildProcess>();
let chains: ScenarioChains | undefined;

/** Kills every process group this bench started and the devnet, whatever state it is in. */
async function cleanUp() {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
  await chains?.devnet.stop();
  chains = undefined;
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

// Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks.
const CLOCK_TICKS_PER_SECOND = 100;

/** Peak resident memory (VmHWM, KiB) and CPU seconds so far of every process in the process group `pgid`, by pid. */
function processesOfGroup(pgid: number): Map<number, { peakKiB: number; cpuSeconds: number }> {
  const processes = new Map<number, { peakKiB: number; cpuSeconds: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which may hold spaces: state, ppid, pgrp, ... utime (12th), stime (13th).
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, "utf8"));
      processes.set(Number(entry), {
        peakKiB: hwm ? Number(hwm[1]) : 0,
        cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
      });
    } catch {
      // The process exited between listing and reading.
    }
  }
  return processes;
}

/** Seconds Ponder's own metrics count per stage: handlers, writes of the app's rows, writes of fetched chain data. */
type Stages = { handlers: number; flush: number; syncWrites: number };

/** From Ponder's Prometheus endpoint: completed events (in all and per event) and the seconds spent per stage. */
async function metricsOf(url: string) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const byEvent: Record<string, number> = {};
  for (const match of text.matchAll(/^ponder_indexing_completed_events\{event="([^"]+)"\} (\d+)/gm))
    byEvent[match[1]!] = Number(match[2]);
  const secondsOf = (pattern: RegExp) =>
    [...text.matchAll(pattern)].reduce((sum, match) => sum + Number(match[1]), 0) / 1000;
  const stages: Stages = {
    handlers: secondsOf(/^ponder_indexing_function_duration_sum\{[^}]*\} ([\d.e+]+)/gm),
    flush: secondsOf(/^ponder_indexing_cache_query_duration_sum\{[^}]*method="flush"[^}]*\} ([\d.e+]+)/gm),
    syncWrites: secondsOf(/^ponder_database_method_duration_sum\{method="insert_[^"]*"\} ([\d.e+]+)/gm),
  };
  return { events: Object.values(byEvent).reduce((a, b) => a + b, 0), byEvent, stages };
}

/** Indexes the scenario with one app from an empty PGlite, timing spawn → every chain at its head. */
async function indexWith(app: App, size: number, scenario: ScenarioChains): Promise<Run> {
  const port = await freePort();
  const pgliteDirectory = mkdtempSync(join(tmpdir(), `settlescan-bench-${app}-`));
  const started = performance.now();
  const child = spawn(
    join(INDEXER_DIR, "node_modules/.bin/ponder"),
    ["--root", APPS[app], "start", "--port", String(port), "--schema", `bench_${app}`],
    {
      cwd: APPS[app],
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        PONDER_TELEMETRY_DISABLED: "true",
        PONDER_LOG_LEVEL: process.env.PONDER_LOG_LEVEL ?? "warn",
        SETTLESCAN_NETWORK: scenario.profilePath,
        PONDER_ORDERING: ORDERING,
        PGLITE_DIRECTORY: pgliteDirectory,
        DATABASE_URL: "",
        ...scenario.endBlocks,
      },
    },
  );
  running.add(child);
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const seen = new Map<number, { peakKiB: number; cpuSeconds: number }>();
  const sample = () => {
    for (const [pid, now] of processesOfGroup(child.pid!)) {
      const before = seen.get(pid);
      seen.set(pid, { peakKiB: Math.max(before?.peakKiB ?? 0, now.peakKiB), cpuSeconds: now.cpuSeconds });
    }
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`${app} exited (${child.exitCode ?? child.signalCode}) before its heads:\n${output}`);
      if (Date.now() > deadline) throw new Error(`${app} did not reach ${JSON.stringify(scenario.heads)}:\n${output}`);
      const status = (await fetch(`${url}/status`)
        .then((r) => r.json())
        .catch(() => ({}))) as Record<string, { block?: { number: number } }>;
      if (Object.entries(scenario.heads).every(([chain, n]) => (status[chain]?.block?.number ?? -1) >= n)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    sample();
    const { events, byEvent, stages } = await metricsOf(url);
    // The node process running Ponder is the group's largest (the leader is the pnpm shell shim).
    const peakMiB = Math.max(...[...seen.values()].map((p) => p.peakKiB)) / 1024;
    const cpuSeconds = [...seen.values()].reduce((sum, p) => sum + p.cpuSeconds, 0);
    return { size, app, seconds, cpuSeconds, events, byEvent, stages, peakMiB };
  } finally {
    clearInterval(sampler);
    await stopGroup(child);
    running.delete(child);
    rmSync(pgliteDirectory, { recursive: true, force: true });
  }
}

async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
  // Anything of the group still alive after its leader (a worker that ignored SIGTERM) goes too.
  if (processesOfGroup(child.pid!).size > 0) killGroup(child, "SIGKILL");
}

function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

const runs: Run[] = [];
try {
  for (const size of SIZES) {
    const generating = performance.now();
    chains = await scenarioChains({ seed: `bench-${size}`, receipts: size });
    console.log(
      `[bench] ${size} receipts: scenario in ${((performance.now() - generating) / 1000).toFixed(0)} s, heads base ${chains.heads.base} og ${chains.heads.og}`,
    );
    const fastest = new Map<App, Run>();
    for (let round = 0; round < REPEAT; round++)
      for (const app of RUN_APPS) {
        const run = await indexWith(app, size, chains);
        if (run.seconds < (fastest.get(app)?.seconds ?? Number.POSITIVE_INFINITY)) fastest.set(app, run);
        console.log(
          `[bench] ${size} ${app}: ${run.seconds.toFixed(1)} s (cpu ${run.cpuSeconds.toFixed(1)} s), ${run.events} events, ${run.peakMiB.toFixed(0)} MiB ${JSON.stringify(run.byEvent)}`,
        );
      }
    runs.push(...RUN_APPS.map((app) => fastest.get(app)!));
    await chains.devnet.stop();
    chains = undefined;
  }
} finally {
  await cleanUp();
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(`\nIndexing throughput (PGlite, ${ORDERING} ordering, spawn → both chains at their heads)`);
console.log(
  table(
    ["size", "app", "wall s", "cpu s", "events", "events/s", "peak RSS MiB"],
    runs.map((r) => [
      fmt(r.size),
      r.app,
      r.seconds.toFixed(1),
      r.cpuSeconds.toFixed(1),
      fmt(r.events),
      fmt(r.events / r.seconds),
      r.peakMiB.toFixed(0),
    ]),
  ),
);
// Ponder's stage timers run side by side on one thread (fetched data is written while handlers run), and a flush's
// timer also counts what ran while it yielded: a guide to where the time goes, not parts that add up to wall time.
console.log("\nWhere the time goes (Ponder's metrics, seconds; stages overlap)");
console.log(
  table(
    ["size", "app", "handlers", "row writes (flush)", "chain data writes (sync)"],
    runs.map((r) => [
      fmt(r.size),
      r.app,
      r.stages.handlers.toFixed(1),
      r.stages.flush.toFixed(1),
      r.stages.syncWrites.toFixed(1),
    ]),
  ),
);
const of = (size: number, app: App) => runs.find((r) => r.size === size && r.app === app)!;
if (RUN_APPS.length < 2) process.exit(0);
console.log("\nSettlescan / bare events/s (target ≥ 0.9)");
console.log(
  table(
    ["size", "ratio (wall)", "ratio (cpu)"],
    SIZES.map((size) => {
      const [s, b] = [of(size, "settlescan"), of(size, "bare")];
      const note = s.events === b.events ? "" : ` (events differ: ${s.events} vs ${b.events})`;
      return [
        fmt(size),
        `${(s.events / s.seconds / (b.events / b.seconds)).toFixed(2)}${note}`,
        (s.events / s.cpuSeconds / (b.events / b.cpuSeconds)).toFixed(2),
      ];
    }),
  ),
);
if (SIZES.length > 1) {
  const [first, last] = [SIZES[0]!, SIZES.at(-1)!];
  console.log(`\nPeak memory ${fmt(first)} → ${fmt(last)} receipts (target: flat within ±10%)`);
  console.log(
    table(
      ["app", `${fmt(first)} MiB`, `${fmt(last)} MiB`, "change"],
      (["settlescan", "bare"] as const).map((app) => {
        const [a, b] = [of(first, app).peakMiB, of(last, app).peakMiB];
        return [app, a.toFixed(0), b.toFixed(0), `${b >= a ? "+" : ""}${((b / a - 1) * 100).toFixed(1)}%`];
      }),
    ),
  );
}
