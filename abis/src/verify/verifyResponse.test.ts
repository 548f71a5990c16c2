import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getAbiItem, type Hex, keccak256, stringToHex, toEventSelector } from "viem";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { e3 } from "../leaves";
import { processMerkleProof } from "../merkle";
import { parseProfile } from "../profile";
import { teeRegistryAbi } from "../teeRegistryAbi";
import type { TeeFields } from "../teeResponse";
import { VerifyInputError, VerifySourceError } from "./errors";
import { firstBlockAtOrAfter } from "./findSettlement";
import { formatReport, type VerifyReport } from "./report";
import { ALICE, closedUrl, DEPLOYER, FACILITATOR, startVerifyNetwork, type VerifyNetwork } from "./testNetwork";
import { type VerifyResponseParameters, verifyResponse, verifySignedInference } from "./verifyResponse";

let network: VerifyNetwork;
let snapshot: Hex;

beforeAll(async () => {
  network = await startVerifyNetwork();
}, 60_000);
afterAll(() => network?.stop());
beforeEach(async () => {
  snapshot = await network.client.snapshot();
});
afterEach(async () => {
  await network.client.revert({ id: snapshot });
});

/** Verifies against the test network, as the CLI would. */
const verify = (
  args: { response: string; request?: string } & Partial<Omit<VerifyResponseParameters, "response" | "request">>,
) => verifyResponse({ profile: network.profile, sources: network.sources, ...args });

/** Each check's verdict by name. */
const verdicts = (report: VerifyReport) => Object.fromEntries(report.checks.map((check) => [check.name, check.ok]));

const checkOf = (report: VerifyReport, name: string) => report.checks.find((check) => check.name === name)!;

/** The report's text with what changes from run to run (hashes, addresses, URLs, times, counts of ms) named. */
const stable = (text: string) =>
  text
    .replace(/0x[0-9a-f]{64}/gi, "<hash>")
    .replace(/0x[0-9a-f]{40}/gi, "<address>")
    .replace(/0x[0-9a-f]{4,8}…[0-9a-f]{4}/gi, "<short>")
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, "<url>")
    .replace(/[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]\b/g, "<blob>")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "<time>")
    .replace(/block \d+/g, "block <n>")
    .replace(/blocks \d+–\d+/g, "blocks <a>–<b>")
    .replace(/log \d+/g, "log <i>")
    .replace(/\d+ requests/g, "<n> requests")
    .replace(/in \d+ ms/g, "in <n> ms");

/** The E3 leaf hash of a response's inference, as the facilitator puts it in its tree. */
const leafHashOf = ({ teeId, inputHash, outputHash, signature, timestamp }: TeeFields) =>
  e3.leafHashOf({ encoding: "e3", teeId, inputHash, outputHash, signature, timestamp });

/** The response with its content changed after signing. */
const withContent = (response: string, from: string, to: string) => {
  expect(response).toContain(from);
  return response.replace(from, to);
};

/** The response with one character of its base64 signature changed. */
function withAlteredSignature(response: string): string {
  const body = JSON.parse(response);
  const signature: string = body.tee_signature;
  body.tee_signature = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
  return JSON.stringify(body);
}

