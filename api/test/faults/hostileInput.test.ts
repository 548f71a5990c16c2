import { afterAll, beforeAll, expect, inject, test } from "vitest";
import { startStandalone } from "../environment";
import { HOSTILE_HEAP_CAP, hostileCase } from "./apiFaultCases";

// Issue 7, point 5: generated hostile requests against the standalone API (its own process, rate limit off, so the
// server's RSS is that of the run). CI sends HOSTILE_QUERIES (1500); the long run 10,000.
const COUNT = Number(process.env.HOSTILE_QUERIES ?? 1500);
/** Per-request limit of the issue. */
const LIMIT_MS = 200;
/** RSS growth allowed after the warm-up (the first fifth of the run): under the heap cap, far below 1,500 leaks. */
const MAX_RSS_GROWTH_MB = 64;

const { readerUrl } = inject("api");
const log = (line: string) => console.log(`[faults] ${line}`);
let api: Awaited<ReturnType<typeof startStandalone>>;

beforeAll(async () => {
  api = await startStandalone({
    databaseUrl: readerUrl,
    env: { RATE_LIMIT_PER_MINUTE: "0", NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} ${HOSTILE_HEAP_CAP}` },
  });
});
afterAll(() => api?.stop());

test(`behavior: ${COUNT} hostile requests, none 5xx, each within ${LIMIT_MS} ms, memory bounded`, async () => {
  const result = await hostileCase({
    url: api.url,
    pid: api.process.pid!,
    count: COUNT,
    limitMs: LIMIT_MS,
    deadlineMs: 60_000,
    log,
  });
  log(JSON.stringify(result));
  expect(result.details.failures).toEqual([]);
  expect(result).toMatchObject({ tries: COUNT, survived: COUNT, fiveXx: 0 });
  expect(result.details.slow).toEqual([]);
  const { rssWarmMb, rssAfterMb } = result.details as { rssWarmMb: number; rssAfterMb: number };
  expect(rssAfterMb - rssWarmMb).toBeLessThan(MAX_RSS_GROWTH_MB);
}, 120_000);
