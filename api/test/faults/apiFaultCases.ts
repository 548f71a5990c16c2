import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Postgres, startPostgres } from "@settlescan/indexer/test/postgres.ts";
import pg from "pg";
import { startStandalone, VIEWS_SCHEMA } from "../environment";
import { type HostileRequest, hostileRequest } from "./hostileInput";

type Log = (line: string) => void;

/** One row of the API's fault table: the indexer's columns, plus what an API client saw. */
export type ApiFaultResult = {
  fault: string;
  tries: number;
  survived: number;
  /** Responses with status ≥ 500 other than the expected 503s of an outage. */
  fiveXx: number;
  maxMs: number;
  p99Ms: number;
  details: Record<string, unknown>;
};

/**
 * The hostile runs' server has its V8 heap capped: a leak would end it (out of memory) within the run, and every
 * later request would fail. yoga's parse and validation caches (LRU, bounded) hold some hundreds of the run's
 * documents, which is most of the RSS growth seen.
 */
export const HOSTILE_HEAP_CAP = "--max-old-space-size=128";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

/** The resident set size of a process, in MB (Linux `/proc`). */
export function rssMb(pid: number) {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]);
  return Math.round(kb / 1024);
}

/**
 * One request on a fresh connection (no keep-alive), so an abusive request cannot leave a pooled socket behind
 * for the next one: each answer is that request's own.
 */
function send(
  url: string,
  request: HostileRequest,
  abortMs: number,
): Promise<{ status: number; text: string; headersMs: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url + request.path,
      { method: request.method, headers: request.headers, agent: false, signal: AbortSignal.timeout(abortMs) },
      (res) => {
        const headersMs = performance.now() - started;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), headersMs }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(request.body);
  });
}

/**
 * Sends `count` hostile requests, one at a time, to a host and times each. A request that takes longer than
 * `abortMs` is aborted and counted as slow; `deadlineMs` bounds the whole loop.
 */
