// `settlescan verify` on real devnet gateway responses (issue #15's acceptance): the devnet's chains, contracts and
// blob service, its facilitator and TEE gateway on loopback; paid x402 requests answered over HTTP, settled by the
// facilitator (faults through X-Devnet-Fault), and the real bin run on each saved response.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closedUrl } from "../../abis/src/verify/testNetwork";
import { CLIENTS, UNOFFICIAL_POSTER } from "../../devnet/src/accounts";
import type { GatewayFault } from "../../devnet/src/gateway/gateway";
import { devnetProfileOf } from "../../devnet/src/profile";
import { createPayingFetch, type PaidCompletion, requestCompletion } from "../../devnet/src/x402/client";
import type { SettlementType } from "../../devnet/src/x402/settleData";
import { startTestDevnet, startTestServers, type TestDevnet, type TestServers } from "../../devnet/src/x402/testDevnet";
import { runSettlescan } from "./testCli";

/** Runs of each verification timed; the median is printed. */
const RUNS = 3;

const ALICE = CLIENTS[0]!;

let devnet: TestDevnet;
let servers: TestServers;
let directory: string;
/** Every response, saved as the gateway sent it, with the request that asked for it. */
const paid: Record<
  "batch" | "individual" | "unofficial" | "withheld",
  { completion: PaidCompletion; request: string }
> = {} as never;
/** Per verification: wall time of each run (process start included) and the verifier's own "Verified in N ms". */
const timings: { name: string; ms: number[]; verifierMs: number[] }[] = [];

let counter = 0;
async function ask(settlementType: SettlementType, faults: GatewayFault[] = []) {
  const body = {
    model: "openai/gpt-4.1",
    messages: [
      { role: "system", content: "You are a mirror." },
      { role: "user", content: `verify me on the devnet #${++counter}` },
    ],
    temperature: 0.5,
  };
  const completion = await requestCompletion({
    fetch: createPayingFetch({ account: ALICE }),
    url: servers.gatewayUrl,
    request: { kind: "chat", body, settlementType, faults },
  });
  return { completion, request: JSON.stringify(body) };
}

beforeAll(async () => {
  devnet = await startTestDevnet();
  // Batches wait for the explicit flush below (the real buffer is 20 items or minutes of idleness).
  servers = await startTestServers(devnet, { batch: { size: 1_000, idleMs: 600_000 }, releaseAfterMs: 600_000 });
  directory = await mkdtemp(join(tmpdir(), "settlescan-cli-devnet-"));
  await writeFile(join(directory, "profile.json"), JSON.stringify(devnetProfileOf(devnet.deployment), null, 2));

  paid.batch = await ask("batch");
  paid.individual = await ask("individual");
  paid.unofficial = await ask("batch", ["unofficial"]);
  // `pending`: the facilitator turns the blob service's withhold knob before it posts the root, and never releases it.
  paid.withheld = await ask("batch", ["pending"]);
  await servers.flush();
  const settled = () =>
    ["individual", undefined, "unofficial", "pending"].every((fault) =>
      servers.settlements.some((s) =>
        fault === "individual" ? s.kind === "individual" : s.kind === "batch" && s.fault === fault,
      ),
    );
  for (const deadline = Date.now() + 30_000; !settled(); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > deadline)
      throw new Error(
        `Settlements not all mined: ${JSON.stringify(servers.settlements.map((s) => [s.kind, s.fault]))}`,
      );
}, 120_000);

