import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { freePort } from "@settlescan/devnet/chains";
import * as tables from "@settlescan/indexer/ponder.schema.ts";
import { Hono } from "hono";
import { expect, test } from "vitest";
import { apiRoutes } from "./app";
import { type Db, run } from "./db";
import {
  apiRegistry,
  createApiMetrics,
  createRegistry,
  exposition,
  mergeSnapshots,
  requestMetrics,
  UNMATCHED_ROUTE,
} from "./metrics";
import { createYoga } from "./yoga";

type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A small parser of the text exposition format 0.0.4: fails on any line that is not a comment or a well-formed sample,
 * and on a sample whose metric has no `# TYPE` before it.
 */
function parseExposition(text: string) {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") types.set(comment[2]!, comment[3]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`Line "${line}" is not a sample.`);
    const labels: Record<string, string> = {};
    const body = sample[2] ?? "";
    const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;
    for (let at = 0; at < body.length; ) {
      label.lastIndex = at;
      const match = label.exec(body);
      if (!match) throw new Error(`Labels "${body}" are malformed at ${at}.`);
      labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c));
      at = label.lastIndex;
    }
    const name = sample[1]!;
    const family = types.has(name) ? name : name.replace(/_(bucket|sum|count)$/, "");
    if (!types.has(family)) throw new Error(`Sample "${name}" has no # TYPE line before it.`);
    const value = sample[3] === "+Inf" ? Number.POSITIVE_INFINITY : Number(sample[3]);
    if (Number.isNaN(value) && sample[3] !== "NaN") throw new Error(`Value "${sample[3]}" is not a number.`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

/** The value of the one sample named `name` whose labels include `labels` (0 when there is none). */
function sampleOf(text: string, name: string, labels: Record<string, string> = {}) {
  const found = parseExposition(text).samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}.`);
  return found[0]?.value ?? 0;
}

test("default", () => {
  const registry = createRegistry();
  const requests = registry.counter("app_requests_total", "Requests served.", ["route"]);
  requests.labels("/graphql").inc();
  requests.labels("/graphql").inc(2);
  const latency = registry.histogram("app_latency_seconds", "Latency.", [], [0.01, 0.1]);
  for (const seconds of [0.005, 0.01, 0.05, 3]) latency.observe(seconds);
  registry.gauge("app_heap_bytes", "Heap.\nIn bytes \\ used.").set(1024);
  expect(registry.metrics()).toMatchInlineSnapshot(`
    "# HELP app_requests_total Requests served.
    # TYPE app_requests_total counter
    app_requests_total{route="/graphql"} 3
    # HELP app_latency_seconds Latency.
    # TYPE app_latency_seconds histogram
    app_latency_seconds_bucket{le="0.01"} 2
    app_latency_seconds_bucket{le="0.1"} 3
    app_latency_seconds_bucket{le="+Inf"} 4
    app_latency_seconds_sum 3.065
    app_latency_seconds_count 4
    # HELP app_heap_bytes Heap.\\nIn bytes \\\\ used.
    # TYPE app_heap_bytes gauge
    app_heap_bytes 1024
    "
  `);
});

test("behavior: label values are escaped, and parse back to what was recorded", () => {
  const registry = createRegistry();
  const odd = 'a "quoted" \\ back\nslash';
  registry.counter("app_odd_total", "Odd labels.", ["value"]).labels(odd).inc();
  const text = registry.metrics();
  expect(text).toContain(String.raw`app_odd_total{value="a \"quoted\" \\ back\nslash"} 1`);
  expect(parseExposition(text).samples).toEqual([{ name: "app_odd_total", labels: { value: odd }, value: 1 }]);
});

test("args: invalid names, label counts and buckets", () => {
  const registry = createRegistry();
  const counter = registry.counter("app_total", "x", ["route"]);
  expect(() => counter.labels()).toThrowErrorMatchingInlineSnapshot(
    `[Error: Metric "app_total" takes 1 label values (route), not 0.]`,
  );
  expect(() => registry.counter("app total", "x")).toThrowErrorMatchingInlineSnapshot(
    `[Error: Metric name "app total" is not a valid Prometheus name.]`,
  );
  expect(() => registry.histogram("app_h", "x", ["le"], [1])).toThrowErrorMatchingInlineSnapshot(
    `[Error: Label name "le" of metric "app_h" is not a valid Prometheus label name.]`,
  );
  expect(() => registry.histogram("app_h", "x", [], [1, 1])).toThrowErrorMatchingInlineSnapshot(
    `[Error: Histogram "app_h" has buckets [1, 1]: expected ascending upper bounds.]`,
  );
  expect(() => registry.counter("app_total", "x")).toThrowErrorMatchingInlineSnapshot(
    `[Error: Metric "app_total" is already registered.]`,
  );
});

// A database that fails every statement: the requests still run the whole middleware chain and yoga.
const failing = {
  select: () => {
    throw new Error("no database here");
  },
  execute: () => Promise.reject(new Error("no database here")),
} as unknown as Db;

test("behavior: after N requests the counters moved by N, by route pattern, and each histogram's _count is N", async () => {
  const metrics = createApiMetrics();
  const app = new Hono()
    .use(requestMetrics({ metrics }))
    .route("/", apiRoutes({ db: failing, tables, maskedErrors: true }));
  const post = () =>
    app.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _meta { now } }" }),
    });
  const n = 7;
  for (let i = 0; i < n; i++) expect((await post()).status).toBe(200);
  // Two different blob ids are one route; two unknown paths are one label, not two.
  for (const path of [`/blob/0x${"00".repeat(32)}`, "/blob/nope", "/wp-admin", "/.env"]) await app.request(path);
  const text = metrics.registry.metrics();
  const { types, samples } = parseExposition(text);
  expect(types.get("settlescan_api_requests_total")).toBe("counter");
  expect(types.get("settlescan_api_request_duration_seconds")).toBe("histogram");
  expect(sampleOf(text, "settlescan_api_requests_total", { route: "/graphql", method: "POST", status: "200" })).toBe(n);
  expect(sampleOf(text, "settlescan_api_request_duration_seconds_count", { route: "/graphql" })).toBe(n);
  expect(sampleOf(text, "settlescan_api_request_duration_seconds_count", { route: "/blob/:blobId" })).toBe(2);
  expect(sampleOf(text, "settlescan_api_request_duration_seconds_count", { route: UNMATCHED_ROUTE })).toBe(2);
  expect(new Set(samples.map((s) => s.labels.route).filter(Boolean))).toEqual(
    new Set(["/graphql", "/blob/:blobId", UNMATCHED_ROUTE]),
  );
  // Cumulative buckets: never decreasing, the last (+Inf) equal to _count, and the sum positive.
  const buckets = samples.filter(
    (s) => s.name === "settlescan_api_request_duration_seconds_bucket" && s.labels.route === "/graphql",
  );
  expect(buckets.map((b) => b.labels.le).at(-1)).toBe("+Inf");
  for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
  expect(buckets.at(-1)!.value).toBe(n);
  expect(sampleOf(text, "settlescan_api_request_duration_seconds_sum", { route: "/graphql" })).toBeGreaterThan(0);
});

test("behavior: SQL statements are counted and timed, by outcome", async () => {
  const before = apiRegistry.metrics();
  const counter = { count: 0 };
  await run(counter, new Promise((resolve) => setTimeout(resolve, 30)));
  await expect(run(counter, Promise.reject(new Error("syntax error")))).rejects.toThrow("syntax error");
  await expect(
    run(counter, Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))),
  ).rejects.toThrow("The database is unavailable");
  const after = apiRegistry.metrics();
  const moved = (name: string, labels: Record<string, string> = {}) =>
    sampleOf(after, name, labels) - sampleOf(before, name, labels);
  expect(counter.count).toBe(3);
  expect(moved("settlescan_api_sql_statements_total", { outcome: "ok" })).toBe(1);
  expect(moved("settlescan_api_sql_statements_total", { outcome: "error" })).toBe(1);
  expect(moved("settlescan_api_sql_statements_total", { outcome: "unavailable" })).toBe(1);
  expect(moved("settlescan_api_sql_duration_seconds_count")).toBe(3);
  // The 30 ms statement is in the sum, and not in the buckets up to 25 ms.
  expect(moved("settlescan_api_sql_duration_seconds_sum")).toBeGreaterThanOrEqual(0.029);
  expect(moved("settlescan_api_sql_duration_seconds_bucket", { le: "0.025" })).toBe(2);
});

test("behavior: the document cache counts a miss, then hits for the same source", async () => {
  const yoga = createYoga({ db: failing, tables });
  const query = `{ _meta { now } __typename }`;
  const post = () =>
    yoga.fetch("http://api/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
  const before = apiRegistry.metrics();
  for (let i = 0; i < 3; i++) await post();
  const after = apiRegistry.metrics();
  const moved = (name: string) => sampleOf(after, name) - sampleOf(before, name);
  expect([
    moved("settlescan_api_document_cache_misses_total"),
    moved("settlescan_api_document_cache_hits_total"),
  ]).toEqual([1, 2]);
});

test("behavior: merged over processes, counters and histograms are summed and gauges are per worker", () => {
  const worker = (requests: number, heap: number) => {
    const registry = createRegistry();
    registry.counter("app_requests_total", "Requests.", ["route"]).labels("/graphql").inc(requests);
    registry.histogram("app_latency_seconds", "Latency.", [], [0.01]).observe(requests / 1024);
    registry.gauge("app_heap_bytes", "Heap.").set(heap);
    return registry.snapshot();
  };
  const text = exposition(
    mergeSnapshots([
      { worker: "0", metrics: worker(3, 100) },
      { worker: "1", metrics: worker(40, 200) },
    ]),
  );
  expect(text).toMatchInlineSnapshot(`
    "# HELP app_requests_total Requests.
    # TYPE app_requests_total counter
    app_requests_total{route="/graphql"} 43
    # HELP app_latency_seconds Latency.
    # TYPE app_latency_seconds histogram
    app_latency_seconds_bucket{le="0.01"} 1
    app_latency_seconds_bucket{le="+Inf"} 2
    app_latency_seconds_sum 0.0419921875
    app_latency_seconds_count 2
    # HELP app_heap_bytes Heap.
    # TYPE app_heap_bytes gauge
    app_heap_bytes{worker="0"} 100
    app_heap_bytes{worker="1"} 200
    "
  `);
  parseExposition(text);
});

/** Posts on a connection of its own, so the cluster's primary hands each to a worker in turn. */
function postOnNewConnection(url: string, body: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/json" } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("behavior: with API_WORKERS=2, any worker's /metrics answers both workers' figures, merged", async () => {
  const port = await freePort();
  // A database that refuses connections: every lookup is a counted "unavailable" statement, no PostgreSQL needed.
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: new URL("..", import.meta.url).pathname,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: "postgres://nobody@127.0.0.1:1/none",
      PORT: String(port),
      API_WORKERS: "2",
      RATE_LIMIT_PER_MINUTE: "0",
    },
  });
  let output = "";
  child.stdout!.on("data", (d) => {
    output += d;
  });
  child.stderr!.on("data", (d) => {
    output += d;
  });
  try {
    const deadline = Date.now() + 60_000;
    while (!/\(2 processes\)/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`The API did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = `http://127.0.0.1:${port}`;
    const n = 12;
    const body = JSON.stringify({ query: `{ receipt(id: "0x${"12".repeat(32)}") { id } }` });
    // DATABASE_UNAVAILABLE is a 503 (retryable).
    for (let i = 0; i < n; i++) expect(await postOnNewConnection(`${url}/graphql`, body)).toBe(503);
    // Whichever worker answers the scrape, the figures are the sum over both.
    for (let scrape = 0; scrape < 3; scrape++) {
      const response = await fetch(`${url}/metrics`, { headers: { connection: "close" } });
      expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      const text = await response.text();
      expect(
        sampleOf(text, "settlescan_api_requests_total", { route: "/graphql", method: "POST", status: "503" }),
      ).toBe(n);
      expect(sampleOf(text, "settlescan_api_sql_statements_total", { outcome: "unavailable" })).toBe(n);
      const heaps = parseExposition(text).samples.filter((s) => s.name === "settlescan_api_heap_used_bytes");
      expect(heaps.map((s) => s.labels.worker).sort()).toEqual(["0", "1"]);
      const lags = parseExposition(text).samples.filter((s) => s.name === "settlescan_api_event_loop_lag_seconds");
      expect(lags.map((s) => `${s.labels.worker} ${s.labels.quantile}`).sort()).toEqual([
        "0 0.5",
        "0 0.99",
        "0 1",
        "1 0.5",
        "1 0.99",
        "1 1",
      ]);
    }
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    process.kill(-child.pid!, "SIGTERM");
    await exited;
  }
}, 90_000);
