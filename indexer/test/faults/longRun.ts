// The long run of the fault suite (`pnpm test:faults`): many more reorgs and kills than CI's short form, and a
// five-minute outage. Prints one row per case; the target is 0 lost, 0 duplicated, 0 mis-stated everywhere.
// Sizes are overridable: REORGS, KILLS, OUTAGE_SECONDS, RECEIPTS.
import { type FaultResult, killBackfillCase, killLiveCase, reorgCase, rpcFaultCase } from "./faultCases";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const log = (line: string) => console.log(`[faults] ${line}`);

const cases: [string, () => Promise<FaultResult>][] = [
  ["reorgs", () => reorgCase({ reorgs: env("REORGS", 100), log })],
  ["kill backfill", () => killBackfillCase({ kills: env("KILLS", 20), receipts: env("RECEIPTS", 5000), log })],
  ["kill live", () => killLiveCase({ kills: env("KILLS", 20), log })],
  ["rpc faults", () => rpcFaultCase({ rate: 0.1, outageMs: env("OUTAGE_SECONDS", 300) * 1000, rounds: 8, log })],
];

const rows: FaultResult[] = [];
for (const [name, run] of cases) {
  const started = performance.now();
  try {
    rows.push(await run());
  } catch (error) {
    log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    rows.push({
      fault: name,
      tries: 0,
      survived: 0,
      equal: false,
      tablesDiffering: ["(crashed)"],
      receipts: 0,
      lost: -1,
      duplicated: -1,
      misstated: -1,
    });
  }
  log(`${name}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const header = ["case", "tries", "survived", "receipts", "lost", "duplicated", "mis-stated", "tables equal"];
const cells = rows.map((r) =>
  [
    r.fault,
    r.tries,
    r.survived,
    r.receipts,
    r.lost,
    r.duplicated,
    r.misstated,
    r.equal ? "yes" : `no: ${r.tablesDiffering.join(",")}`,
  ].map(String),
);
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(" | ")} |`;
console.log(`\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n${cells.map(line).join("\n")}`);
process.exit(rows.every((r) => r.equal && r.lost === 0 && r.duplicated === 0 && r.misstated === 0) ? 0 : 1);