describe("verifyResponse", () => {
  test("default: a response settled in a batch is proven, every fact with its source", async () => {
    const batch = [await network.respond(), await network.respond(), await network.respond(), await network.respond()];
    const settled = await network.settleBatch(batch);
    const { request, response, fields } = batch[1]!;

    const report = await verify({ response, request, names: { response: "response.json", request: "request.json" } });
    console.log(`Verified a batch settlement in ${report.elapsedMs} ms.`);

    expect(report.state).toBe("proven");
    expect(report.inferenceId).toBe(fields.inferenceId);
    expect(verdicts(report)).toEqual({
      content: true,
      settlement: true,
      inclusion: true,
      attestation: true,
      provenance: true,
      uniqueness: true,
    });
    expect(report.settlement).toMatchObject({
      kind: "batch",
      state: "proven",
      relay: network.relay,
      abi: "v3",
      txHash: settled.txHash,
      blockNumber: Number(settled.blockNumber),
      signer: FACILITATOR.address,
      official: true,
      merkleRoot: settled.root,
      batchSize: "4",
      blobId: settled.blobId,
      blobStatus: "available",
      leafEncoding: ["bytes32", "bytes32", "bytes32", "bytes", "uint256"],
    });
    expect(processMerkleProof(leafHashOf(fields), report.settlement!.proof!)).toBe(settled.root);
    expect(report.sources.map((source) => source.kind)).toEqual(["response", "request", "rpc", "aggregator"]);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(stable(formatReport(report))).toMatchInlineSnapshot(`
      "Inference <hash>
        TEE <hash>, signed at <time>

      ✓ content      keccak256 of the content equals tee_output_hash <short>; the request's canonical hash equals tee_request_hash <short>. [response.json and request.json]
      ✓ settlement   batch settlement in tx <hash> (block <n>, log <i>, <time>) on relay <address> (v3). [RPC <url> (chain 10740): eth_getLogs over blocks <a>–<b> (<time> to <time>)]
      ✓ inclusion    blob <blob> rebuilds the event's merkleRoot <short> from its 4 leaves and holds this inference as value 1 (e3); its 2-node proof leads to the root. [Walrus aggregator <url>/v1/blobs/<blob>; event at RPC <url> (chain 10740) at block <n>]
      ✓ attestation  TEE <short> (registry <address>, PCR <short>) is registered, enabled and its PCR approved at block <n>; keccak256(publicKey) = teeId; the settled signature verifies (RSA-PSS, SHA-256, salt 32 (current, since 2026-03-06)) with the registered key. [RPC <url> (chain 10740) at block <n>: registry <address> getTEE, isTEEEnabled, isPCRApproved]
      ✓ provenance   posted by <address>, the only known signer of relay <address>. [RPC <url> (chain 10740): tx <hash>; signers from the profile]
      ✓ uniqueness   no earlier official settlement of this inference in blocks <a>–<b> (<time> to <time>). [RPC <url> (chain 10740): eth_getLogs over blocks <a>–<b> (<time> to <time>)]

      – nitro        AWS Nitro attestation unverifiable (not counted in the state): not an AWS Nitro attestation document: the devnet's documents are not signed by AWS. [RPC <url> (chain 10740) at block <n>: TEERegistered in tx <hash> (<time>), its input; AWS Nitro root certificate]

      State: proven — settled officially in a batch in block <n>, included, and signed by a registered, enabled TEE with an approved PCR.

      Sources:
        response response.json: chat.completion: tee_* fields, the inferenceId they define, and the content hashed.
        request request.json: the request, canonicalised and hashed.
        RPC <url> (chain 10740): head block <n> (<time>); searched blocks <a>–<b> (<time> to <time>): 1 batch settlement (1 examined) and 0 individual settlements of this inference; registry and relay state read at the settlement's block; <n> requests.
        Walrus aggregator <url>: 1 blob fetched, 0 not available.
      Verified in <n> ms, trusting no Settlescan server."
    `);
  });

  test("behavior: a response settled individually is proven, its blob agreeing with the event", async () => {
    const one = await network.respond();
    const settled = await network.settleIndividual(one);

    const report = await verify({ response: one.response, request: one.request });
    console.log(`Verified an individual settlement in ${report.elapsedMs} ms.`);

    expect(report.state).toBe("proven");
    expect(Object.values(verdicts(report))).toEqual([true, true, true, true, true, true]);
    expect(report.settlement).toMatchObject({ kind: "individual", txHash: settled.txHash, official: true });
    expect(report.settlement).not.toHaveProperty("blobId");
    expect(stable(checkOf(report, "inclusion").detail)).toMatchInlineSnapshot(
      `"the IndividualSettlement event carries the leaf (teeId, hashes, timestamp, signature); its blob <blob> agrees with it."`,
    );
  });

  test("behavior: onCheck hears each check as it is decided, the content first, in report order", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);
    const heard: string[] = [];
    const report = await verify({
      response: one.response,
      onCheck: (check) => heard.push(`${check.name} ${check.ok}`),
    });
    expect(heard).toEqual(report.checks.map((check) => `${check.name} ${check.ok}`));
    expect(heard[0]).toBe("content true");
  });

  test("behavior: the enclave's devnet attestation document is unverifiable, beside the checks, never in them", async () => {
    const one = await network.respond();
    const settled = await network.settleBatch([one]);
    const heard: string[] = [];
    const report = await verify({
      response: one.response,
      onCheck: (check) => heard.push(check.name),
      onEnclaveAttestation: (enclave) => heard.push(`nitro ${enclave.result}`),
    });

    expect(report.state).toBe("proven");
    expect(Object.values(verdicts(report))).toEqual([true, true, true, true, true, true]);
    expect(report.checks.map((check) => check.name)).not.toContain("nitro");
    expect(heard.at(-1)).toBe("nitro unverifiable");
    const timestamp = (await network.client.getBlock({ blockNumber: network.registration.blockNumber })).timestamp;
    expect(report.enclaveAttestation).toEqual({
      result: "unverifiable",
      ok: null,
      reasons: ["not an AWS Nitro attestation document: the devnet's documents are not signed by AWS"],
      registration: {
        registry: network.registry,
        txHash: network.registration.txHash,
        blockNumber: Number(network.registration.blockNumber),
        timestamp: Number(timestamp),
      },
      detail: "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS.",
      source: expect.stringContaining(`tx ${network.registration.txHash}`),
    });
    expect(network.registration.blockNumber).toBeLessThan(settled.blockNumber);
    expect(stable(report.enclaveAttestation!.source)).toMatchInlineSnapshot(
      `"RPC <url> (chain 10740) at block <n>: TEERegistered in tx <hash> (<time>), its input; AWS Nitro root certificate"`,
    );
  });

  test("behavior: a forged signature fails attestation whatever the enclave's document says", async () => {
    const forged = await network.respond({ signer: network.forger });
    await network.settleBatch([forged]);

    const report = await verify({ response: forged.response });

    expect(report.state).toBe("invalid_proof");
    expect(checkOf(report, "attestation").ok).toBe(false);
    expect(report.enclaveAttestation).toMatchObject({
      result: "unverifiable",
      ok: null,
      registration: { txHash: network.registration.txHash },
    });
  });

  test("behavior: a TEE no registry knows has no registration to re-verify", async () => {
    const { fields } = await network.respond();
    const teeId = keccak256(stringToHex("an enclave nobody registered"));

    const report = await verifySignedInference({
      inference: { ...fields, teeId },
      origin: "a made-up record",
      profile: network.profile,
      sources: network.sources,
    });

    expect(report.state).toBe("not_settled");
    expect(report.enclaveAttestation).toMatchObject({ result: "unverifiable", ok: null });
    expect(report.enclaveAttestation).not.toHaveProperty("registration");
    expect(stable(report.enclaveAttestation!.detail)).toMatchInlineSnapshot(
      `"no registration of TEE <hash> was found."`,
    );
    expect(stable(report.enclaveAttestation!.source)).toMatchInlineSnapshot(
      `"RPC <url> (chain 10740): eth_getLogs TEERegistered(<short>) of registry <address> in blocks <a>–<b>"`,
    );
  });

  test("behavior: a registration the RPC will not give leaves it unverifiable, saying why, and the state unchanged", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);
    const teeRegistered = toEventSelector(getAbiItem({ abi: teeRegistryAbi, name: "TEERegistered" }));
    // Forwards to anvil, but answers HTTP 503 to every eth_getLogs for TEERegistered.
    const proxy: Server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => {
        body += chunk;
      });
      request.on("end", async () => {
        const call = JSON.parse(body);
        if (call.method === "eth_getLogs" && call.params?.[0]?.topics?.[0] === teeRegistered) {
          response.statusCode = 503;
          response.end("unavailable");
          return;
        }
        const answer = await fetch(network.anvil.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        response.setHeader("content-type", "application/json");
        response.end(await answer.text());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const rpcUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const report = await verify({ response: one.response, sources: { ...network.sources, rpcUrl } });

      expect(report.state).toBe("proven");
      expect(Object.values(verdicts(report))).toEqual([true, true, true, true, true, true]);
      expect(report.enclaveAttestation).toMatchObject({ result: "unverifiable", ok: null });
      expect(report.enclaveAttestation!.detail).toMatchInlineSnapshot(
        `"its registration could not be read from the RPC (HTTP request failed)."`,
      );
      expect(stable(report.enclaveAttestation!.source)).toMatchInlineSnapshot(
        `"RPC <url> (chain 10740): eth_getLogs TEERegistered(<short>) of registry <address> in blocks <a>–<b>"`,
      );
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  test("behavior: without a settlement the registration is still re-verified, up to the head", async () => {
    const one = await network.respond();

    const report = await verify({ response: one.response });

    expect(report.state).toBe("not_settled");
    expect(report.enclaveAttestation).toMatchObject({
      result: "unverifiable",
      registration: { txHash: network.registration.txHash },
    });
  });

  test("behavior: content is reported even when the RPC then fails", async () => {
    const one = await network.respond();
    const heard: string[] = [];
    await expect(
      verify({
        response: one.response,
        sources: { ...network.sources, rpcUrl: await closedUrl() },
        onCheck: (check) => heard.push(check.name),
      }),
    ).rejects.toBeInstanceOf(VerifySourceError);
    expect(heard).toEqual(["content"]);
  });

  test("behavior: from its signed fields alone an inference is proven, the content reported as not checked", async () => {
    const one = await network.respond();
    await network.settleBatch([await network.respond(), one]);
    const { teeId, inputHash, outputHash, timestamp, signature } = one.fields;
    const report = await verifySignedInference({
      profile: network.profile,
      sources: network.sources,
      inference: { teeId, inputHash, outputHash, timestamp, signature },
      origin: "the explorer's record",
    });
    expect(report.state).toBe("proven");
    expect(report.inferenceId).toBe(one.fields.inferenceId);
    expect(verdicts(report)).toEqual({
      content: null,
      settlement: true,
      inclusion: true,
      attestation: true,
      provenance: true,
      uniqueness: true,
    });
    expect(checkOf(report, "content")).toMatchInlineSnapshot(`
      {
        "detail": "not checked: only the response you received can show its content is what the enclave signed; verify it with your own response.",
        "name": "content",
        "ok": null,
        "source": "the explorer's record",
      }
    `);
    expect(report.sources.map((source) => source.kind)).toEqual(["response", "rpc", "aggregator"]);

    // Fields that are not what the enclave signed define another inference, which nothing settled.
    const forged = await verifySignedInference({
      profile: network.profile,
      sources: network.sources,
      inference: { teeId, inputHash, outputHash: keccak256(stringToHex("other")), timestamp, signature },
      origin: "a forged record",
    });
    expect(forged.inferenceId).not.toBe(one.fields.inferenceId);
    expect(forged.state).toBe("not_settled");
  });

  test("behavior: content altered after signing fails the content check, whatever the chain says", async () => {
    const one = await network.respond({ content: "The capital of France is Paris." });
    await network.settleBatch([one]);

    const report = await verify({ response: withContent(one.response, "Paris", "Lyon") });

    expect(report.state).toBe("invalid_proof");
    expect(verdicts(report)).toMatchObject({ content: false, settlement: true, inclusion: true, attestation: true });
    expect(stable(report.reason)).toMatchInlineSnapshot(
      `"the content you received is not what the enclave signed: its keccak256 is <hash>, tee_output_hash is <hash>."`,
    );
  });

  test("behavior: a request other than the one answered fails the content check", async () => {
    const one = await network.respond({ prompt: "What is 2 + 2?" });
    await network.settleBatch([one]);

    const report = await verify({ response: one.response, request: one.request.replace("2 + 2", "2 + 3") });

    expect(report.state).toBe("invalid_proof");
    expect(stable(checkOf(report, "content").detail)).toMatchInlineSnapshot(
      `"the request given is not the one the enclave answered: its canonical hash is <hash>, tee_request_hash is <hash>."`,
    );
  });

  test("behavior: a forged signature settled in a batch fails attestation", async () => {
    const forged = await network.respond({ signer: network.forger });
    await network.settleBatch([forged]);

    const report = await verify({ response: forged.response });

    expect(report.state).toBe("invalid_proof");
    expect(verdicts(report)).toMatchObject({ content: true, inclusion: true, attestation: false, provenance: true });
    expect(stable(checkOf(report, "attestation").detail)).toMatchInlineSnapshot(
      `"TEE <short> (registry <address>, PCR <short>): the settled signature does not verify with the registered key under any of the gateway's signature schemes."`,
    );
    expect(report.reason).toMatch(/^the settlement that counts fails attestation: /);
  });

  test("behavior: a signature altered in the response fails attestation, though the settled one verifies", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);

    const report = await verify({ response: withAlteredSignature(one.response) });

    expect(report.state).toBe("invalid_proof");
    expect(report.inferenceId).toBe(one.fields.inferenceId);
    expect(stable(checkOf(report, "attestation").detail)).toMatchInlineSnapshot(
      `"TEE <short> (registry <address>, PCR <short>): your response's tee_signature does not verify with the registered key under any of the gateway's signature schemes."`,
    );
  });

  test("behavior: a batch posted by an account that is not a known signer is unofficial", async () => {
    const one = await network.respond();
    const posted = await network.settleBatch([one], { from: ALICE });

    const report = await verify({ response: one.response });

    expect(report.state).toBe("unofficial");
    expect(verdicts(report)).toMatchObject({ inclusion: true, attestation: true, provenance: false, uniqueness: null });
    expect(report.settlement).toMatchObject({ txHash: posted.txHash, signer: ALICE.address, official: false });
    expect(stable(report.reason)).toMatchInlineSnapshot(
      `"settled only by accounts that are not the network's facilitators (tx <hash> from <address>); an unofficial settlement proves nothing."`,
    );
  });

  test("behavior: an official settlement counts over an earlier unofficial copy of it", async () => {
    const batch = [await network.respond(), await network.respond()];
    await network.settleBatch(batch, { from: ALICE });
    const official = await network.settleBatch(batch);

    const report = await verify({ response: batch[0]!.response });

    expect(report.state).toBe("proven");
    expect(report.settlement).toMatchObject({ txHash: official.txHash, signer: FACILITATOR.address });
    expect(checkOf(report, "uniqueness").ok).toBe(true);
  });

  test("behavior: a later official settlement of the same inference is a duplicate", async () => {
    const one = await network.respond();
    const first = await network.settleBatch([one]);
    await network.settleIndividual(one);

    const report = await verify({ response: one.response });

    expect(report.state).toBe("proven");
    expect(report.settlement?.txHash).toBe(first.txHash);
    expect(stable(checkOf(report, "uniqueness").detail)).toMatchInlineSnapshot(
      `"no earlier official settlement of this inference in blocks <a>–<b> (<time> to <time>); 1 later settlement of it is a duplicate."`,
    );
  });

  test("behavior: a batch whose blob is withheld leaves the inference pending, saying why", async () => {
    const one = await network.respond();
    const settled = await network.settleBatch([one], { withhold: true });

    const report = await verify({ response: one.response });

    expect(report.state).toBe("pending");
    expect(report.settlement).toBeUndefined();
    expect(report.reason).toContain(settled.txHash);
    expect(report.reason).toContain(`${network.walrus.aggregatorUrl}/v1/blobs/${settled.blobId}`);
    expect(stable(report.reason)).toMatchInlineSnapshot(
      `"not settled yet: the blob is not available for 1 batch that may hold it — tx <hash> (block <n>): its blob <blob> is not available (HTTP 404 from <url>/v1/blobs/<blob>)."`,
    );

    await network.walrus.release(settled.blobId);
    expect((await verify({ response: one.response })).state).toBe("proven");
  });

  test("behavior: a blob that rebuilds another root than its event's fails inclusion", async () => {
    const one = await network.respond();
    await network.settleBatch([one], { root: keccak256(stringToHex("another root")) });

    const report = await verify({ response: one.response });

    expect(report.state).toBe("invalid_proof");
    expect(report.settlement?.blobStatus).toBe("mismatched");
    expect(stable(checkOf(report, "inclusion").detail)).toMatchInlineSnapshot(
      `"blob <blob> rebuilds the root <hash>, not the event's merkleRoot <hash>: the blob does not match its settlement."`,
    );
  });

  test("behavior: an inference nobody settled is not settled, and says the window is still open", async () => {
    const other = await network.respond();
    await network.settleBatch([other]);
    const one = await network.respond();

    const report = await verify({ response: one.response });

    expect(report.state).toBe("not_settled");
    expect(verdicts(report)).toMatchObject({ settlement: null, inclusion: null, attestation: null });
    expect(stable(report.reason)).toMatchInlineSnapshot(
      `"not settled yet: no settlement of this inference in blocks <a>–<b> of <address>, which reach the head (<time>); batches usually settle within 15 minutes."`,
    );
  });

  test("behavior: attestation is read at the settlement's block", async () => {
    const before = await network.respond();
    await network.settleBatch([before]);
    await network.disableTee();
    const after = await network.respond();
    await network.settleBatch([after]);

    expect((await verify({ response: before.response })).state).toBe("proven");
    const report = await verify({ response: after.response });
    expect(report.state).toBe("invalid_proof");
    expect(stable(checkOf(report, "attestation").detail)).toMatchInlineSnapshot(
      `"TEE <short> (registry <address>, PCR <short>): it is not enabled at block <n>."`,
    );
  });

  test("behavior: without a signer list, holding the relay's SETTLEMENT_RELAY_ROLE makes a settlement official", async () => {
    const json = structuredClone(network.profileJson);
    json.verification.relays = json.verification.relays.map(({ signers: _, ...relay }) => relay) as never;
    const profile = parseProfile(json, "the test network without signers");
    const byDeployer = await network.respond();
    await network.settleBatch([byDeployer], { from: DEPLOYER });
    const byFacilitator = await network.respond();
    await network.settleBatch([byFacilitator], { from: FACILITATOR });

    const proven = await verify({ response: byDeployer.response, profile });
    expect(proven.state).toBe("proven");
    expect(stable(checkOf(proven, "provenance").detail)).toMatchInlineSnapshot(
      `"posted by <address>, who holds relay <address>'s SETTLEMENT_RELAY_ROLE at block <n>."`,
    );
    expect((await verify({ response: byFacilitator.response, profile })).state).toBe("unofficial");
  });

  test("behavior: a hint says where to look, never what to conclude", async () => {
    const one = await network.respond();
    // Three hours later, outside the window searched by default.
    await network.client.increaseTime({ seconds: 3 * 60 * 60 });
    await network.client.mine({ blocks: 1 });
    const late = await network.settleBatch([one]);
    const unofficial = await network.settleBatch([one], { from: ALICE });

    const unhinted = await verify({ response: one.response });
    expect(unhinted.state).toBe("not_settled");
    expect(stable(unhinted.reason)).toMatchInlineSnapshot(
      `"no settlement of this inference in blocks <a>–<b> of <address>."`,
    );

    const hint = await startHint({ txHash: late.txHash, blobId: late.blobId });
    const hinted = await verify({ response: one.response, sources: { ...network.sources, hintUrl: hint.url } });
    expect(hinted.state).toBe("proven");
    expect(hinted.settlement?.txHash).toBe(late.txHash);
    expect(stable(checkOf(hinted, "settlement").detail)).toMatch(/, where the hint pointed\.$/);
    expect(stable(hinted.sources.at(-1)!.detail)).toMatchInlineSnapshot(
      `"named transaction <hash> (block <n>); re-read from the RPC and its blob from the aggregator; used only as where to look first."`,
    );

    // A hint naming the unofficial copy concludes nothing: the copy is judged as what it is.
    hint.answer = { txHash: unofficial.txHash };
    const misled = await verify({ response: one.response, sources: { ...network.sources, hintUrl: hint.url } });
    expect(misled.state).toBe("unofficial");

    hint.answer = null;
    const unknown = await verify({ response: one.response, sources: { ...network.sources, hintUrl: hint.url } });
    expect(stable(unknown.sources.at(-1)!.detail)).toMatchInlineSnapshot(
      `"knows no settlement of this inference; verified without it."`,
    );
    await hint.close();

    const unreachable = await verify({ response: one.response, sources: { ...network.sources, hintUrl: hint.url } });
    expect(unreachable.state).toBe("not_settled");
    expect(stable(unreachable.sources.at(-1)!.detail)).toMatchInlineSnapshot(
      `"unreachable (connect ECONNREFUSED); verified without it."`,
    );
  });

  test("args: a response without the proof fields throws VerifyInputError naming the field", async () => {
    const one = await network.respond();
    const body = JSON.parse(one.response);
    delete body.tee_signature;

    const error = await verify({ response: JSON.stringify(body) }).catch((error: unknown) => error);

    expect(error).toBeInstanceOf(VerifyInputError);
    expect((error as VerifyInputError).input).toBe("response");
    expect((error as Error).message).toMatchInlineSnapshot(
      `"Response field "tee_signature" is missing, expected standard base64 (the RSA-PSS signature)."`,
    );
  });

  test("args: an unreachable RPC throws VerifySourceError naming the URL", async () => {
    const one = await network.respond();
    const rpcUrl = await closedUrl();

    const error = await verify({ response: one.response, sources: { ...network.sources, rpcUrl } }).catch(
      (error: unknown) => error,
    );

    expect(error).toBeInstanceOf(VerifySourceError);
    expect((error as VerifySourceError).url).toBe(rpcUrl);
    expect(stable((error as Error).message)).toMatchInlineSnapshot(
      `"The verification chain RPC <url> is unreachable (connect ECONNREFUSED); pass a reachable RPC of chain 10740."`,
    );
  });

  test("args: an RPC of another chain than the profile's throws VerifySourceError", async () => {
    const one = await network.respond();
    const profile = { ...network.profile, verification: { ...network.profile.verification, chainId: 10744 } };

    await expect(verify({ response: one.response, profile })).rejects.toThrowErrorMatchingInlineSnapshot(
      `[VerifySourceError: The verification chain RPC ${network.anvil.rpcUrl} is chain 10740, but the profile's verification chain is 10744; pass an RPC of chain 10744.]`,
    );
  });

  test("args: an unreachable aggregator, when a batch blob must be read, throws VerifySourceError", async () => {
    const one = await network.respond();
    await network.settleBatch([one]);

    const error = await verify({
      response: one.response,
      sources: { ...network.sources, aggregator: await closedUrl() },
      blobRetries: 0,
    }).catch((error: unknown) => error);

    expect(error).toBeInstanceOf(VerifySourceError);
    expect(stable((error as Error).message)).toMatchInlineSnapshot(
      `"Walrus aggregator gave no answer for <url>/v1/blobs/<blob> after 1 attempt (last: network error: fetch failed (ECONNREFUSED)); check that the aggregator is running and reachable (profile verification.walrus.aggregator, WALRUS_AGGREGATOR_URL); or pass another aggregator."`,
    );
  });
});

