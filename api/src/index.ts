import cluster from "node:cluster";
import { availableParallelism } from "node:os";

// The standalone host. API_WORKERS processes share its port (node:cluster): "auto" is one per core; 1, the
// default, serves from this process alone. A worker that dies is replaced.
const setting = process.env.API_WORKERS ?? "1";
const workers = setting === "auto" ? availableParallelism() : Number(setting);
if (!Number.isInteger(workers) || workers < 1)
  throw new Error(`API_WORKERS is "${setting}": set a whole number of processes (1 or more), or "auto".`);

/**
 * V8's young generation, per semi-space: small, so that each scavenge is short. A receipt lookup allocates about
 * 200 kB; at 500 lookups/s on the bench's quiet two-core machine, 8 MB scavenged 16 times a second for 1.6 ms each
 * (257 ms per 10 s) where 64 MB scavenged twice a second for 10 ms each (201 ms): about the same time in all, but a
 * 10 ms pause lands in the slowest percent of requests. Open-loop p99 then: 12.7 ms (8 MB) against 17.0 ms (64 MB)
 * and 20.7 ms (4 MB), one run each (since the lookup stopped being re-planned, 5.2–5.3 ms with 8 MB). `pnpm start`
 * passes it; forked workers get it here unless this process was given a size.
 */
const YOUNG_GENERATION = "--max-semi-space-size=8";

if (workers === 1 || !cluster.isPrimary) await import("./server");
else {
  const sized = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].some((flag) =>
    flag.startsWith("--max-semi-space-size"),
  );
  cluster.setupPrimary({ execArgv: sized ? process.execArgv : [...process.execArgv, YOUNG_GENERATION] });
  // A scrape of any worker answers all of theirs, merged here.
  const { serveClusterMetrics } = await import("./metrics");
  serveClusterMetrics();
  let stopping = false;
  const fork = (index: number) =>
    cluster
      .fork({ API_WORKER_INDEX: String(index), API_WORKERS_RUNNING: String(workers) })
      .on("exit", (code, signal) => {
        if (stopping) return;
        console.error(`API worker ${index} exited (${signal ?? code}); starting another.`);
        fork(index);
      });
  for (let i = 0; i < workers; i++) fork(i);
  // Announced once every first worker listens: before that, a worker that dies may be the only one holding the port.
  let listening = 0;
  const announce = (_: unknown, address: { address: string | null; port: number }) => {
    if (++listening < workers) return;
    cluster.off("listening", announce);
    console.log(
      `Settlescan API on http://${address.address ?? "127.0.0.1"}:${address.port}/graphql (${workers} processes)`,
    );
  };
  cluster.on("listening", announce);
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.once(signal, () => {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
      let left = running.length;
      if (left === 0) process.exit(0);
      cluster.on("exit", () => {
        if (--left === 0) process.exit(0);
      });
      for (const worker of running) worker.process.kill(signal);
      // Each worker closes its pool and exits on the signal; this bounds a stuck one.
      setTimeout(() => process.exit(0), 5_000).unref();
    });
}
