import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  ALICE,
  closedUrl,
  type SignedResponse,
  startVerifyNetwork,
  type VerifyNetwork,
} from "../../abis/src/verify/testNetwork";
import { runSettlescan } from "./testCli";

let network: VerifyNetwork;
let directory: string;
let snapshot: `0x${string}`;

beforeAll(async () => {
  network = await startVerifyNetwork();
  directory = await mkdtemp(join(tmpdir(), "settlescan-cli-"));
  await writeFile(join(directory, "profile.json"), JSON.stringify(network.profileJson, null, 2));
}, 60_000);
afterAll(async () => {
  await network?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});
beforeEach(async () => {
  snapshot = await network.client.snapshot();
});
afterEach(async () => {
  await network.client.revert({ id: snapshot });
});

/** Runs `settlescan <args>` in the test directory, as a user would from a shell. */
const settlescan = (args: string[]) => runSettlescan(args, directory);

/** `settlescan verify <file> --network profile.json …`, the response (and request) saved to files first. */
async function verify(one: SignedResponse | string, { request = false, args = [] as string[] } = {}) {
  const response = typeof one === "string" ? one : one.response;
  await writeFile(join(directory, "response.json"), response);
  const extra = request && typeof one !== "string" ? ["--request", "request.json"] : [];
  if (extra.length > 0) await writeFile(join(directory, "request.json"), (one as SignedResponse).request);
  return settlescan(["verify", "response.json", "--network", "profile.json", ...extra, ...args]);
}

/** The lines of the human report that show checks, as `mark name`. */
const marks = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => /^[✓✗–] /.test(line))
    .map((line) => line.split(/\s+/).slice(0, 2).join(" "));

/** The message with its run-dependent parts (loopback ports) named. */
const stable = (text: string) => text.replace(/http:\/\/127\.0\.0\.1:\d+/g, "<url>");

