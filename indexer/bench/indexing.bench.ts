// Indexing benchmark (issue #13's performance section): Settlescan's indexer against a bare Ponder app (bench/bare:
// the same config, a one-row handler for every event Settlescan handles) on the same real-protocol chain data. For
// each size a seeded scenario (half exact-link receipts, half facilitator inferences) is played once on a fresh
// devnet, then each app indexes it from an empty store, one run after the other (the machine has two cores). Prints
// one table per measurement:
// - backfill: wall and CPU time spawn → both chains at their heads, per database (PGlite, and a fresh local
//   PostgreSQL 15 per run: test/postgres.ts), with Settlescan/bare events/s (target ≥ 0.8);
// - blob delay: Settlescan's backfill with the blob service answering each blob after BLOB_DELAY_MS (target ≤ 1.2×
//   the zero-delay time);
// - base-like: a scenario whose "base" blocks are full of unrelated transfers, with more such blocks between rounds,
//   indexed behind a counting loopback proxy per RPC: requests and bytes per inference and per payment, and any block
//   fetched that holds no matched log (there should be none);
// - peak memory (VmHWM of the indexer's processes; PostgreSQL's own processes are not counted) per size.
// A third app, `floor` (bench/floor, opt-in: `BENCH_APPS=settlescan,bare,floor`), writes only the rows any design of
// Settlescan needs — a payment, a settlement, a batch's archived blob, an inference per leaf — and checks nothing: the
// ceiling of the Settlescan/bare ratio on this machine, whatever the handlers do.
// Knobs: `SIZES=10000,100000` (inferences), `DATABASES=pglite,postgres`, `BENCH_APPS=settlescan,bare`,
// `MEASURE=backfill,delay,baselike`, `BASELIKE_SIZE` (default: the first size), `REPEAT=3` (fastest run kept),
// `PONDER_ORDERING=omnichain`, `BENCH_STORE_OPS=1`. To profile a run: `BENCH_CPU_PROF=/tmp/prof` passes `--cpu-prof` to the ponder
// process (one .cpuprofile per thread, in a folder per run; open them in Chrome DevTools or speedscope).
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@settlescan/devnet/chains";
import { writeProfile } from "@settlescan/devnet/profile";
import { rpc } from "@settlescan/devnet/rpc";
import { type Hex, numberToHex } from "viem";
import { type Postgres, startPostgres } from "../test/postgres";
import { type BenchChains, benchChains } from "./chains";
import { type RpcCount, startRpcCounter } from "./rpcCounter";

const INDEXER_DIR = new URL("..", import.meta.url).pathname;
const APPS = {
  settlescan: INDEXER_DIR,
  bare: join(INDEXER_DIR, "bench/bare"),
  floor: join(INDEXER_DIR, "bench/floor"),
} as const;
type App = keyof typeof APPS;
type Database = "pglite" | "postgres";
type Measure = "backfill" | "delay" | "baselike";

const listOf = (value: string | undefined, fallback: string) => (value || fallback).split(",").map((v) => v.trim());
const SIZES = listOf(process.env.SIZES, "10000,100000").map(Number);
const DATABASES = listOf(process.env.DATABASES, "pglite,postgres") as Database[];
const RUN_APPS = listOf(process.env.BENCH_APPS, "settlescan,bare") as App[];
const MEASURES = listOf(process.env.MEASURE, "backfill,delay,baselike") as Measure[];
const BASELIKE_SIZE = Number(process.env.BASELIKE_SIZE ?? SIZES[0]);
const BLOB_DELAY_MS = Number(process.env.BLOB_DELAY_MS ?? 200);
const FILLER = {
  perBlock: Number(process.env.FILLER_PER_BLOCK ?? 200),
  emptyBlocks: Number(process.env.FILLER_EMPTY_BLOCKS ?? 3),
};
// Runs per app and size, alternating; the fastest is kept, since a shared machine only ever slows a run down.
const REPEAT = Number(process.env.REPEAT ?? 1);
const ORDERING = process.env.PONDER_ORDERING === "omnichain" ? "omnichain" : "multichain";
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF;
// `BENCH_STORE_OPS=1` prints each run's store operations (find/insert/update) per table, from Ponder's metrics.
const STORE_OPS = process.env.BENCH_STORE_OPS === "1";
// Memory is sampled this often; VmHWM (the kernel's own peak) is read at each sample, so no peak is missed.
const SAMPLE_MS = 200;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS ?? 3_600_000);

