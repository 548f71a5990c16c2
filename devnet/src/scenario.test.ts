import {
  blobIdOfEventBytes,
  fetchBlob,
  inferenceIdOf,
  parseIndividualBlob,
  parseTreeDump,
  receiptIdOf,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  teeRegistryAbi,
  USDC_ADDRESS_BASE,
  usdcAbi,
  verifyTeeSignature,
} from "@settlescan/abis";
import { type Address, createPublicClient, getAddress, type Hex, http, parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXACT_FACILITATOR, FACILITATOR, FACILITATOR_2, PAYEE, UNOFFICIAL_POSTER } from "./accounts";
import { type Devnet, startDevnet } from "./devnet";
import { FAULTS, type Manifest, PLAIN_FAULTS } from "./manifest";
import { type MinedAt, manifestOf, type ScenarioIdentity, scenarioContentOf } from "./scenarioManifest";
import { planScenario, SCENARIO_START_TIME, type ScenarioOptions } from "./scenarioPlan";
import { runScenario } from "./scenarioRun";
import { loadTees } from "./tees";

let identity: ScenarioIdentity;
beforeAll(async () => {
  identity = {
    chainId: 8453,
    token: USDC_ADDRESS_BASE,
    payers: Array.from({ length: 200 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as Address),
    tees: await loadTees(),
  };
});
const manifestOfPlan = (options: ScenarioOptions) => {
  const plan = planScenario(options);
  return manifestOf(plan, scenarioContentOf(plan, identity));
};
const manifests = new Map<string, Manifest>();
/** A seed's manifest, built once per test file (signing thousands of inferences takes seconds). */
const manifestOfSeed = (seed: string, receipts: number) => {
  const key = `${seed} ${receipts}`;
  if (!manifests.has(key)) manifests.set(key, manifestOfPlan({ seed, receipts }));
  return manifests.get(key)!;
};

describe("plan", () => {
  test("behavior: the same seed gives the same manifest", () => {
    const first = manifestOfSeed("alpha", 300);
    expect(JSON.stringify(first)).toBe(JSON.stringify(manifestOfPlan({ seed: "alpha", receipts: 300 })));
    // Blob ids and roots too: enclaves sign scenarios reproducibly.
    expect(first.settlements.filter((s) => s.blobId !== null).length).toBeGreaterThan(10);
  });

  test("behavior: another seed gives other receipts and inferences", () => {
    const a = manifestOfSeed("alpha", 300);
    const b = manifestOfSeed("beta", 300);
    const ids = new Set([...a.receipts.map((r) => r.receiptId), ...a.inferences.map((i) => i.inferenceId)]);
    expect(
      [...b.receipts.map((r) => r.receiptId), ...b.inferences.map((i) => i.inferenceId)].filter((id) => ids.has(id)),
    ).toEqual([]);
  });

  test("default: 2,000 receipts and 2,000 inferences cover every fault, state and blob status", () => {
    const manifest = manifestOfSeed("coverage", 2000);
    expect(manifest.receipts).toHaveLength(2000);
    expect(new Set(manifest.receipts.map((r) => r.fault))).toEqual(new Set(FAULTS));
    expect(new Set(manifest.receipts.map((r) => r.state))).toEqual(
      new Set(["verified", "unpaid", "underpaid", "invalid_proof", "duplicate", "not_settled"]),
    );
    expect(new Set(manifest.payments.map((p) => p.state))).toEqual(new Set(["proven", "overdue", "awaiting_proof"]));
    expect(new Set(manifest.receipts.map((r) => r.settlement))).toEqual(new Set(["batch", "none"]));

    const plain = manifest.inferences.filter((i) => i.population === "plain");
    expect(plain.length + manifest.legacy.length).toBe(2000 - countDuplicates(manifest));
    expect(new Set([...plain.map((i) => i.fault), ...(manifest.legacy.length > 0 ? ["legacy"] : [])])).toEqual(
      new Set(PLAIN_FAULTS),
    );
    expect(new Set(manifest.inferences.map((i) => i.state))).toEqual(
      new Set(["proven", "invalid_proof", "unofficial", "not_indexed"]),
    );
    expect(new Set(manifest.inferences.map((i) => i.route))).toEqual(new Set(["batch", "individual", "none"]));
    expect(new Set(manifest.settlements.map((s) => s.blobStatus))).toEqual(
      new Set(["available", "pending", "mismatched", "expired", "unavailable", null]),
    );
    expect(new Set(manifest.legacy.map((l) => l.kind))).toEqual(new Set(["individual", "batch", "metadata"]));
    expect(new Set(manifest.settlements.map((s) => `${s.abi} ${s.kind} ${s.population}`))).toEqual(
      new Set(["v3 batch exact", "v3 batch plain", "v3 individual plain", "v1 batch legacy", "v1 individual legacy"]),
    );
  });

  test("behavior: inference states follow the faults, by docs/protocol.md's precedence", () => {
    const { inferences } = manifestOfSeed("coverage", 2000);
    const stateOf = (fault: string) => new Set(inferences.filter((i) => i.fault === fault).map((i) => i.state));
    expect(stateOf("none")).toEqual(new Set(["proven"]));
    expect(stateOf("released")).toEqual(new Set(["proven"]));
    for (const fault of ["bad_signature", "unregistered_tee", "disabled_tee", "revoked_pcr", "invalid_signature"]) {
      expect(stateOf(fault)).toEqual(new Set(["invalid_proof"]));
      expect(inferences.filter((i) => i.fault === fault).every((i) => i.checks?.attestation === false)).toBe(true);
    }
    expect(stateOf("mismatched")).toEqual(new Set(["invalid_proof"]));
    expect(inferences.filter((i) => i.fault === "mismatched").every((i) => i.checks?.inclusion === false)).toBe(true);
    expect(stateOf("unofficial")).toEqual(new Set(["unofficial"]));
    expect(inferences.find((i) => i.fault === "unofficial")?.checks).toEqual({
      inclusion: true,
      attestation: true,
      provenance: false,
      uniqueness: true,
    });
    // Posted unofficially, then officially: the official leaf counts.
    const reposted = inferences.filter((i) => i.fault === "unofficial_then_official");
    expect(reposted.every((i) => i.state === "proven" && i.settlementCount === 2 && i.checks?.provenance)).toBe(true);
    // A duplicate's inference stays proven, by its first settlement.
    const duplicated = inferences.filter((i) => i.fault === "duplicate");
    expect(duplicated.every((i) => i.state === "proven" && i.settlementCount >= 2)).toBe(true);
    for (const fault of ["pending", "expired", "private", "never_settled"]) {
      expect(stateOf(fault)).toEqual(new Set(["not_indexed"]));
      expect(inferences.filter((i) => i.fault === fault).every((i) => i.settlementCount === 0 && !i.checks)).toBe(true);
    }
  });

  test("behavior: a revoked or disabled enclave's inferences before the change stay proven", () => {
    const manifest = manifestOfSeed("coverage", 2000);
    for (const tee of ["tee-revoked", "tee-disabled"]) {
      const states = new Set(manifest.inferences.filter((i) => i.tee === tee).map((i) => i.state));
      expect(states).toContain("proven");
      expect(states).toContain("invalid_proof");
    }
    const revoked = manifest.receipts.filter((r) => r.tee === "tee-revoked");
    expect(revoked.some((r) => r.state === "verified")).toBe(true);
    expect(revoked.some((r) => r.fault === "revoked_tee" && r.state === "invalid_proof")).toBe(true);
  });

  test("behavior: the session rule orders a block's payments as they were mined, not as planned", () => {
    const plan = planScenario({
      seed: "mined order",
      receipts: 120,
      sessions: 60,
      payers: 8,
      individualShare: 0.6,
      payees: [PAYEE.address],
    });
    const content = scenarioContentOf(plan, identity);
    const asPlanned: MinedAt[] = [];
    const reversed: MinedAt[] = [];
    for (const round of plan.rounds)
      for (const [k, index] of round.payments.entries()) {
        asPlanned[index] = [BigInt(round.round), k];
        reversed[index] = [BigInt(round.round), round.payments.length - 1 - k];
      }
    const planned = manifestOf(plan, content);
    expect(JSON.stringify(manifestOf(plan, content, asPlanned))).toBe(JSON.stringify(planned));

    const mined = manifestOf(plan, content, reversed);
    const paymentOf = (paymentId: Hex | undefined) => plan.payments[content.paymentIds.indexOf(paymentId!)]!;
    const moved = planned.inferences.flatMap((inference, i) => {
      const link = mined.inferences[i]!.link;
      return link.paymentId === inference.link.paymentId ? [] : [{ before: inference.link, after: link }];
    });
    expect(moved.length).toBeGreaterThan(0);
    for (const { before, after } of moved) {
      expect([before.kind, after.kind]).toEqual(["session", "session"]);
      const [first, second] = [paymentOf(before.paymentId), paymentOf(after.paymentId)];
      // The same payer's payments of one block: the one mined first wins, here the later planned.
      expect([second.payer, second.round]).toEqual([first.payer, first.round]);
      expect(second.index).toBeGreaterThan(first.index);
    }
    // Only session links (and the payment states they make) move; everything else stays as planned.
    const withoutLinks = (m: Manifest) =>
      JSON.stringify({
        ...m,
        inferences: m.inferences.map(({ link, ...i }) => i),
        payments: m.payments.map(({ linkedState, ...p }) => p),
      });
    expect(withoutLinks(mined)).toBe(withoutLinks(planned));
  });

  test("behavior: a small run (120, as reorg tests use) still has most states", () => {
    const manifest = manifestOfPlan({ seed: "small", receipts: 120, batchSize: 20 });
    expect(new Set(manifest.inferences.map((i) => i.state)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(manifest.settlements.map((s) => s.blobStatus)).size).toBeGreaterThanOrEqual(4);
  });
});

/** Duplicates re-settle an inference already listed, so they add no inference of their own. */
function countDuplicates(manifest: Manifest) {
  const plain = manifest.inferences.filter((i) => i.population === "plain" && i.fault === "duplicate");
  return plain.reduce((sum, i) => sum + i.settlementCount - 1, 0);
}

describe("played on the devnet", () => {
  let devnet: Devnet;
  let manifest: Manifest;

  beforeAll(async () => {
    devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
    const plan = planScenario({
      seed: "chain",
      receipts: 200,
      inferences: 300,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
      batchSize: 20,
    });
    manifest = await runScenario({ deployment: devnet.deployment, plan });
  }, 120_000);
  afterAll(() => devnet?.stop());

  const client = () => createPublicClient({ transport: http(devnet.deployment.chains.og.rpcUrl) });
  const baseClient = () => createPublicClient({ transport: http(devnet.deployment.chains.base.rpcUrl) });
  const relayEvents = async () => {
    const og = client();
    const logs = await og.getLogs({ address: devnet.deployment.contracts.relay.address, fromBlock: 0n });
    const events = parseEventLogs({
      abi: settlementRelayV3Abi,
      logs,
      eventName: ["BatchSettlement", "IndividualSettlement"],
    });
    const senders = new Map<Hex, Address>();
    for (const hash of new Set(events.map((e) => e.transactionHash)))
      senders.set(hash, getAddress((await og.getTransaction({ hash })).from));
    return events.map((event) => ({ event, from: senders.get(event.transactionHash)! }));
  };

  test("default: every paid payment is one AuthorizationUsed + Transfer at the canonical USDC address", async () => {
    const logs = await baseClient().getLogs({
      address: devnet.deployment.contracts.usdc.address,
      fromBlock: BigInt(devnet.deployment.contracts.usdc.startBlock),
    });
    const events = parseEventLogs({ abi: usdcAbi, logs });
    const used = events.filter((e) => e.eventName === "AuthorizationUsed");
    expect(used).toHaveLength(manifest.payments.length);
    const transfers = new Set(events.filter((e) => e.eventName === "Transfer").map((e) => e.transactionHash));
    expect(used.every((e) => transfers.has(e.transactionHash))).toBe(true);
  });

  test("default: each v3 event is one manifest settlement; blobs are fetchable, 404 while pending, 410 once expired", async () => {
    const { aggregatorUrl } = devnet.deployment.walrus;
    const events = await relayEvents();
    const v3 = manifest.settlements.filter((s) => s.abi === "v3");
    expect(events).toHaveLength(v3.length);
    const byBlob = new Map(v3.map((s) => [s.blobId, s]));
    const statuses = new Set<string>();
    for (const { event, from } of events) {
      const blobId = blobIdOfEventBytes(event.args.walrusBlobId);
      const expected = byBlob.get(blobId)!;
      expect(expected, blobId).toBeDefined();
      expect(from).toBe(expected.signer);
      const blob = await fetchBlob(aggregatorUrl, blobId, { retries: 0 });
      if (event.eventName === "IndividualSettlement") {
        expect(expected.kind).toBe("individual");
        const individual = parseIndividualBlob(blob.status === "available" ? blob.bytes : "");
        expect(individual).toMatchObject({
          teeId: event.args.teeId,
          inputHash: event.args.inputHash,
          outputHash: event.args.outputHash,
          timestamp: event.args.timestamp,
          signature: event.args.signature,
          ethAddress: event.args.ethAddress,
        });
        continue;
      }
      statuses.add(expected.blobStatus!);
      expect(event.args.merkleRoot).toBe(expected.merkleRoot);
      if (expected.blobStatus === "pending") expect(blob).toEqual({ status: "missing", httpStatus: 404 });
      else if (expected.blobStatus === "expired") expect(blob).toEqual({ status: "missing", httpStatus: 410 });
      else {
        if (blob.status !== "available") throw new Error(`blob ${blobId} is ${blob.httpStatus}`);
        const dump = parseTreeDump(blob.bytes);
        expect(dump.leaves).toHaveLength(Number(event.args.batchSize));
        // The posted root is the dump's, except for mismatched batches.
        expect(dump.root === event.args.merkleRoot).toBe(expected.blobStatus === "available");
        expect(dump.encoding.name).toBe(expected.population === "exact" ? "exact" : "e3");
      }
    }
    expect(statuses).toEqual(new Set(["available", "pending", "mismatched", "expired"]));
  });

  test("behavior: unofficial batches came from UNOFFICIAL_POSTER, every other v3 post from a known signer", async () => {
    const events = await relayEvents();
    const unofficial = manifest.settlements.filter((s) => s.abi === "v3" && !s.official);
    expect(unofficial.length).toBeGreaterThan(0);
    const senders = new Map(events.map(({ event, from }) => [blobIdOfEventBytes(event.args.walrusBlobId), from]));
    for (const s of unofficial) expect(senders.get(s.blobId!)).toBe(UNOFFICIAL_POSTER.address);
    const official = new Set([FACILITATOR.address, FACILITATOR_2.address, EXACT_FACILITATOR.address]);
    for (const { from } of events) expect(official.has(from) || from === UNOFFICIAL_POSTER.address).toBe(true);
    expect(
      events
        .filter(({ from }) => from === EXACT_FACILITATOR.address)
        .every(({ event }) => event.eventName === "BatchSettlement"),
    ).toBe(true);
  });

  test("default: the exact leaves in readable blobs are the manifest's settled receipts, with valid signatures", async () => {
    const { aggregatorUrl } = devnet.deployment.walrus;
    const onChain: Hex[] = [];
    const tees = await loadTees();
    const publicKeys = new Map(Object.values(tees).map((t) => [t.teeId, t.publicKey]));
    let verified = 0;
    for (const { event, from } of await relayEvents()) {
      if (from !== EXACT_FACILITATOR.address || event.eventName !== "BatchSettlement") continue;
      const blob = await fetchBlob(aggregatorUrl, blobIdOfEventBytes(event.args.walrusBlobId), { retries: 0 });
      if (blob.status !== "available") throw new Error("exact blobs are always available");
      for (const { leaf } of parseTreeDump(blob.bytes).leaves) {
        if (leaf.encoding !== "exact") throw new Error(`exact blob holds an ${leaf.encoding} leaf`);
        onChain.push(receiptIdOf({ paymentId: leaf.paymentId, inferenceId: inferenceIdOf(leaf) }));
        if (verified < 20 && (await verifyTeeSignature({ publicKey: publicKeys.get(leaf.teeId)!, ...leaf })))
          verified++;
      }
    }
    const expected = manifest.receipts.filter((r) => r.state !== "not_settled").map((r) => r.receiptId);
    expect(onChain.sort()).toEqual(expected.sort());
    expect(verified).toBe(20);
  });

  test("default: the legacy relay logged the v1 events, from FACILITATOR", async () => {
    const og = client();
    const logs = await og.getLogs({ address: devnet.deployment.contracts.legacyRelay.address, fromBlock: 0n });
    const events = parseEventLogs({
      abi: settlementRelayV1Abi,
      logs,
      eventName: ["Settlement", "BatchSettlement", "SettlementWithMetadata"],
    });
    const count = (name: string) => events.filter((e) => e.eventName === name).length;
    const legacy = (kind: string) => manifest.legacy.filter((l) => l.kind === kind).length;
    expect(count("Settlement")).toBe(legacy("individual"));
    expect(count("SettlementWithMetadata")).toBe(legacy("metadata"));
    const batches = manifest.settlements.filter((s) => s.abi === "v1" && s.kind === "batch");
    expect(count("BatchSettlement")).toBe(batches.length);
    expect(events.filter((e) => e.eventName === "BatchSettlement").map((e) => e.args.merkleRoot)).toEqual(
      batches.map((s) => s.merkleRoot),
    );
    expect(legacy("individual") + legacy("batch")).toBeGreaterThan(0);
    const senders = new Set(
      await Promise.all(
        [...new Set(events.map((e) => e.transactionHash))].map(async (hash) =>
          getAddress((await og.getTransaction({ hash })).from),
        ),
      ),
    );
    expect([...senders]).toEqual([FACILITATOR.address]);
  });

  test("default: PCR B is revoked without a TEEDisabled event, tee-disabled is disabled, a heartbeat comes last", async () => {
    const og = client();
    const { teeRegistry } = devnet.deployment.contracts;
    const logs = await og.getLogs({ address: teeRegistry.address, fromBlock: 0n });
    const events = parseEventLogs({ abi: teeRegistryAbi, logs });
    const teeOf = (name: string) => devnet.deployment.tees.find((t) => t.name === name)!;
    expect(events.filter((e) => e.eventName === "PCRRevoked").map((e) => e.args.pcrHash)).toEqual([
      teeOf("tee-revoked").pcrHash,
    ]);
    expect(events.filter((e) => e.eventName === "TEEDisabled").map((e) => e.args.teeId)).toEqual([
      teeOf("tee-disabled").teeId,
    ]);
    const enabled = (name: string) =>
      og.readContract({
        address: teeRegistry.address,
        abi: teeRegistryAbi,
        functionName: "isTEEEnabled",
        args: [teeOf(name).teeId],
      });
    expect([await enabled("tee-alpha"), await enabled("tee-revoked"), await enabled("tee-disabled")]).toEqual([
      true,
      false,
      false,
    ]);
    const last = logs.at(-1)!;
    expect(events.at(-1)!.eventName).toBe("HeartbeatReceived");
    expect(last.blockNumber).toBe(await og.getBlockNumber());
  });

  test("default: both chains end at the manifest's final chain time", async () => {
    for (const c of [client(), baseClient()]) {
      const block = await c.getBlock();
      expect(Number(block.timestamp)).toBe(manifest.chainTime.end);
    }
  });
});