export async function hostileCase({
  url,
  pid,
  count,
  seed = 7,
  limitMs = 200,
  abortMs = 5_000,
  deadlineMs = 600_000,
  log,
}: {
  url: string;
  pid: number;
  count: number;
  seed?: number;
  limitMs?: number;
  abortMs?: number;
  deadlineMs?: number;
  log: Log;
}): Promise<ApiFaultResult> {
  const rssBefore = rssMb(pid);
  // V8 grows its heap to a working size over the first requests; growth after that is what a leak would show.
  const warmAt = Math.min(count, Math.max(100, Math.floor(count / 5)));
  let rssWarm = rssBefore;
  // RSS after every 1,000 requests: a leak climbs with the count, a cache or a lazy heap levels off.
  const rssTrail: number[] = [];
  const durations: number[] = [];
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  const slow: string[] = [];
  const started = Date.now();
  let survived = 0;
  for (let i = 0; i < count && Date.now() - started < deadlineMs; i++) {
    if (i === warmAt) rssWarm = rssMb(pid);
    const request = hostileRequest(seed, i);
    const t0 = performance.now();
    let status = 0;
    let headersMs: number | undefined;
    try {
      const response = await send(url, request, abortMs);
      status = response.status;
      // An accepted export streams every matching receipt, for as long as that takes (by design, no time limit):
      // it has answered once its status and headers are sent.
      if (request.path.startsWith("/export/")) headersMs = response.headersMs;
      const text = response.text;
      // A 5xx is a failure; so is a stack trace or a source path in any answer.
      if (status >= 500 || /\bat \w+ \(|\.ts:\d+|node_modules|\/work\//.test(text))
        failures.push(`#${i} ${request.kind}: ${status} ${text.slice(0, 200)}`);
    } catch (error) {
      failures.push(`#${i} ${request.kind}: ${(error as Error).message}`);
    }
    const ms = headersMs ?? performance.now() - t0;
    durations.push(ms);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (ms > limitMs) slow.push(`#${i} ${request.kind}: ${ms.toFixed(0)} ms`);
    if (status > 0 && status < 500) survived++;
    if ((i + 1) % 1000 === 0) {
      rssTrail.push(rssMb(pid));
      log(`hostile ${i + 1}/${count}, RSS ${rssTrail.at(-1)} MB`);
    }
  }
  // Let the server collect what the run left behind before measuring it again.
  await sleep(1_000);
  const rssAfter = rssMb(pid);
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    fault: "hostile input",
    tries: durations.length,
    survived,
    fiveXx: failures.length,
    maxMs: Math.round(sorted.at(-1) ?? 0),
    p99Ms: Math.round(percentile(sorted, 0.99)),
    details: {
      statuses,
      rssBeforeMb: rssBefore,
      rssWarmMb: rssWarm,
      rssAfterMb: rssAfter,
      rssTrail,
      failures: failures.slice(0, 10),
      slow: slow.slice(0, 10),
      slowCount: slow.length,
    },
  };
}

/** Copies the indexer's tables and the views the API reads into another PostgreSQL, and adds the read-only role. */
async function copyViews(fromUrl: string, to: Postgres) {
  const bin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
  const schemas = (await query(fromUrl, "select nspname from pg_namespace where nspname like 'settlescan%'")).map(
    (r) => r.nspname as string,
  );
  const dump = execFileSync(
    join(bin, "pg_dump"),
    [fromUrl, "--no-owner", "--no-privileges", ...schemas.flatMap((s) => ["-n", s])],
    { maxBuffer: 512 * 1024 * 1024 },
  );
  execFileSync(join(bin, "psql"), [to.url, "-q", "-v", "ON_ERROR_STOP=1"], {
    input: dump,
    stdio: ["pipe", "ignore", "pipe"],
  });
  await query(
    to.url,
    `CREATE ROLE restart_reader LOGIN PASSWORD 'reader';
     GRANT USAGE ON SCHEMA "${VIEWS_SCHEMA}" TO restart_reader;
     GRANT SELECT ON ALL TABLES IN SCHEMA "${VIEWS_SCHEMA}" TO restart_reader;`,
  );
  const url = new URL(to.url);
  url.username = "restart_reader";
  url.password = "reader";
  return url.toString();
}

async function query(url: string, text: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(text);
    return (Array.isArray(result) ? result.at(-1)! : result).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/**
 * `pg_ctl` without blocking the event loop (the helper's stop and start are synchronous, which would pause the load
 * and inflate its timings).
 */
async function pgCtl(postgres: Postgres, action: "stop" | "start") {
  const bin = process.env.PG_BIN ?? "/usr/lib/postgresql/15/bin";
  const options = `-p ${postgres.port} -k ${postgres.dataDirectory} -h 127.0.0.1 -c fsync=off -c max_connections=200`;
  const args =
    action === "stop"
      ? ["-D", postgres.dataDirectory, "-m", "fast", "-w", "stop"]
      : ["-D", postgres.dataDirectory, "-o", options, "-w", "-l", join(postgres.dataDirectory, "log"), "start"];
  const command = join(bin, "pg_ctl");
  if (process.getuid?.() === 0) await promisify(execFile)("runuser", ["-u", "postgres", "--", command, ...args]);
  else await promisify(execFile)(command, args);
}

/** After the database is back, how long a pooled connection from the outage may still answer 503. */
const SETTLE_MS = 1_000;

type Phase = "before" | "stopping" | "down" | "starting" | "settling" | "after";

/**
 * The standalone API over its own PostgreSQL (a copy of `sourceUrl`'s views), under a steady load of receipt
 * lookups from `workers` concurrent clients, while PostgreSQL is stopped for `downMs` and started again. Every
 * answer must be the right one (200, as before the restart) or a 503 with a code; while the database is down, only
 * 503s; after it is back, only right answers, from the same API process.
 */
export async function postgresRestartCase({
  sourceUrl,
  receiptIds,
  restarts = 1,
  downMs = 3_000,
  steadyMs = 2_000,
  workers = 6,
  abortMs = 10_000,
  log,
}: {
  sourceUrl: string;
  receiptIds: string[];
  restarts?: number;
  downMs?: number;
  steadyMs?: number;
  workers?: number;
  abortMs?: number;
  log: Log;
}): Promise<ApiFaultResult> {
  const postgres = await startPostgres();
  try {
    const readerUrl = await copyViews(sourceUrl, postgres);
    const api = await startStandalone({
      databaseUrl: readerUrl,
      env: { RATE_LIMIT_PER_MINUTE: "0", PG_POOL_MAX: "8" },
    });
    try {
      const lookup = (id: string) =>
        fetch(`${api.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({
            query: `query($id: ID!) { receipt(id: $id) { id state amount paymentId } }`,
            variables: { id },
          }),
          signal: AbortSignal.timeout(abortMs),
        });
      const expected = new Map<string, string>();
      for (const id of receiptIds) {
        const response = await lookup(id);
        if (response.status !== 200) throw new Error(`Baseline lookup answered ${response.status}.`);
        expected.set(id, await response.text());
      }

      let phase: Phase = "before";
      const seen: Record<Phase, Record<string, number>> = {
        before: {},
        stopping: {},
        down: {},
        starting: {},
        settling: {},
        after: {},
      };
      const wrong: string[] = [];
      const durations: number[] = [];
      let running = true;
      let survivedRestarts = 0;
      const load = async (worker: number) => {
        for (let i = worker; running; i += workers) {
          const id = receiptIds[i % receiptIds.length]!;
          const at = phase;
          const t0 = performance.now();
          let outcome: string;
          try {
            const response = await lookup(id);
            const text = await response.text();
            if (response.status === 200 && text === expected.get(id)) outcome = "200 right";
            else if (response.status === 503) {
              const code = (JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]
                ?.extensions?.code;
              outcome = code ? `503 ${code}` : "503 without code";
            } else outcome = `${response.status} ${text.slice(0, 120)}`;
          } catch (error) {
            outcome = `no answer: ${(error as Error).message}`;
          }
          durations.push(performance.now() - t0);
          const ended = phase;
          // A request that spans a phase change is judged by the laxer of its two phases.
          const judged = at === ended ? at : ended === "down" || at === "down" ? "stopping" : at;
          seen[judged][outcome] = (seen[judged][outcome] ?? 0) + 1;
          const ok =
            outcome === "200 right"
              ? judged !== "down"
              : outcome.startsWith("503 ") && outcome !== "503 without code"
                ? judged !== "before" && judged !== "after"
                : false;
          if (!ok) wrong.push(`${judged}: ${outcome}`);
          // Loopback load, not a flood: a few hundred requests a second at most.
          await sleep(5);
        }
      };
      const loaders = Array.from({ length: workers }, (_, w) => load(w));
      await sleep(steadyMs);
      for (let round = 1; round <= restarts; round++) {
        phase = "stopping";
        await pgCtl(postgres, "stop");
        phase = "down";
        await sleep(downMs);
        phase = "starting";
        await pgCtl(postgres, "start");
        // Recovered once a lookup answers right again; the pool reconnects by itself.
        const deadline = Date.now() + 30_000;
        while (Date.now() < deadline) {
          const id = receiptIds[0]!;
          const response = await lookup(id).catch(() => undefined);
          if (response?.status === 200 && (await response.text()) === expected.get(id)) break;
          await sleep(100);
        }
        // Pooled connections opened while the server was starting up may still fail once (seen: 2 of ~2,300
        // requests over 5 restarts); a second of 503s-with-code is allowed, then only right answers.
        phase = "settling";
        await sleep(SETTLE_MS);
        phase = "after";
        await sleep(steadyMs);
        if (api.process.exitCode === null && api.process.signalCode === null) survivedRestarts++;
        log(`postgres restart ${round}/${restarts}: ${JSON.stringify(seen)}`);
      }
      running = false;
      await Promise.all(loaders);
      const sorted = durations.sort((a, b) => a - b);
      return {
        fault: "postgres restart",
        tries: restarts,
        survived: wrong.length === 0 && Object.keys(seen.down).length > 0 ? survivedRestarts : 0,
        fiveXx: wrong.filter((w) => /: 5\d\d /.test(w) && !/: 503 [A-Z_]+$/.test(w)).length,
        maxMs: Math.round(sorted.at(-1) ?? 0),
        p99Ms: Math.round(percentile(sorted, 0.99)),
        details: { requests: durations.length, seen, wrong: wrong.slice(0, 10), wrongCount: wrong.length },
      };
    } finally {
      await api.stop();
    }
  } finally {
    postgres.stop();
  }
}