describe("settlescan verify", () => {
  test("default: a response settled in a batch is proven, exit 0, one line per check with its source", async () => {
    const batch = [await network.respond(), await network.respond()];
    await network.settleBatch(batch);

    const run = await verify(batch[0]!, { request: true });
    console.log(`settlescan verify (batch) took ${Math.round(run.ms)} ms, process start included.`);

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
    expect(run.stdout).toContain(
      "– nitro        AWS Nitro attestation unverifiable (not counted in the state): not an AWS Nitro attestation document: the devnet's documents are not signed by AWS.",
    );
    expect(run.stdout).toContain("State: proven — settled officially in a batch in block");
    expect(run.stdout).toContain(`[Walrus aggregator ${network.walrus.aggregatorUrl}/v1/blobs/`);
    expect(run.stdout).toContain(`RPC ${network.anvil.rpcUrl} (chain 10740)`);
    expect(run.stdout).toContain("[response.json and request.json]");
  });

  test("behavior: a response settled individually is proven, exit 0", async () => {
    const one = await network.respond();
    await network.settleIndividual(one);

    const run = await verify(one);
    console.log(`settlescan verify (individual) took ${Math.round(run.ms)} ms, process start included.`);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain("State: proven — settled officially individually in block");
  });

  test("behavior: a saved SSE stream is verified like a body", async () => {
    const one = await network.respond({ kind: "stream" });
    await network.settleBatch([one]);

    const run = await verify(one);

    expect(one.response.startsWith("data: ")).toBe(true);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("response response.json: SSE stream:");
  });

  test("behavior: --json prints the inference id, state, checks and sources", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);

    const run = await verify(one, { args: ["--json"] });

    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ inferenceId: one.fields.inferenceId, state: "proven" });
    expect(report.checks.map((check: { name: string; ok: boolean }) => [check.name, check.ok])).toEqual([
      ["content", true],
      ["settlement", true],
      ["inclusion", true],
      ["attestation", true],
      ["provenance", true],
      ["uniqueness", true],
    ]);
    expect(report.checks.every((check: { source: string }) => check.source.length > 0)).toBe(true);
    expect(report.enclaveAttestation).toMatchObject({
      result: "unverifiable",
      ok: null,
      reasons: ["not an AWS Nitro attestation document: the devnet's documents are not signed by AWS"],
    });
    expect(report.enclaveAttestation.source).toContain(`RPC ${network.anvil.rpcUrl} (chain 10740) at block `);
    expect(report.sources.map((source: { kind: string }) => source.kind)).toEqual(["response", "rpc", "aggregator"]);
  });

  test("behavior: tampered content exits 1, saying the content is not what the enclave signed", async () => {
    const one = await network.respond({ content: "Transfer 10 OPG to the usual address." });
    await network.settleBatch([one]);

    const run = await verify(one.response.replace("10 OPG", "1000 OPG"));

    expect(run.status).toBe(1);
    expect(marks(run.stdout)[0]).toBe("✗ content");
    expect(run.stdout).toContain("State: invalid_proof — the content you received is not what the enclave signed");
  });

  test("behavior: a tampered signature exits 1 on attestation", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);
    const body = JSON.parse(one.response);
    body.tee_signature = `${body.tee_signature[0] === "A" ? "B" : "A"}${body.tee_signature.slice(1)}`;

    const run = await verify(JSON.stringify(body));

    expect(run.status).toBe(1);
    expect(marks(run.stdout)).toContain("✗ attestation");
    expect(run.stdout).toContain("your response's tee_signature does not verify with the registered key");
  });

  test("behavior: a settlement posted by an account that is not a known signer exits 1 as unofficial", async () => {
    const one = await network.respond();
    await network.settleBatch([one], { from: ALICE });

    const run = await verify(one);

    expect(run.status).toBe(1);
    expect(marks(run.stdout)).toContain("✗ provenance");
    expect(run.stdout).toContain(
      `State: unofficial — settled only by accounts that are not the network's facilitators`,
    );
    expect(run.stdout).toContain(`from ${ALICE.address}`);
  });

  test("behavior: a batch whose blob is withheld exits 1, not settled yet, with the reason", async () => {
    const one = await network.respond();
    const settled = await network.settleBatch([one], { withhold: true });

    const run = await verify(one);

    expect(run.status).toBe(1);
    expect(run.stdout).toContain("State: pending — not settled yet: the blob is not available for 1 batch");
    expect(run.stdout).toContain(
      `its blob ${settled.blobId} is not available (HTTP 404 from ${network.walrus.aggregatorUrl}/v1/blobs/${settled.blobId})`,
    );
  });

  test("behavior: an inference nobody settled exits 1, not settled", async () => {
    const run = await verify(await network.respond());

    expect(run.status).toBe(1);
    expect(run.stdout).toContain("State: not_settled — not settled yet: no settlement of this inference in blocks");
  });

  test("args: an unreachable RPC exits 2, naming the URL", async () => {
    const rpcUrl = await closedUrl();

    const run = await verify(await network.respond(), { args: ["--rpc", rpcUrl] });

    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `The verification chain RPC ${rpcUrl} is unreachable (connect ECONNREFUSED); pass a reachable RPC of chain 10740.`,
    );
  });

  test("args: a response without tee_signature exits 2, naming the file and the field", async () => {
    const body = JSON.parse((await network.respond()).response);
    delete body.tee_signature;

    const run = await verify(JSON.stringify(body));

    expect(run.status).toBe(2);
    expect(run.stderr).toMatchInlineSnapshot(
      `"response.json: field "tee_signature" is missing, expected standard base64 (the RSA-PSS signature)."`,
    );
  });

  test("args: a file that is not a response exits 2, naming the file", async () => {
    const notJson = await verify("<html>502 Bad Gateway</html>");
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatchInlineSnapshot(
      `"response.json: response body "<html>502 Bad Gateway</html>" is neither a JSON object nor an SSE stream of "data:" frames."`,
    );

    const missing = await settlescan(["verify", "nowhere.json", "--network", "profile.json"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatchInlineSnapshot(
      `"nowhere.json: cannot be read (ENOENT); expected the path of a saved gateway response (JSON body or SSE stream)."`,
    );
  });

  test("args: a request file that is not a request exits 2, naming the file and the field", async () => {
    const one = await network.respond();
    await writeFile(join(directory, "response.json"), one.response);
    await writeFile(
      join(directory, "request.json"),
      JSON.stringify({ model: "gpt-4.1", messages: [{ role: "robot" }] }),
    );

    const run = await settlescan(["verify", "response.json", "--request", "request.json", "--network", "profile.json"]);

    expect(run.status).toBe(2);
    expect(run.stderr).toMatchInlineSnapshot(
      `"request.json: field "messages[0].role" is "robot", expected one of "system", "user", "assistant", "tool", "function" (or "developer", hashed as "system")."`,
    );
  });

  test("args: with --json, an error is JSON too (and the message still goes to stderr)", async () => {
    const rpcUrl = await closedUrl();

    const run = await verify(await network.respond(), { args: ["--rpc", rpcUrl, "--json"] });

    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: { kind: "VerifySourceError", message: run.stderr } });
  });

  test("args: --help prints the usage and exits 0", async () => {
    const run = await settlescan(["verify", "--help"]);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: settlescan verify <response\.json> \[options\]/);
    expect(run.stdout).toContain(
      "Exit status: 0 proven; 1 a check failed, unofficial, not settled, pending, or a legacy",
    );
  });

  test("args: a bad flag, a bad URL or an unknown profile exits 2", async () => {
    const one = await network.respond();

    const badUrl = await verify(one, { args: ["--aggregator", "walrus.example"] });
    expect([badUrl.status, badUrl.stderr]).toMatchInlineSnapshot(`
      [
        2,
        "--aggregator "walrus.example" is not an http(s) URL; expected e.g. http://127.0.0.1:8546.",
      ]
    `);

    const badProfile = await settlescan(["verify", "response.json", "--network", "mainnet"]);
    expect(badProfile.status).toBe(2);
    expect(stable(badProfile.stderr)).toMatchInlineSnapshot(
      `"SETTLESCAN_NETWORK is "mainnet", expected a profile path (a .json file) or a built-in name: devnet, opengradient."`,
    );

    const unknown = await settlescan(["verify", "response.json", "--rcp", "http://127.0.0.1:1"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--rcp'");

    const noCommand = await settlescan(["check", "response.json"]);
    expect(noCommand.status).toBe(2);
    expect(noCommand.stderr).toContain(`Unknown command "check".`);
  });
});
