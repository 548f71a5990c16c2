// Scenario generation time: a fresh devnet per size, the seeded plan played onto both chains and the blob service,
// manifest built. A size is the number of inferences: half exact-link receipts, half facilitator inferences.
// Prints a table; `SIZES=1000,5000` overrides the sizes. Target (issue #3): 100k in under 5 minutes.
import { FACILITATOR, FACILITATOR_2, PAYEE } from "../src/accounts";
import { startDevnet } from "../src/devnet";
import { planScenario, SCENARIO_START_TIME } from "../src/scenarioPlan";
import { runScenario } from "../src/scenarioRun";

const sizes = (process.env.SIZES ?? "10000,100000").split(",").map(Number);
const rows: string[][] = [];

for (const size of sizes) {
  const receipts = Math.ceil(size / 2);
  const devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
  try {
    const started = performance.now();
    const plan = planScenario({
      seed: `bench-${size}`,
      receipts,
      inferences: size - receipts,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
    });
    const planned = performance.now();
    const manifest = await runScenario({ deployment: devnet.deployment, plan });
    const seconds = (performance.now() - started) / 1000;
    rows.push([
      size.toLocaleString("en-US"),
      ((planned - started) / 1000).toFixed(1),
      seconds.toFixed(1),
      Math.round(size / seconds).toLocaleString("en-US"),
      String(plan.rounds.length),
      manifest.payments.length.toLocaleString("en-US"),
      manifest.settlements.length.toLocaleString("en-US"),
      `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
    ]);
    console.log(`[bench] ${size} inferences: ${seconds.toFixed(1)} s`);
  } finally {
    await devnet.stop();
  }
}

const header = ["inferences", "plan s", "total s", "inferences/s", "rounds", "payments", "settlements", "rss"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
console.log(
  `\nScenario generation (devnet: 2 anvil nodes and the blob service)\n${line(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
);
for (const row of rows) console.log(line(row));