type Run = {
  size: number;
  app: App;
  database: Database;
  measure: Measure;
  seconds: number;
  /** CPU time of the indexer's processes: less disturbed than wall time by whatever else the machine runs. */
  cpuSeconds: number;
  events: number;
  byEvent: Record<string, number>;
  stages: Stages;
  peakMiB: number;
};

const running = new Set<ChildProcess>();
const cleanups = new Set<() => Promise<void> | void>();

/** Kills every process group this bench started, the devnet and any PostgreSQL, whatever state they are in. */
async function cleanUp() {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
  for (const cleanup of cleanups) await cleanup();
  cleanups.clear();
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
type Stages = { handlers: number; flush: number; syncWrites: number; cacheMisses: number };

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
    // Reads of rows the in-memory cache did not hold: each one a database query (the cache overflowed).
    cacheMisses: [...text.matchAll(/^ponder_indexing_cache_requests_total\{[^}]*type="miss"[^}]*\} (\d+)/gm)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    ),
  };
  if (STORE_OPS) {
    const ops = [...text.matchAll(/^ponder_indexing_store_queries_total\{table="([^"]+)",method="([^"]+)"\} (\d+)/gm)];
    console.log(`[bench] store operations: ${ops.map(([, table, method, n]) => `${table}.${method} ${n}`).join(", ")}`);
  }
  return { events: Object.values(byEvent).reduce((a, b) => a + b, 0), byEvent, stages };
}

/**
 * Indexes the scenario with one app from an empty store (a fresh PGlite directory, or a fresh PostgreSQL server so
 * that no run reuses another's `ponder_sync` cache), timing spawn → every chain at its head.
 */