describe("firstBlockAtOrAfter", () => {
  const chainOf = (timestamps: number[]) => ({
    timestampOf: async (block: bigint) => BigInt(timestamps[Number(block)]!),
  });

  test("default: the first block whose timestamp reaches the time, among equal timestamps", async () => {
    const chain = chainOf([100, 110, 110, 110, 120, 130]);
    expect(await firstBlockAtOrAfter(chain, 110n, 0n, 5n)).toBe(1n);
    expect(await firstBlockAtOrAfter(chain, 111n, 0n, 5n)).toBe(4n);
    expect(await firstBlockAtOrAfter(chain, 0n, 0n, 5n)).toBe(0n);
    expect(await firstBlockAtOrAfter(chain, 130n, 2n, 5n)).toBe(5n);
  });

  test("behavior: undefined when even the last block is earlier", async () => {
    expect(await firstBlockAtOrAfter(chainOf([100, 110]), 111n, 0n, 1n)).toBeUndefined();
    expect(await firstBlockAtOrAfter(chainOf([100, 110]), 100n, 1n, 0n)).toBeUndefined();
  });
});

/** A stand-in Settlescan API answering `inference { settlement }` with `answer` (null: unknown inference). */
async function startHint(initial: { txHash: Hex; blobId?: string } | null) {
  const state = { answer: initial };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      response.end(JSON.stringify({ data: { inference: state.answer && { settlement: state.answer } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set answer(answer: { txHash: Hex; blobId?: string } | null) {
      state.answer = answer;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
