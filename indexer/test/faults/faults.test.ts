import { describe, expect, test } from "vitest";
import { killBackfillCase, killLiveCase, reorgCase, rpcFaultCase } from "./faultCases";

// The short form of the fault suite (the long run is `pnpm test:faults`): every case ends with the disturbed
// index equal to a fresh, undisturbed index of the same final chains — nothing lost, duplicated or mis-stated.
const log = (line: string) => console.log(`[faults] ${line}`);
const clean = { lost: 0, duplicated: 0, misstated: 0, tablesDiffering: [] as string[], equal: true };

describe("faults", () => {
  test("behavior: 20 reorgs of depth 1–10 during live indexing", async () => {
    const result = await reorgCase({ reorgs: 20, log });
    log(JSON.stringify(result));
    expect(result).toMatchObject({ ...clean, survived: 20 });
  }, 600_000);

  test("behavior: 5 kill -9 during a backfill", async () => {
    const result = await killBackfillCase({ kills: 5, receipts: 3000, log });
    log(JSON.stringify(result));
    expect(result).toMatchObject({ ...clean, survived: 5 });
  }, 600_000);

  test("behavior: 5 kill -9 during live indexing", async () => {
    const result = await killLiveCase({ kills: 5, log });
    log(JSON.stringify(result));
    expect(result).toMatchObject({ ...clean, survived: 5 });
  }, 600_000);

  test("behavior: 10% RPC faults and a 20 s outage of one chain", async () => {
    const result = await rpcFaultCase({ rate: 0.1, outageMs: 20_000, rounds: 6, log });
    log(JSON.stringify(result));
    expect(result).toMatchObject(clean);
  }, 600_000);
});
