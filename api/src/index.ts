import cluster from "node:cluster";
import { availableParallelism } from "node:os";

// The standalone host. API_WORKERS processes share its port (node:cluster): "auto" is one per core; 1, the
// default, serves from this process alone. A worker that dies is replaced.
const setting = process.env.API_WORKERS ?? "1";
const workers = setting === "auto" ? availableParallelism() : Number(setting);
if (!Number.isInteger(workers) || workers < 1)
  throw new Error(`API_WORKERS is "${setting}": set a whole number of processes (1 or more), or "auto".`);

if (workers === 1 || !cluster.isPrimary) await import("./server");
else {
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