async function indexWith({
  app,
  database,
  measure,
  size,
  chains,
  profilePath = chains.profilePath,
}: {
  app: App;
  database: Database;
  measure: Measure;
  size: number;
  chains: BenchChains;
  profilePath?: string;
}): Promise<Run> {
  const port = await freePort();
  const pgliteDirectory = mkdtempSync(join(tmpdir(), `settlescan-bench-${app}-`));
  let postgres: Postgres | undefined;
  if (database === "postgres") {
    postgres = await startPostgres();
    cleanups.add(postgres.stop);
  }
  if (CPU_PROF_DIR) mkdirSync(CPU_PROF_DIR, { recursive: true });
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
        SETTLESCAN_NETWORK: profilePath,
        PONDER_ORDERING: ORDERING,
        PGLITE_DIRECTORY: pgliteDirectory,
        DATABASE_URL: postgres?.url ?? "",
        ...(CPU_PROF_DIR
          ? {
              NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --cpu-prof --cpu-prof-dir=${join(CPU_PROF_DIR, `${app}-${database}-${measure}-${size}`)}`,
            }
          : {}),
        ...chains.endBlocks,
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
      if (Date.now() > deadline) throw new Error(`${app} did not reach ${JSON.stringify(chains.heads)}:\n${output}`);
      const status = (await fetch(`${url}/status`)
        .then((r) => r.json())
        .catch(() => ({}))) as Record<string, { block?: { number: number } }>;
      if (Object.entries(chains.heads).every(([chain, n]) => (status[chain]?.block?.number ?? -1) >= n)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    sample();
    const { events, byEvent, stages } = await metricsOf(url);
    // The node process running Ponder is the group's largest (the leader is the pnpm shell shim).
    const peakMiB = Math.max(...[...seen.values()].map((p) => p.peakKiB)) / 1024;
    const cpuSeconds = [...seen.values()].reduce((sum, p) => sum + p.cpuSeconds, 0);
    const run = { size, app, database, measure, seconds, cpuSeconds, events, byEvent, stages, peakMiB };
    console.log(
      `[bench] ${measure} ${size} ${database} ${app}: ${seconds.toFixed(1)} s (cpu ${cpuSeconds.toFixed(1)} s), ${events} events, ${peakMiB.toFixed(0)} MiB ${JSON.stringify(byEvent)}`,
    );
    return run;
  } finally {
    clearInterval(sampler);
    await stopGroup(child);
    running.delete(child);
    rmSync(pgliteDirectory, { recursive: true, force: true });
    if (postgres) {
      postgres.stop();
      cleanups.delete(postgres.stop);
      rmSync(postgres.dataDirectory, { recursive: true, force: true });
    }
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

/** Runs one app REPEAT times and keeps the fastest run. */
async function fastestOf(args: Parameters<typeof indexWith>[0]) {
  let fastest: Run | undefined;
  for (let round = 0; round < REPEAT; round++) {
    const run = await indexWith(args);
    if (!fastest || run.seconds < fastest.seconds) fastest = run;
  }
  return fastest!;
}

/** Blocks of each chain holding any log of the indexed contracts: the only blocks an indexer needs to fetch. */
async function blocksWithLogs(chains: BenchChains) {
  const { payment, verification } = chains.profile;
  const of = async (rpcUrl: string, addresses: string[], head: number) => {
    const logs = await rpc<{ blockNumber: Hex }[]>(rpcUrl, "eth_getLogs", [
      { address: addresses, fromBlock: "0x0", toBlock: numberToHex(head) },
    ]);
    return new Set(logs.map((l) => Number(l.blockNumber)));
  };
  return {
    base: await of(
      payment.rpcUrl!,
      payment.tokens.map((t) => t.address),
      chains.heads.base,
    ),
    og: await of(
      verification.rpcUrl!,
      [...verification.relays.map((r) => r.address), ...verification.teeRegistries.map((r) => r.address)],
      chains.heads.og,
    ),
  };
}

type BaseLikeRun = { app: App; run: Run; base: RpcCount; og: RpcCount; unmatched: { base: number[]; og: number[] } };

/** Indexes a Base-like scenario behind one counting proxy per RPC. */
async function baseLikeRun(app: App, chains: BenchChains, matched: Awaited<ReturnType<typeof blocksWithLogs>>) {
  const base = await startRpcCounter(chains.profile.payment.rpcUrl!);
  const og = await startRpcCounter(chains.profile.verification.rpcUrl!);
  try {
    const profilePath = join(mkdtempSync(join(tmpdir(), "settlescan-bench-proxied-")), "profile.json");
    writeProfile(
      {
        ...chains.profile,
        payment: { ...chains.profile.payment, rpcUrl: base.url },
        verification: { ...chains.profile.verification, rpcUrl: og.url },
      },
      profilePath,
    );
    const run = await indexWith({
      app,
      database: "pglite",
      measure: "baselike",
      size: BASELIKE_SIZE,
      chains,
      profilePath,
    });
    const [b, o] = [base.count(), og.count()];
    const unmatchedOf = (count: RpcCount, blocks: Set<number>, head: number) =>
      [...new Set(count.blocksByNumber)].filter((n) => n <= head && !blocks.has(n)).sort((x, y) => x - y);
    return {
      app,
      run,
      base: b,
      og: o,
      unmatched: {
        base: unmatchedOf(b, matched.base, chains.heads.base),
        og: unmatchedOf(o, matched.og, chains.heads.og),
      },
    } satisfies BaseLikeRun;
  } finally {
    await base.close();
    await og.close();
  }
}

const backfills: Run[] = [];
const delayed: Run[] = [];
const baseLike: BaseLikeRun[] = [];
let baseLikeChains: BenchChains["counts"] & { fillerTxs: number; heads: BenchChains["heads"] } = {
  inferences: 0,
  payments: 0,
  settlements: 0,
  fillerTxs: 0,
  heads: { base: 0, og: 0 },
};

async function withChains<T>(options: Parameters<typeof benchChains>[0], use: (chains: BenchChains) => Promise<T>) {
  const generating = performance.now();
  const chains = await benchChains(options);
  const stop = () => chains.devnet.stop();
  cleanups.add(stop);
  console.log(
    `[bench] ${options.seed}: ${chains.counts.inferences} inferences, ${chains.counts.payments} payments, ${chains.counts.settlements} settlements${options.filler ? `, ${chains.fillerTxs} filler transfers` : ""}; scenario in ${((performance.now() - generating) / 1000).toFixed(0)} s, heads base ${chains.heads.base} og ${chains.heads.og}`,
  );
  try {
    return await use(chains);
  } finally {
    await stop();
    cleanups.delete(stop);
  }
}

try {
  if (MEASURES.includes("backfill") || MEASURES.includes("delay"))
    for (const size of SIZES)
      await withChains({ seed: `bench-${size}`, size }, async (chains) => {
        for (const database of DATABASES) {
          if (MEASURES.includes("backfill"))
            for (const app of RUN_APPS)
              backfills.push(await fastestOf({ app, database, measure: "backfill", size, chains }));
          if (MEASURES.includes("delay") && RUN_APPS.includes("settlescan")) {
            chains.devnet.walrus.setDelay(BLOB_DELAY_MS);
            try {
              delayed.push(await fastestOf({ app: "settlescan", database, measure: "delay", size, chains }));
            } finally {
              chains.devnet.walrus.setDelay(0);
            }
          }
        }
      });
  if (MEASURES.includes("baselike"))
    await withChains(
      { seed: `bench-base-like-${BASELIKE_SIZE}`, size: BASELIKE_SIZE, filler: FILLER },
      async (chains) => {
        baseLikeChains = { ...chains.counts, fillerTxs: chains.fillerTxs, heads: chains.heads };
        const matched = await blocksWithLogs(chains);
        for (const app of RUN_APPS) baseLike.push(await baseLikeRun(app, chains, matched));
      },
    );
} finally {
  await cleanUp();
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const find = (runs: Run[], size: number, database: Database, app: App) =>
  runs.find((r) => r.size === size && r.database === database && r.app === app);

if (backfills.length > 0) {
  console.log(`\nBackfill (${ORDERING} ordering, spawn → both chains at their heads; target Settlescan/bare ≥ 0.8)`);
  console.log(
    table(
      ["inferences", "database", "app", "wall s", "cpu s", "events", "events/s", "vs bare (wall)", "vs bare (cpu)"],
      backfills.map((r) => {
        const bare = find(backfills, r.size, r.database, "bare");
        const vs = (mine: number, theirs: number) => (bare && r.app !== "bare" ? (theirs / mine).toFixed(2) : "");
        const differ = bare && bare.events !== r.events ? ` (bare: ${bare.events} events)` : "";
        return [
          fmt(r.size),
          r.database,
          r.app,
          r.seconds.toFixed(1),
          r.cpuSeconds.toFixed(1),
          fmt(r.events),
          fmt(r.events / r.seconds),
          `${vs(r.seconds, bare?.seconds ?? 0)}${differ}`,
          vs(r.cpuSeconds, bare?.cpuSeconds ?? 0),
        ];
      }),
    ),
  );
  // Ponder's stage timers run side by side on one thread (fetched data is written while handlers run), and a
  // flush's timer also counts what ran while it yielded: a guide to where the time goes, not parts of wall time.
  console.log("\nWhere the time goes (Ponder's metrics, seconds; stages overlap)");
  console.log(
    table(
      ["inferences", "database", "app", "handlers", "row writes (flush)", "chain data writes (sync)", "cache misses"],
      backfills.map((r) => [
        fmt(r.size),
        r.database,
        r.app,
        r.stages.handlers.toFixed(1),
        r.stages.flush.toFixed(1),
        r.stages.syncWrites.toFixed(1),
        fmt(r.stages.cacheMisses),
      ]),
    ),
  );
}

if (delayed.length > 0) {
  console.log(`\nSettlescan with the blob service answering after ${BLOB_DELAY_MS} ms (target ≤ 1.2× the 0 ms time)`);
  console.log(
    table(
      ["inferences", "database", "0 ms wall s", `${BLOB_DELAY_MS} ms wall s`, "ratio"],
      delayed.map((r) => {
        const zero = find(backfills, r.size, r.database, "settlescan");
        return [
          fmt(r.size),
          r.database,
          zero ? zero.seconds.toFixed(1) : "-",
          r.seconds.toFixed(1),
          zero ? (r.seconds / zero.seconds).toFixed(2) : "-",
        ];
      }),
    ),
  );
}

if (baseLike.length > 0) {
  const c = baseLikeChains;
  console.log(
    `\nBase-like chain: ${fmt(c.inferences)} inferences, ${fmt(c.payments)} payments; "base" has ${fmt(c.heads.base)} blocks carrying ${fmt(c.fillerTxs)} unrelated transfers (${FILLER.perBlock} per block, ${FILLER.emptyBlocks} blocks of only those between rounds). RPC as counted by a loopback proxy per chain; per payment = "base" RPC / payments, per inference = "og" RPC / inferences`,
  );
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    table(
      [
        "app",
        "wall s",
        "base requests",
        "base MiB",
        "requests/payment",
        "KiB/payment",
        "og requests",
        "og MiB",
        "requests/inference",
        "KiB/inference",
        "blocks fetched w/o matched log",
      ],
      baseLike.map(({ app, run, base, og, unmatched }) => [
        app,
        run.seconds.toFixed(1),
        fmt(base.requests),
        (base.bytes / 2 ** 20).toFixed(1),
        (base.requests / c.payments).toFixed(3),
        kib(base.bytes / c.payments),
        fmt(og.requests),
        (og.bytes / 2 ** 20).toFixed(1),
        (og.requests / c.inferences).toFixed(3),
        kib(og.bytes / c.inferences),
        `base ${unmatched.base.length}, og ${unmatched.og.length}`,
      ]),
    ),
  );
  console.log("\nBase-like chain: JSON-RPC calls by method (calls / MiB)");
  console.log(
    table(
      ["app", "chain", "calls by method"],
      baseLike.flatMap(({ app, base, og }) =>
        (
          [
            ["base", base],
            ["og", og],
          ] as const
        ).map(([chain, count]) => [
          app,
          chain,
          Object.entries(count.byMethod)
            .sort((a, b) => b[1].bytes - a[1].bytes)
            .map(([m, e]) => `${m} ${e.calls}/${(e.bytes / 2 ** 20).toFixed(2)}`)
            .join(", "),
        ]),
      ),
    ),
  );
  for (const { app, unmatched } of baseLike)
    if (unmatched.base.length + unmatched.og.length > 0)
      console.log(
        `[bench] ${app} fetched blocks holding no log of the indexed contracts: base ${unmatched.base.slice(0, 20).join(", ")} og ${unmatched.og.slice(0, 20).join(", ")}`,
      );
}

if (backfills.length > 0) {
  console.log("\nPeak memory of the indexer process (MiB, VmHWM)");
  const apps = [...new Set(backfills.map((r) => r.app))];
  console.log(
    table(
      ["database", "app", ...SIZES.map((s) => `${fmt(s)} inferences`), ...(SIZES.length > 1 ? ["change"] : [])],
      DATABASES.flatMap((database) =>
        apps.map((app) => {
          const peaks = SIZES.map((s) => find(backfills, s, database, app)?.peakMiB);
          const [first, last] = [peaks[0], peaks.at(-1)];
          const change =
            SIZES.length > 1 && first && last
              ? [`${last >= first ? "+" : ""}${((last / first - 1) * 100).toFixed(1)}%`]
              : [];
          return [database, app, ...peaks.map((p) => (p === undefined ? "-" : p.toFixed(0))), ...change];
        }),
      ),
    ),
  );
}
