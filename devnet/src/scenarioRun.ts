import {
  eventBytesOfBlobId,
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  teeRegistryAbi,
  USDC_ADDRESS_BASE,
  uploadBlob,
  usdcAbi,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import { uptoPermit2WitnessTypes } from "@x402/evm";
import {
  type Address,
  encodeFunctionData,
  type Hex,
  type LocalAccount,
  maxUint256,
  numberToHex,
  parseSignature,
  stringToHex,
} from "viem";
import { DEPLOYER, payerAccountOf } from "./accounts";
import { devnetClientOf, LLM_PROXY_TEE_TYPE } from "./deploy";
import type { Deployment } from "./deployment";
import { DevnetError } from "./errors";
import type { Manifest } from "./manifest";
import { rpc, rpcBatch } from "./rpc";
import {
  type BuiltSettlement,
  type MinedAt,
  manifestOf,
  type ScenarioContent,
  scenarioContentOf,
} from "./scenarioManifest";
import type { PlannedPayment, PlannedRound, RegistryAction, ScenarioPlan } from "./scenarioPlan";
import { loadTees, type Tee, type TeeKeyName } from "./tees";
import { createExactPayloadWithNonce } from "./x402/client";
import { exactUsdcRequirementsOf } from "./x402/usdc";

// Generous per-call gas limits, so thousands of transactions are sent without one estimateGas each.
const PAYMENT_GAS = 200_000n;
const BATCH_GAS = 200_000n;
const INDIVIDUAL_GAS = 500_000n;
const REGISTRY_GAS = 1_000_000n;
/** How long a scenario payment's authorization stays valid (`validBefore = now + this`), in seconds. */
const SCENARIO_AUTHORIZATION_SECONDS = 3600;
/** Blob uploads in flight at once. */
const UPLOAD_CONCURRENCY = 16;

type Tx = { from: Address; to: Address; data: Hex; gas: bigint };

/**
 * Plays a planned scenario onto the devnet chains and its blob service, round by round: x402 payments on "base" in
 * one block per round; on "og" the round's registry changes, then its settlements in later blocks (each batch's blob
 * uploaded, withheld or expired first), chain time set by the plan; a final heartbeat. Blocks are mined by hand
 * (automine off) so a round's transactions share a block; automine is restored at the end. The manifest it returns
 * orders a block's payments as they were mined (the node orders two facilitators' transactions by fee, not by plan).
 */
export async function runScenario({
  deployment,
  plan,
  onRound,
  sides = { base: true, og: true },
}: {
  deployment: Deployment;
  plan: ScenarioPlan;
  onRound?: (round: PlannedRound, done: number) => void;
  /** Which chains to play the plan on: reorg tests replay one side of a plan after rewinding that chain. */
  sides?: { base: boolean; og: boolean };
}): Promise<Manifest> {
  const base = { name: "base", ...deployment.chains.base };
  const og = { name: "og", ...deployment.chains.og };
  const tees = await loadTees();
  const payers = Array.from({ length: plan.payerCount }, (_, i) => payerAccountOf(plan.seed, i));
  const content = scenarioContentOf(plan, {
    chainId: base.chainId,
    token: USDC_ADDRESS_BASE,
    payers: payers.map((p) => p.address),
    tees,
  });
  const mined: MinedAt[] = [];
  const ogClient = devnetClientOf(og);
  const walrus = deployment.walrus.publisherUrl;

  await rpc(base.rpcUrl, "anvil_autoImpersonateAccount", [true]);
  await rpc(og.rpcUrl, "anvil_autoImpersonateAccount", [true]);
  await rpc(base.rpcUrl, "evm_setAutomine", [false]);
  await rpc(og.rpcUrl, "evm_setAutomine", [false]);

  // Fund payers in one block just before round 0 (few blocks keep reorg tests within the finality depth);
  // facilitators need ETH only for gas, which anvil gives them.
  const owed = new Map<number, bigint>();
  const owedOpg = new Map<number, bigint>();
  for (const p of plan.payments) {
    if (!p.onChain) continue;
    const debts = p.scheme === "permit2_upto" ? owedOpg : owed;
    debts.set(p.payer, (debts.get(p.payer) ?? 0n) + p.amount);
  }
  if (sides.base) {
    for (const facilitator of new Set(plan.payments.map((p) => p.facilitator)))
      await rpc(base.rpcUrl, "anvil_setBalance", [facilitator, numberToHex(10n ** 24n)]);
    // OPG payers approve Permit2 themselves, as OpenGradient's SDK has them do: they need gas for that one call.
    for (const payer of owedOpg.keys())
      await rpc(base.rpcUrl, "anvil_setBalance", [payers[payer]!.address, numberToHex(10n ** 16n)]);
    const mints = [
      ...[...owed].map(([payer, amount]) => ({
        from: DEPLOYER.address,
        to: USDC_ADDRESS_BASE,
        gas: 100_000n,
        data: encodeFunctionData({ abi: usdcAbi, functionName: "mint", args: [payers[payer]!.address, amount] }),
      })),
      ...[...owedOpg].flatMap(([payer, amount]) => [
        {
          from: DEPLOYER.address,
          to: OPG_ADDRESS_BASE,
          gas: 100_000n,
          data: encodeFunctionData({ abi: opgAbi, functionName: "mint", args: [payers[payer]!.address, amount] }),
        },
        {
          from: payers[payer]!.address,
          to: OPG_ADDRESS_BASE,
          gas: 100_000n,
          data: encodeFunctionData({ abi: opgAbi, functionName: "approve", args: [PERMIT2_ADDRESS, maxUint256] }),
        },
      ]),
    ];
    if (mints.length > 0) await sendAndMine(base.rpcUrl, mints, plan.rounds[0]!.time - 10);
  }

  // Progress: the receipts, inferences and legacy leaves planned up to each round.
  const plannedIn = new Array<number>(plan.rounds.length).fill(0);
  for (const item of [...plan.leaves, ...plan.inferences, ...plan.legacy]) plannedIn[item.round]!++;
  let done = 0;
  try {
    for (const round of plan.rounds) {
      // Payments: one x402 payload per planned payment, submitted by its facilitator.
      const paymentTxs: Tx[] = await Promise.all(
        (sides.base ? round.payments : []).map(async (index) => {
          const payment = plan.payments[index]!;
          if (payment.scheme === "permit2_upto")
            return uptoSettleTxOf(payment, payers[payment.payer]!, base.chainId, round.time);
          const requirements = exactUsdcRequirementsOf({
            payTo: payment.payee,
            amount: payment.amount,
            maxTimeoutSeconds: SCENARIO_AUTHORIZATION_SECONDS,
          });
          const { authorization: a, signature } = await createExactPayloadWithNonce(
            payers[payment.payer]!,
            requirements,
            payment.nonce,
          );
          const { v, r, s } = parseSignature(signature);
          return {
            from: payment.facilitator,
            to: USDC_ADDRESS_BASE,
            gas: PAYMENT_GAS,
            data: encodeFunctionData({
              abi: usdcAbi,
              functionName: "transferWithAuthorization",
              args: [
                a.from,
                a.to,
                BigInt(a.value),
                BigInt(a.validAfter),
                BigInt(a.validBefore),
                a.nonce,
                Number(v),
                r,
                s,
              ],
            }),
          };
        }),
      );
      if (sides.base) {
        const positions = await sendAndMine(base.rpcUrl, paymentTxs, round.time);
        for (const [i, index] of round.payments.entries()) mined[index] = positions[i]!;
      }
      done += plannedIn[round.round]!;
      if (!sides.og) {
        onRound?.(round, done);
        continue;
      }

      // Registry changes come before any settlement of the round (a change made earlier stays made).
      const registryTxs: Tx[] = [];
      for (const action of round.registry) {
        const tx = await registryTxOf(ogClient, deployment, tees, action);
        if (tx) registryTxs.push(tx);
      }
      if (registryTxs.length > 0) await sendAndMine(og.rpcUrl, registryTxs, round.time + 1);
      // Blobs withheld until now become fetchable before the last round's events, which make indexers re-check.
      if (round.round === plan.rounds.length - 1)
        for (const s of content.settlements)
          if (s.blob === "released" && s.round < round.round) await blobKnob(walrus, s.blobId!, "release");

      const roundSettlements = round.settlements.map((i) => content.settlements[i]!);
      for (const [block, time] of round.ogBlockTimes.entries()) {
        const posted = roundSettlements.filter((s) => s.ogBlock === block);
        await inParallel(posted, UPLOAD_CONCURRENCY, (s) => storeBlob(walrus, s));
        const txs = posted.map((s) => settlementTxOf(s, deployment, plan, content, tees));
        if (txs.length > 0) await sendAndMine(og.rpcUrl, txs, time);
      }
      onRound?.(round, done);
    }
    // Both chains end at the same chain time: the "now" that payment states are judged at. The og chain's last block
    // holds an enclave's heartbeat: an event after every settlement, on which indexers re-check pending blobs.
    if (sides.base) await rpc(base.rpcUrl, "evm_mine", [{ timestamp: plan.endTime, blocks: 1 }]);
    if (sides.og) {
      const { tee, timestamp } = plan.heartbeat;
      await sendAndMine(
        og.rpcUrl,
        [
          {
            from: DEPLOYER.address,
            to: deployment.contracts.teeRegistry.address,
            gas: REGISTRY_GAS,
            data: encodeFunctionData({
              abi: teeRegistryAbi,
              functionName: "heartbeat",
              args: [tees[tee].teeId, timestamp, await tees[tee].signHeartbeat(timestamp)],
            }),
          },
        ],
        plan.endTime,
      );
    }
  } finally {
    await rpc(base.rpcUrl, "evm_setAutomine", [true]);
    await rpc(og.rpcUrl, "evm_setAutomine", [true]);
    await rpc(base.rpcUrl, "anvil_autoImpersonateAccount", [false]);
    await rpc(og.rpcUrl, "anvil_autoImpersonateAccount", [false]);
  }
  return manifestOf(plan, content, mined);
}

/**
 * The upto proxy's `settle` of a planned OPG session: the payer signs x402's Permit2 witness transfer (spender the
 * proxy, `witness.facilitator` the submitting facilitator, cap `maxAmount`), the facilitator settles what the session
 * cost — the same calldata x402's `UptoEvmScheme` facilitator sends.
 */
async function uptoSettleTxOf(
  payment: PlannedPayment,
  payer: LocalAccount,
  chainId: number,
  time: number,
): Promise<Tx> {
  const permit = {
    permitted: { token: OPG_ADDRESS_BASE, amount: payment.maxAmount! },
    nonce: BigInt(payment.nonce),
    deadline: BigInt(time + SCENARIO_AUTHORIZATION_SECONDS),
  };
  const witness = { to: payment.payee, facilitator: payment.facilitator, validAfter: 0n };
  const signature = await payer.signTypedData({
    domain: { name: "Permit2", chainId, verifyingContract: PERMIT2_ADDRESS },
    types: uptoPermit2WitnessTypes,
    primaryType: "PermitWitnessTransferFrom",
    message: { ...permit, spender: X402_UPTO_PERMIT2_PROXY_ADDRESS, witness },
  });
  return {
    from: payment.facilitator,
    to: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    gas: PAYMENT_GAS,
    data: encodeFunctionData({
      abi: x402UptoPermit2ProxyAbi,
      functionName: "settle",
      args: [permit, payment.amount, payer.address, witness, signature],
    }),
  };
}

/** The registry transaction of a planned change, or undefined when the registry already shows it. */
async function registryTxOf(
  client: ReturnType<typeof devnetClientOf>,
  deployment: Deployment,
  tees: Record<TeeKeyName, Tee>,
  { action, tee }: RegistryAction,
): Promise<Tx | undefined> {
  const registry = { address: deployment.contracts.teeRegistry.address, abi: teeRegistryAbi } as const;
  const { teeId, pcrHash } = tees[tee];
  if (action === "revokePCR") {
    const approved = await client.readContract({
      ...registry,
      functionName: "isPCRApproved",
      args: [LLM_PROXY_TEE_TYPE, pcrHash],
    });
    if (!approved) return undefined;
    const data = encodeFunctionData({
      abi: teeRegistryAbi,
      functionName: "revokePCR",
      args: [pcrHash, LLM_PROXY_TEE_TYPE],
    });
    return { from: DEPLOYER.address, to: registry.address, gas: REGISTRY_GAS, data };
  }
  if (!(await client.readContract({ ...registry, functionName: "isTEEEnabled", args: [teeId] }))) return undefined;
  const data = encodeFunctionData({ abi: teeRegistryAbi, functionName: "disableTEE", args: [teeId] });
  return { from: DEPLOYER.address, to: registry.address, gas: REGISTRY_GAS, data };
}

/** Uploads a settlement's blob as its treatment says: withheld before the upload, or expired right after it. */
async function storeBlob(walrus: string, settlement: BuiltSettlement) {
  if (settlement.blobText === null) return;
  if (settlement.blob === "pending" || settlement.blob === "released")
    await blobKnob(walrus, settlement.blobId!, "withhold");
  const blobId = await uploadBlob(walrus, settlement.blobText, { epochs: 10 });
  if (blobId !== settlement.blobId)
    throw new DevnetError(
      `The blob service stored settlement ${settlement.index}'s blob as ${blobId}, expected ${settlement.blobId}.`,
      { details: "The scenario names blobs as the devnet's blob service does (sha256 of the bytes)." },
    );
  if (settlement.blob === "expired") await blobKnob(walrus, blobId, "expire");
}

/** Steers the devnet's blob service through its admin API. */
async function blobKnob(walrus: string, blobId: string, action: "withhold" | "release" | "expire") {
  const response = await fetch(`${walrus}/devnet/blobs/${blobId}/${action}`, { method: "POST" });
  if (!response.ok)
    throw new DevnetError(`The blob service refused to ${action} ${blobId} (HTTP ${response.status}).`, {
      details: await response.text(),
    });
}

/** The transaction posting one settlement. */
function settlementTxOf(
  s: BuiltSettlement,
  deployment: Deployment,
  plan: ScenarioPlan,
  content: ScenarioContent,
  tees: Record<TeeKeyName, Tee>,
): Tx {
  const { relay, legacyRelay } = deployment.contracts;
  if (s.abi === "v1") {
    const legacy = plan.legacy[s.items[0]!]!;
    const data =
      s.kind === "batch"
        ? encodeFunctionData({
            abi: settlementRelayV1Abi,
            functionName: "batchSettle",
            args: [s.merkleRoot!, BigInt(s.items.length)],
          })
        : legacy.kind === "metadata"
          ? encodeFunctionData({
              abi: settlementRelayV1Abi,
              functionName: "settleWithMetadata",
              args: [
                legacy.inputHash,
                legacy.outputHash,
                "devnet-reverse",
                stringToHex(`{"prompt":"scenario ${plan.seed} legacy ${legacy.index}"}`),
                stringToHex(`legacy ${legacy.index} ${plan.seed} oiranecs`),
              ],
            })
          : encodeFunctionData({
              abi: settlementRelayV1Abi,
              functionName: "settle",
              args: [legacy.inputHash, legacy.outputHash],
            });
    return { from: s.signer, to: legacyRelay.address, gas: s.kind === "batch" ? BATCH_GAS : INDIVIDUAL_GAS, data };
  }
  if (s.kind === "individual") {
    const i = s.items[0]!;
    const inference = plan.inferences[i]!;
    const data = encodeFunctionData({
      abi: settlementRelayV3Abi,
      functionName: "settleIndividual",
      args: [
        tees[inference.tee].teeId,
        inference.inputHash,
        inference.outputHash,
        inference.timestamp,
        content.payers[inference.payer]!,
        eventBytesOfBlobId(s.blobId!),
        content.inferenceSignatures[i]!,
      ],
    });
    return { from: s.signer, to: relay.address, gas: INDIVIDUAL_GAS, data };
  }
  const data = encodeFunctionData({
    abi: settlementRelayV3Abi,
    functionName: "batchSettle",
    args: [s.merkleRoot!, BigInt(s.items.length), eventBytesOfBlobId(s.blobId!)],
  });
  return { from: s.signer, to: relay.address, gas: BATCH_GAS, data };
}

/** Runs `task` over `items`, at most `limit` at once. */
async function inParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Sends transactions with explicit nonces, mines one block at `timestamp`, and checks every one succeeded. Returns
 * where each was mined, `[block, transactionIndex]`, in the order given.
 */
async function sendAndMine(rpcUrl: string, txs: Tx[], timestamp: number) {
  const nonces = new Map<Address, number>();
  for (const from of new Set(txs.map((t) => t.from)))
    nonces.set(from, Number(await rpc<Hex>(rpcUrl, "eth_getTransactionCount", [from, "pending"])));
  const hashes = await rpcBatch<Hex>(
    rpcUrl,
    txs.map((tx) => {
      const nonce = nonces.get(tx.from)!;
      nonces.set(tx.from, nonce + 1);
      return {
        method: "eth_sendTransaction",
        params: [{ from: tx.from, to: tx.to, data: tx.data, gas: numberToHex(tx.gas), nonce: numberToHex(nonce) }],
      };
    }),
  );
  await rpc(rpcUrl, "evm_mine", [{ timestamp, blocks: 1 }]);
  const block = await rpc<{ number: Hex; transactions: Hex[] }>(rpcUrl, "eth_getBlockByNumber", ["latest", false]);
  if (block.transactions.length !== hashes.length)
    throw new DevnetError(
      `Block ${Number(block.number)} on ${rpcUrl} holds ${block.transactions.length} transactions, expected ${hashes.length}.`,
    );
  const receipts = await rpcBatch<{ status: Hex; transactionHash: Hex; blockNumber: Hex; transactionIndex: Hex }>(
    rpcUrl,
    hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
  );
  const failed = receipts.find((r) => r.status !== "0x1");
  if (failed) throw new DevnetError(`Scenario transaction ${failed.transactionHash} on ${rpcUrl} reverted.`);
  return receipts.map((r): MinedAt => [BigInt(r.blockNumber), Number(r.transactionIndex)]);
}
