// A seeded stack to look at the explorer by hand: `pnpm --filter @settlescan/web stack -- --receipts 300`.
// Prints the explorer's and the API's URLs; Ctrl-C stops everything.
import { parseArgs } from "node:util";
import { startStack } from "../test/stack";

const { values } = parseArgs({
  options: { seed: { type: "string", default: "explorer" }, receipts: { type: "string", default: "300" } },
});
const stack = await startStack({ seed: values.seed, receipts: Number(values.receipts) });
console.log(`[web] explorer ${stack.webUrl}  ·  API ${stack.apiUrl}/graphql`);
const firstOfState = new Map<string, string>();
for (const r of stack.manifest.receipts) if (!firstOfState.has(r.state)) firstOfState.set(r.state, r.receiptId);
for (const [state, id] of firstOfState) console.log(`  receipt ${state}: ${stack.webUrl}/receipt/${id}`);
const firstInference = new Map<string, string>();
for (const i of stack.manifest.inferences)
  if (i.state !== "not_indexed" && !firstInference.has(`${i.state} ${i.route}`))
    firstInference.set(`${i.state} ${i.route}`, i.inferenceId);
for (const [kind, id] of firstInference) console.log(`  inference ${kind}: ${stack.webUrl}/inference/${id}`);
const stop = async () => {
  await stack.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
