// The API's rows of the fault suite's long run (`pnpm test:faults` runs it after the indexer's): 10,000 hostile
// requests against the standalone API, and PostgreSQL restarts under its load. Prints the same table as the indexer's
// long run, with the API's columns. Sizes are overridable: HOSTILE_QUERIES, PG_RESTARTS, RECEIPTS.
import { startEnvironment, startStandalone } from "../environment";
import { type ApiFaultResult, hostileCase, postgresRestartCase } from "./apiFaultCases";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const log = (line: string) => console.log(`[faults] ${line}`);

const environment = await startEnvironment({ seed: "faults", receipts: env("RECEIPTS", 600) });
const rows: ApiFaultResult[] = [];
try {
  const cases: [string, () => Promise<ApiFaultResult>][] = [
    [
      "hostile input",
      async () => {
        // Unlike CI's short run, the heap is not capped: the memory column shows where RSS settles by itself.
        const api = await startStandalone({ databaseUrl: environment.readerUrl, env: { RATE_LIMIT_PER_MINUTE: "0" } });
        try {
          return await hostileCase({ url: api.url, pid: api.process.pid!, count: env("HOSTILE_QUERIES", 10_000), log });
        } finally {
          await api.stop();
        }
      },
    ],
    [
      "postgres restart",
      () =>
        postgresRestartCase({
          sourceUrl: environment.postgres.url,
          receiptIds: environment.manifest.receipts.slice(0, 50).map((r) => r.receiptId),
          restarts: env("PG_RESTARTS", 5),
          downMs: 5_000,
          log,
        }),
    ],
  ];
  for (const [name, run] of cases) {
    const started = performance.now();
    try {
      rows.push(await run());
    } catch (error) {
      log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      rows.push({ fault: name, tries: 0, survived: 0, fiveXx: -1, maxMs: -1, p99Ms: -1, details: {} });
    }
    log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s ${JSON.stringify(rows.at(-1)!.details)}`);
  }
} finally {
  await environment.stop();
}

const header = ["case", "tries", "survived", "5xx", "max ms", "p99 ms", "memory MB (start → warm → end)"];
const cells = rows.map((r) => {
  const d = r.details as { rssBeforeMb?: number; rssWarmMb?: number; rssAfterMb?: number };
  return [
    r.fault,
    r.tries,
    r.survived,
    r.fiveXx,
    r.maxMs,
    r.p99Ms,
    d.rssBeforeMb === undefined ? "-" : `${d.rssBeforeMb} → ${d.rssWarmMb} → ${d.rssAfterMb}`,
  ].map(String);
});
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${cells.map(line).join("\n")}`);
process.exit(rows.every((r) => r.tries > 0 && r.survived === r.tries && r.fiveXx === 0) ? 0 : 1);
