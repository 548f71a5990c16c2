import cluster from "node:cluster";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";

/**
 * The API's Prometheus metrics, in the text exposition format 0.0.4, with no client library: a registry of counters,
 * gauges and histograms whose series are created once per label set and then updated in place, so the hot path
 * (every request, every SQL statement) adds to numbers and allocates nothing.
 */

/** What the exposition format's `# TYPE` line says. */
export type MetricType = "counter" | "gauge" | "histogram";

/** One series as it crosses processes (node:cluster IPC): its rendered labels and its numbers. */
export type SeriesSnapshot = { labels: string; value: number; counts?: number[] };
/** One metric with every series, as a worker reports it to the primary. */
export type MetricSnapshot = {
  name: string;
  help: string;
  type: MetricType;
  buckets?: number[];
  series: SeriesSnapshot[];
};

type Series = { labels: string; value: number; counts?: Float64Array };
type Metric = {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  buckets?: readonly number[];
  series: Map<string, Series>;
  /** Sets a gauge's value(s) just before each scrape. */
  collect?: () => void;
};

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value as the exposition format quotes it: backslash, double quote and line feed escaped. */
export const escapeLabelValue = (value: string) =>
  value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (help: string) => help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

/** `a="x",b="y"`: the inside of a series' braces. */
const renderLabels = (names: readonly string[], values: readonly string[]) =>
  names.map((name, i) => `${name}="${escapeLabelValue(values[i]!)}"`).join(",");

/** A number as the format writes it: `+Inf`, `-Inf`, `NaN` or a JavaScript number. */
const formatValue = (value: number) =>
  value === Number.POSITIVE_INFINITY
    ? "+Inf"
    : value === Number.NEGATIVE_INFINITY
      ? "-Inf"
      : Number.isNaN(value)
        ? "NaN"
        : String(value);

/** A counter's series: only goes up. */
export type CounterSeries = { inc: (by?: number) => void };
/** A gauge's series: set to the current value. */
export type GaugeSeries = { set: (value: number) => void };
/** A histogram's series: one observation at a time. */
export type HistogramSeries = { observe: (value: number) => void };

