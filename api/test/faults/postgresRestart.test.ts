import { expect, inject, test } from "vitest";
import { postgresRestartCase } from "./apiFaultCases";

// Issue 7, point 4: PostgreSQL restarts under the standalone API's load. During the outage every answer is a 503
// with a code (never a hang, never another 5xx); afterwards the same API process answers right again.
const { adminUrl, manifest } = inject("api");
const log = (line: string) => console.log(`[faults] ${line}`);

test("behavior: PostgreSQL restarts while the standalone API is under load", async () => {
  const result = await postgresRestartCase({
    sourceUrl: adminUrl,
    receiptIds: manifest.receipts.slice(0, 24).map((r) => r.receiptId),
    downMs: 3_000,
    log,
  });
  log(JSON.stringify(result));
  expect(result.details.wrong).toEqual([]);
  expect(result).toMatchObject({ tries: 1, survived: 1, fiveXx: 0 });
  const seen = result.details.seen as Record<string, Record<string, number>>;
  expect(Object.keys(seen.down!)).toEqual(["503 DATABASE_UNAVAILABLE"]);
  expect(Object.keys(seen.after!)).toEqual(["200 right"]);
  // The request timeout is 10 s; an outage answers far sooner.
  expect(result.maxMs).toBeLessThan(5_000);
}, 120_000);