afterAll(async () => {
  const line = timings
    .map(
      ({ name, ms, verifierMs }) =>
        `${name} ${Math.round(median(ms))} ms${verifierMs.length > 0 ? ` (verifier ${median(verifierMs)} ms)` : ""}`,
    )
    .join(", ");
  if (line)
    console.log(
      `settlescan verify on devnet responses, median of ${RUNS} runs, process start included (verifier: its "Verified in" time): ${line}`,
    );
  await servers?.close();
  await devnet?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `settlescan <args>` in the test directory, as a user would from a shell. */
const settlescan = (args: string[]) => runSettlescan(args, directory);

/** Saves the response (and request) under `name`, runs `settlescan verify` on it RUNS times, records the times. */
async function verify(
  name: string,
  response: string,
  { request, args = [] }: { request?: string; args?: string[] } = {},
) {
  await writeFile(join(directory, `${name}.json`), response);
  const extra = request === undefined ? [] : ["--request", `${name}.request.json`];
  if (request !== undefined) await writeFile(join(directory, `${name}.request.json`), request);
  const runs = [];
  for (let i = 0; i < RUNS; i++)
    runs.push(await settlescan(["verify", `${name}.json`, "--network", "profile.json", ...extra, ...args]));
  const verifierMs = runs.flatMap((run) => {
    const match = /Verified in (\d+) ms/.exec(run.stdout);
    return match ? [Number(match[1])] : [];
  });
  timings.push({ name, ms: runs.map((run) => run.ms), verifierMs });
  // Every run reads the same chain and blobs: they must agree.
  expect(new Set(runs.map((run) => run.status)).size).toBe(1);
  return runs[0]!;
}

/** The lines of the human report that show checks, as `mark name`. */
const marks = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => /^[✓✗–] /.test(line))
    .map((line) => line.split(/\s+/).slice(0, 2).join(" "));

describe("settlescan verify on devnet gateway responses", () => {
  test("default: a response the facilitator settled in a batch is proven, exit 0", async () => {
    const { completion, request } = paid.batch;

    const run = await verify("batch", completion.text, { request });

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(marks(run.stdout)).toEqual([
      "✓ content",
      "✓ settlement",
      "✓ inclusion",
      "✓ attestation",
      "✓ provenance",
      "✓ uniqueness",
      "– nitro",
    ]);
    expect(run.stdout).toContain(`Inference ${completion.fields.inferenceId}`);
    expect(run.stdout).toContain("the request's canonical hash equals tee_request_hash");
    expect(run.stdout).toContain("(RSA-PSS, SHA-256, salt 32 (current, since 2026-03-06))");
    expect(run.stdout).toContain("State: proven — settled officially in a batch in block");
    expect(run.stdout).toContain(`[Walrus aggregator ${devnet.deployment.walrus.aggregatorUrl}/v1/blobs/`);
  });

  test("behavior: a response settled individually (X-Settlement-Type: individual) is proven, exit 0", async () => {
    const { completion } = paid.individual;
    expect(completion.headers.get("X-Settlement-Tx-Hash")).toMatch(/^0x[0-9a-f]{64}$/);

    const run = await verify("individual", completion.text);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain("State: proven — settled officially individually in block");
    expect(run.stdout).toContain(completion.headers.get("X-Settlement-Tx-Hash")!);
  });

  test("behavior: tampered content exits 1 on the content check", async () => {
    const { completion } = paid.batch;
    const content = JSON.parse(completion.text).choices[0].message.content as string;
    const tampered = completion.text.replace(JSON.stringify(content).slice(1, -1), "Send 1000 OPG to 0xdead.");
    expect(tampered).not.toBe(completion.text);

    const run = await verify("tampered-content", tampered);

    expect(run.status).toBe(1);
    expect(marks(run.stdout)[0]).toBe("✗ content");
    expect(run.stdout).toContain("State: invalid_proof — the content you received is not what the enclave signed");
  });

  test("behavior: a tampered signature exits 1 on attestation", async () => {
    const body = JSON.parse(paid.batch.completion.text);
    body.tee_signature = `${body.tee_signature[0] === "A" ? "B" : "A"}${body.tee_signature.slice(1)}`;

    const run = await verify("tampered-signature", JSON.stringify(body, null, 2));

    expect(run.status).toBe(1);
    expect(marks(run.stdout)).toContain("✗ attestation");
    expect(run.stdout).toContain(
      "your response's tee_signature does not verify with the registered key under any of the gateway's signature schemes",
    );
    expect(run.stdout).toContain("State: invalid_proof — the settlement that counts fails attestation");
  });

  test("behavior: a batch posted by the devnet's unofficial poster exits 1 as unofficial, on provenance", async () => {
    const run = await verify("unofficial", paid.unofficial.completion.text);

    expect(run.status).toBe(1);
    expect(marks(run.stdout)).toContain("✗ provenance");
    expect(run.stdout).toContain(`posted by ${UNOFFICIAL_POSTER.address}, who is not a known signer of relay`);
    expect(run.stdout).toContain(
      `State: unofficial — settled only by accounts that are not the network's facilitators (tx `,
    );
  });

  test("behavior: a batch whose blob is withheld exits 1, not settled yet, with the reason", async () => {
    const withheld = servers.settlements.find((s) => s.kind === "batch" && s.fault === "pending")!;

    const run = await verify("withheld", paid.withheld.completion.text);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain("State: pending — not settled yet: the blob is not available for 1 batch");
    expect(run.stdout).toContain(
      `its blob ${withheld.blobId} is not available (HTTP 404 from ${devnet.deployment.walrus.aggregatorUrl}/v1/blobs/${withheld.blobId})`,
    );
  });

  test("args: an unreachable RPC exits 2, naming the URL", async () => {
    const rpcUrl = await closedUrl();

    const run = await verify("unreachable", paid.batch.completion.text, { args: ["--rpc", rpcUrl] });

    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `The verification chain RPC ${rpcUrl} is unreachable (connect ECONNREFUSED); pass a reachable RPC of chain 10740.`,
    );
  });
});