/** Request latencies in seconds: 1 ms to 10 s, dense around the API's 10 ms p99 target. */
export const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** SQL statement latencies in seconds: a receipt lookup is about half a millisecond; the timeout is 10 s. */
export const SQL_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * A set of metrics and their exposition. Each metric's `labels(...values)` returns its series for those label
 * values, created on first use: keep the handle (or let the registry's map find it) rather than building label
 * strings per event.
 * @example
 * const registry = createRegistry();
 * const requests = registry.counter("app_requests_total", "Requests served.", ["route"]);
 * requests.labels("/graphql").inc();
 * registry.metrics(); // '# HELP app_requests_total Requests served.\n# TYPE app_requests_total counter\n…'
 */
export function createRegistry() {
  const metrics = new Map<string, Metric>();

  function register(metric: Omit<Metric, "series">) {
    if (!NAME.test(metric.name)) throw new Error(`Metric name "${metric.name}" is not a valid Prometheus name.`);
    for (const label of metric.labelNames)
      if (!LABEL_NAME.test(label) || label.startsWith("__") || (metric.type === "histogram" && label === "le"))
        throw new Error(`Label name "${label}" of metric "${metric.name}" is not a valid Prometheus label name.`);
    if (metrics.has(metric.name)) throw new Error(`Metric "${metric.name}" is already registered.`);
    const registered: Metric = { ...metric, series: new Map() };
    metrics.set(metric.name, registered);
    return registered;
  }

  function seriesOf(metric: Metric, values: readonly string[]) {
    if (values.length !== metric.labelNames.length)
      throw new Error(
        `Metric "${metric.name}" takes ${metric.labelNames.length} label values (${metric.labelNames.join(", ")}), not ${values.length}.`,
      );
    // The key is cheap (no escaping); the rendered labels are built once, with the series.
    const key = values.length === 0 ? "" : values.length === 1 ? values[0]! : values.join("\u0000");
    let series = metric.series.get(key);
    if (!series) {
      series = { labels: renderLabels(metric.labelNames, values), value: 0 };
      if (metric.buckets) series.counts = new Float64Array(metric.buckets.length + 1);
      metric.series.set(key, series);
    }
    return series;
  }

  return {
    /** A counter: `name` should end in `_total`. */
    counter(name: string, help: string, labelNames: readonly string[] = []) {
      const metric = register({ name, help, type: "counter", labelNames });
      const labels = (...values: string[]): CounterSeries => {
        const series = seriesOf(metric, values);
        return {
          inc: (by = 1) => {
            series.value += by;
          },
        };
      };
      let unlabelled: CounterSeries | undefined;
      return {
        labels,
        /** For a metric without labels. */
        inc: (by = 1) => {
          unlabelled ??= labels();
          unlabelled.inc(by);
        },
      };
    },
    /** A gauge; with `collect`, its values are read just before each scrape. */
    gauge(
      name: string,
      help: string,
      labelNames: readonly string[] = [],
      collect?: (labels: (...values: string[]) => GaugeSeries) => void,
    ) {
      const metric = register({ name, help, type: "gauge", labelNames });
      const labels = (...values: string[]): GaugeSeries => {
        const series = seriesOf(metric, values);
        return {
          set: (value) => {
            series.value = value;
          },
        };
      };
      if (collect) metric.collect = () => collect(labels);
      let unlabelled: GaugeSeries | undefined;
      return {
        labels,
        /** For a metric without labels. */
        set: (value: number) => {
          unlabelled ??= labels();
          unlabelled.set(value);
        },
      };
    },
    /** A histogram over `buckets` (upper bounds, ascending; `+Inf` is implied). */
    histogram(name: string, help: string, labelNames: readonly string[] = [], buckets: readonly number[]) {
      if (buckets.some((b, i) => i > 0 && b <= buckets[i - 1]!) || buckets.length === 0)
        throw new Error(`Histogram "${name}" has buckets [${buckets.join(", ")}]: expected ascending upper bounds.`);
      const metric = register({ name, help, type: "histogram", labelNames, buckets });
      const observeOn = (series: Series) => (value: number) => {
        let i = 0;
        while (i < buckets.length && value > buckets[i]!) i++;
        series.counts![i]!++;
        series.value += value;
      };
      const labels = (...values: string[]): HistogramSeries => ({ observe: observeOn(seriesOf(metric, values)) });
      let unlabelled: HistogramSeries | undefined;
      return {
        labels,
        /** For a metric without labels. */
        observe: (value: number) => {
          unlabelled ??= labels();
          unlabelled.observe(value);
        },
      };
    },
    snapshot,
    /** The exposition (format 0.0.4) of every metric. */
    metrics: () => exposition(snapshot()),
  };

  /** Every metric's current series (gauges collected first), as they cross processes. */
  function snapshot(): MetricSnapshot[] {
    return [...metrics.values()].map((metric) => {
      metric.collect?.();
      return {
        name: metric.name,
        help: metric.help,
        type: metric.type,
        ...(metric.buckets ? { buckets: [...metric.buckets] } : {}),
        series: [...metric.series.values()].map((s) => ({
          labels: s.labels,
          value: s.value,
          ...(s.counts ? { counts: [...s.counts] } : {}),
        })),
      };
    });
  }
}

export type Registry = ReturnType<typeof createRegistry>;

/** The exposition's content type (Prometheus text format 0.0.4). */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Renders metrics in the text exposition format 0.0.4: histograms as cumulative `_bucket`s, `_sum` and `_count`. */
export function exposition(snapshots: readonly MetricSnapshot[]) {
  const lines: string[] = [];
  for (const { name, help, type, buckets, series } of snapshots) {
    lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    for (const { labels, value, counts } of series) {
      if (!buckets || !counts) {
        lines.push(`${name}${labels ? `{${labels}}` : ""} ${formatValue(value)}`);
        continue;
      }
      const prefix = labels ? `${labels},` : "";
      let cumulative = 0;
      for (let i = 0; i <= buckets.length; i++) {
        cumulative += counts[i]!;
        const le = i < buckets.length ? formatValue(buckets[i]!) : "+Inf";
        lines.push(`${name}_bucket{${prefix}le="${le}"} ${cumulative}`);
      }
      lines.push(`${name}_sum${labels ? `{${labels}}` : ""} ${formatValue(value)}`);
      lines.push(`${name}_count${labels ? `{${labels}}` : ""} ${cumulative}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Several processes' metrics as one: counters and histograms are summed over the processes (what a Prometheus user
 * expects of one server, however many processes it runs), while each process's gauges (heap, event-loop lag) keep
 * their own series under a `worker` label, since a sum of them would mean nothing.
 */
export function mergeSnapshots(perWorker: readonly { worker: string; metrics: readonly MetricSnapshot[] }[]) {
  const merged = new Map<string, MetricSnapshot & { byLabels: Map<string, SeriesSnapshot> }>();
  for (const { worker, metrics } of perWorker)
    for (const metric of metrics) {
      let into = merged.get(metric.name);
      if (!into) {
        into = { ...metric, series: [], byLabels: new Map() };
        merged.set(metric.name, into);
      }
      for (const series of metric.series) {
        const labels =
          metric.type === "gauge"
            ? `worker="${escapeLabelValue(worker)}"${series.labels ? `,${series.labels}` : ""}`
            : series.labels;
        const existing = into.byLabels.get(labels);
        if (!existing) {
          const copy = { labels, value: series.value, ...(series.counts ? { counts: [...series.counts] } : {}) };
          into.byLabels.set(labels, copy);
          into.series.push(copy);
          continue;
        }
        existing.value += series.value;
        if (existing.counts && series.counts)
          for (let i = 0; i < series.counts.length; i++) existing.counts[i]! += series.counts[i]!;
      }
    }
  return [...merged.values()].map(({ byLabels: _, ...metric }) => metric);
}

/** The API's instruments in `registry`: requests, latency, SQL statements and time, document cache. */
export function createApiMetrics(registry: Registry = createRegistry()) {
  return {
    registry,
    requests: registry.counter(
      "settlescan_api_requests_total",
      "HTTP requests answered, by route pattern, method and status.",
      ["route", "method", "status"],
    ),
    requestDuration: registry.histogram(
      "settlescan_api_request_duration_seconds",
      "Time from a request's arrival at the API's routes to its response (headers; a streamed body may take longer), by route pattern.",
      ["route"],
      REQUEST_BUCKETS,
    ),
    sqlStatements: registry.counter(
      "settlescan_api_sql_statements_total",
      "SQL statements run, by outcome (ok, error, unavailable).",
      ["outcome"],
    ),
    sqlDuration: registry.histogram(
      "settlescan_api_sql_duration_seconds",
      "Time from sending a SQL statement to its rows (or error), including waiting for a pooled connection.",
      [],
      SQL_BUCKETS,
    ),
    documentCacheHits: registry.counter(
      "settlescan_api_document_cache_hits_total",
      "GraphQL operations whose parsed document came from the document cache.",
    ),
    documentCacheMisses: registry.counter(
      "settlescan_api_document_cache_misses_total",
      "GraphQL operations parsed because their source was not in the document cache.",
    ),
  };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** The API's own registry, one per process: every host and module records into it. */
export const apiRegistry = createRegistry();
/** The API's instruments in `apiRegistry`. */
export const apiMetrics = createApiMetrics(apiRegistry);

// The SQL outcomes' series, held so that timing a statement allocates nothing.
const sqlOk = apiMetrics.sqlStatements.labels("ok");
const sqlError = apiMetrics.sqlStatements.labels("error");
const sqlUnavailable = apiMetrics.sqlStatements.labels("unavailable");
const sqlDuration = apiMetrics.sqlDuration.labels();

/** Records one SQL statement that took `ms` milliseconds. */
export function recordSql(ms: number, outcome: "ok" | "error" | "unavailable") {
  (outcome === "ok" ? sqlOk : outcome === "error" ? sqlError : sqlUnavailable).inc();
  sqlDuration.observe(ms / 1000);
}

/** `map`'s value at `key`, made and kept on first use. */
function memo<K, V>(map: Map<K, V>, key: K, make: () => V) {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Requests that no route matched share one label, so scanners' paths cannot grow the series without bound. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * Hono middleware counting and timing every request below it by route pattern (`/blob/:blobId`, never the raw path),
 * method and status.
 * @example
 * new Hono().use(requestMetrics()).route("/", apiRoutes({ db, tables }));
 */
export function requestMetrics({ metrics = apiMetrics }: { metrics?: ApiMetrics } = {}): MiddlewareHandler {
  // Series by route, method and status, found through nested maps so a request builds no key string.
  const requests = new Map<string, Map<string, Map<number, CounterSeries>>>();
  const durations = new Map<string, HistogramSeries>();
  const requestSeries = (route: string, method: string, status: number) => {
    const byMethod = memo(requests, route, () => new Map<string, Map<number, CounterSeries>>());
    const byStatus = memo(byMethod, method, () => new Map<number, CounterSeries>());
    return memo(byStatus, status, () => metrics.requests.labels(route, method, String(status)));
  };
  const durationSeries = (route: string) => memo(durations, route, () => metrics.requestDuration.labels(route));
  return async (c, next) => {
    const started = performance.now();
    const own = c.req.routeIndex;
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      // The route of the handler that answered; this middleware's own when none did (a 404 of the host).
      const route = c.req.routeIndex === own ? UNMATCHED_ROUTE : routePath(c);
      // Methods outside HTTP's few are one label too.
      const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : "other";
      requestSeries(route, method, status).inc();
      durationSeries(route).observe((performance.now() - started) / 1000);
    }
  };
}
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]);

let processMetricsStarted = false;
/**
 * Adds the process's basics to `apiRegistry`: heap, resident memory, CPU, event-loop lag (p99 and max since the
 * previous scrape) and garbage-collection pauses by kind. For the standalone host; inside the indexer, Ponder's own
 * `/metrics` already has them.
 */
export function collectProcessMetrics(registry = apiRegistry) {
  if (processMetricsStarted && registry === apiRegistry) return;
  if (registry === apiRegistry) processMetricsStarted = true;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  registry.gauge(
    "settlescan_api_event_loop_lag_seconds",
    "Event-loop delay since the previous scrape, by quantile (0.5, 0.99, 1 = max).",
    ["quantile"],
    (labels) => {
      labels("0.5").set(lag.count > 0 ? lag.percentile(50) / 1e9 : 0);
      labels("0.99").set(lag.count > 0 ? lag.percentile(99) / 1e9 : 0);
      labels("1").set(lag.count > 0 ? lag.max / 1e9 : 0);
      lag.reset();
    },
  );
  registry.gauge("settlescan_api_heap_used_bytes", "V8 heap in use.", [], (labels) =>
    labels().set(process.memoryUsage().heapUsed),
  );
  registry.gauge("settlescan_api_heap_total_bytes", "V8 heap reserved.", [], (labels) =>
    labels().set(process.memoryUsage().heapTotal),
  );
  registry.gauge("settlescan_api_resident_memory_bytes", "Resident set size.", [], (labels) =>
    labels().set(process.memoryUsage.rss()),
  );
  // A gauge per process (not a counter), so that the cluster's merge keeps one series per worker.
  registry.gauge("settlescan_api_cpu_seconds", "CPU time (user and system) this process has used.", [], (labels) => {
    const { user, system } = process.cpuUsage();
    labels().set((user + system) / 1e6);
  });
  const gc = registry.histogram(
    "settlescan_api_gc_duration_seconds",
    "Garbage-collection pauses, by kind (minor: scavenge; major: mark-compact).",
    ["kind"],
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
  );
  const kinds = new Map<number, HistogramSeries>();
  const kindName = (kind: number) =>
    kind === 1 ? "minor" : kind === 2 ? "major" : kind === 4 ? "incremental" : kind === 8 ? "weakcb" : "other";
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind ?? 0;
      memo(kinds, kind, () => gc.labels(kindName(kind))).observe(entry.duration / 1000);
    }
  }).observe({ entryTypes: ["gc"] });
}

/** The IPC messages between the primary and its workers. */
type ScrapeMessage =
  | { settlescanMetrics: "scrape"; id: number }
  | { settlescanMetrics: "collect"; id: number }
  | { settlescanMetrics: "snapshot"; id: number; worker: string; metrics: MetricSnapshot[] }
  | { settlescanMetrics: "merged"; id: number; text: string };

const isScrapeMessage = (message: unknown): message is ScrapeMessage =>
  typeof message === "object" && message !== null && "settlescanMetrics" in message;

/**
 * In the primary of `node:cluster`: answers a worker's scrape with every live worker's metrics merged
 * (`mergeSnapshots`), so whichever worker a scrape reaches, it sees the whole server. Workers that do not answer
 * within `timeoutMs` are left out of that scrape.
 */
export function serveClusterMetrics({ timeoutMs = 2_000 } = {}) {
  let next = 0;
  const pending = new Map<
    number,
    { snapshots: { worker: string; metrics: MetricSnapshot[] }[]; left: number; done: () => void }
  >();
  cluster.on("message", (worker, message: unknown) => {
    if (!isScrapeMessage(message)) return;
    if (message.settlescanMetrics === "snapshot") {
      const scrape = pending.get(message.id);
      if (!scrape) return;
      scrape.snapshots.push({ worker: message.worker, metrics: message.metrics });
      if (--scrape.left === 0) scrape.done();
      return;
    }
    if (message.settlescanMetrics !== "scrape") return;
    const workers = Object.values(cluster.workers ?? {}).filter((w) => w?.isConnected());
    const id = next++;
    const answer = () => {
      clearTimeout(timer);
      const scrape = pending.get(id);
      pending.delete(id);
      const snapshots = (scrape?.snapshots ?? []).sort((a, b) => Number(a.worker) - Number(b.worker));
      if (worker.isConnected())
        worker.send({ settlescanMetrics: "merged", id: message.id, text: exposition(mergeSnapshots(snapshots)) });
    };
    const timer = setTimeout(answer, timeoutMs);
    pending.set(id, { snapshots: [], left: workers.length, done: answer });
    for (const w of workers) w!.send({ settlescanMetrics: "collect", id });
  });
}

/**
 * The exposition a scrape of this process should answer: its own registry alone, or, in a worker of `node:cluster`,
 * every worker's merged by the primary (which must run `serveClusterMetrics`).
 */
export function clusterMetrics({ registry = apiRegistry, timeoutMs = 5_000 } = {}): () => Promise<string> {
  if (!cluster.isWorker || !process.send) return async () => registry.metrics();
  const worker = process.env.API_WORKER_INDEX ?? String(cluster.worker?.id ?? 0);
  let next = 0;
  const waiting = new Map<number, (text: string) => void>();
  process.on("message", (message: unknown) => {
    if (!isScrapeMessage(message)) return;
    if (message.settlescanMetrics === "collect")
      process.send!({ settlescanMetrics: "snapshot", id: message.id, worker, metrics: registry.snapshot() });
    else if (message.settlescanMetrics === "merged") {
      waiting.get(message.id)?.(message.text);
      waiting.delete(message.id);
    }
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = next++;
      // Without a primary to merge (it is stopping), this worker's own figures are better than no answer.
      const timer = setTimeout(() => {
        waiting.delete(id);
        resolve(registry.metrics());
      }, timeoutMs);
      waiting.set(id, (text) => {
        clearTimeout(timer);
        resolve(text);
      });
      process.send!({ settlescanMetrics: "scrape", id });
    });
}
