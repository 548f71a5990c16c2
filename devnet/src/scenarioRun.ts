import {
  calldataSettlementRelayAbi,
  devnetTeeRegistryAbi,
  type Leaf,
  merkleTreeOf,
  USDC_ADDRESS_BASE,
  usdcAbi,
} from "@settlescan/abis";
import { type Address, encodeFunctionData, type Hex, keccak256, numberToHex, parseSignature, toHex } from "viem";
import { DEPLOYER, FACILITATOR, payerAccountOf } from "./accounts";
import { devnetClientOf } from "./deploy";
import type { Deployment } from "./deployment";
import { DevnetError } from "./errors";
import type { Manifest } from "./manifest";
import { rpc, rpcBatch } from "./rpc";
import { manifestOf } from "./scenarioManifest";
import type { PlannedRound, ScenarioPlan } from "./scenarioPlan";
import { loadTees, type TeeKeyName, tamperedSignatureOf } from "./tees";
import { createExactPayloadWithNonce } from "./x402/client";
import { exactUsdcRequirementsOf } from "./x402/usdc";

// Generous per-call gas limits, so thousands of transactions are sent without one estimateGas each.
const PAYMENT_GAS = 200_000n;
const SETTLEMENT_GAS_PER_LEAF = 60_000n;
const SETTLEMENT_GAS_BASE = 200_000n;
/** How long a scenario payment's authorization stays valid (`validBefore = now + this`), in seconds. */
const SCENARIO_AUTHORIZATION_SECONDS = 3600;

type Tx = { from: Address; to: Address; data: Hex; gas: bigint };

/**
 * Plays a planned scenario onto the devnet chains, round by round: x402 payments on "base" in one block per round,
 * enclave revocations and settlements on "og" in later blocks of the round, chain time set by the plan. Blocks
 * are mined by hand (automine off) so a round's transactions share a block; automine is restored at the end.
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
  const relay = deployment.contracts.settlementRelay.address;
  const registry = deployment.contracts.teeRegistry.address;
  const tees = await loadTees();
  const teeIds = Object.fromEntries(Object.values(tees).map((t) => [t.name, t.teeId])) as Record<TeeKeyName, Hex>;
  const payers = Array.from({ length: plan.payerCount }, (_, i) => payerAccountOf(plan.seed, i));

  const ogClient = devnetClientOf(og);
  await rpc(base.rpcUrl, "anvil_autoImpersonateAccount", [true]);
  await rpc(og.rpcUrl, "anvil_autoImpersonateAccount", [true]);
  await rpc(base.rpcUrl, "evm_setAutomine", [false]);
  await rpc(og.rpcUrl, "evm_setAutomine", [false]);

  // Fund payers in one block just before round 0 (few blocks keep reorg tests within the finality depth);
  // facilitators need ETH only for gas, which anvil gives them.
  const owed = new Map<number, bigint>();
  for (const p of plan.payments) if (p.onChain) owed.set(p.payer, (owed.get(p.payer) ?? 0n) + p.amount);
  if (sides.base) {
    for (const facilitator of new Set(plan.payments.map((p) => p.facilitator)))
      await rpc(base.rpcUrl, "anvil_setBalance", [facilitator, numberToHex(10n ** 24n)]);
    const mints = [...owed].map(([payer, amount]) => ({
      from: DEPLOYER.address,
      to: USDC_ADDRESS_BASE,
      gas: 100_000n,
      data: encodeFunctionData({ abi: usdcAbi, functionName: "mint", args: [payers[payer]!.address, amount] }),
    }));
    if (mints.length > 0) await sendAndMine(base.rpcUrl, mints, plan.rounds[0]!.time - 10);
  }

  const signatures = new Map<number, Hex>();
  const manifest = manifestOf(plan, {
    chainId: base.chainId,
    token: USDC_ADDRESS_BASE,
    payers: payers.map((p) => p.address),
    teeIds,
  });
  let done = 0;

  try {
    for (const round of plan.rounds) {
      // Payments: one x402 payload per planned payment, submitted by its facilitator.
      const paymentTxs: Tx[] = await Promise.all(
        (sides.base ? round.payments : []).map(async (index) => {
          const payment = plan.payments[index]!;
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
      if (sides.base) await sendAndMine(base.rpcUrl, paymentTxs, round.time);
      if (!sides.og) {
        done += round.payments.length;
        onRound?.(round, done);
        continue;
      }

      // Revocations happen before any settlement of the round (an enclave revoked earlier stays revoked).
      const toRevoke: TeeKeyName[] = [];
      for (const name of round.revoke)
        if (
          await ogClient.readContract({
            address: registry,
            abi: devnetTeeRegistryAbi,
            functionName: "isActive",
            args: [teeIds[name]],
          })
        )
          toRevoke.push(name);
      if (toRevoke.length > 0) {
        const revokeTxs = toRevoke.map((name) => ({
          from: DEPLOYER.address,
          to: registry,
          gas: 200_000n,
          data: encodeFunctionData({ abi: devnetTeeRegistryAbi, functionName: "revokeTee", args: [teeIds[name]] }),
        }));
        await sendAndMine(og.rpcUrl, revokeTxs, round.time + 1);
      }

      // Enclave signatures for the round's new inferences (RSA in WebCrypto's thread pool).
      const roundLeaves = round.settlements.flatMap((s) => s.leaves);
      await Promise.all(
        roundLeaves.map(async (i) => {
          const leaf = plan.leaves[i]!;
          if (leaf.copyOf !== undefined) return;
          const signature = await tees[leaf.tee].sign(leaf);
          signatures.set(i, leaf.tamperSignature ? tamperedSignatureOf(signature) : signature);
        }),
      );
      const leafOf = (i: number): Leaf => {
        const planned = plan.leaves[i]!;
        return {
          paymentId: manifest.receipts[i]!.paymentId,
          amount: planned.amount,
          teeId: teeIds[planned.tee],
          inputHash: planned.inputHash,
          outputHash: planned.outputHash,
          signature: signatures.get(planned.copyOf ?? i)!,
          timestamp: planned.timestamp,
        };
      };
      for (const [block, time] of round.ogBlockTimes.entries()) {
        const txs: Tx[] = round.settlements
          .filter((s) => s.ogBlock === block)
          .map((s) => {
            const leaves = s.leaves.map(leafOf);
            if (s.kind === "individual") {
              const planned = plan.leaves[s.leaves[0]!]!;
              const payer = payers[plan.payments[planned.payment]!.payer]!.address;
              return {
                from: FACILITATOR.address,
                to: relay,
                gas: SETTLEMENT_GAS_BASE + SETTLEMENT_GAS_PER_LEAF,
                data: encodeFunctionData({
                  abi: calldataSettlementRelayAbi,
                  functionName: "settleIndividual",
                  args: [leaves[0]!, payer, blobIdOf(manifest.receipts[s.leaves[0]!]!.receiptId)],
                }),
              };
            }
            const root = merkleTreeOf(leaves).root;
            return {
              from: FACILITATOR.address,
              to: relay,
              gas: SETTLEMENT_GAS_BASE + SETTLEMENT_GAS_PER_LEAF * BigInt(leaves.length),
              data: encodeFunctionData({
                abi: calldataSettlementRelayAbi,
                functionName: "settleBatch",
                args: [s.wrongRoot ? keccak256(root) : root, leaves, blobIdOf(root)],
              }),
            };
          });
        if (txs.length > 0) await sendAndMine(og.rpcUrl, txs, time);
      }
      done += roundLeaves.length;
      onRound?.(round, done);
    }
    // Both chains end at the same chain time: the "now" that payment states are judged at.
    if (sides.base) await rpc(base.rpcUrl, "evm_mine", [{ timestamp: plan.endTime, blocks: 1 }]);
    if (sides.og) await rpc(og.rpcUrl, "evm_mine", [{ timestamp: plan.endTime, blocks: 1 }]);
  } finally {
    await rpc(base.rpcUrl, "evm_setAutomine", [true]);
    await rpc(og.rpcUrl, "evm_setAutomine", [true]);
    await rpc(base.rpcUrl, "anvil_autoImpersonateAccount", [false]);
    await rpc(og.rpcUrl, "anvil_autoImpersonateAccount", [false]);
  }
  return manifest;
}

/** A stand-in Walrus blob id: deterministic bytes derived from what the blob would hold. */
function blobIdOf(content: Hex): Hex {
  return toHex(`walrus:${keccak256(content).slice(2, 34)}`);
}

/** Sends transactions with explicit nonces, mines one block at `timestamp`, and checks every one succeeded. */
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
  const receipts = await rpcBatch<{ status: Hex; transactionHash: Hex }>(
    rpcUrl,
    hashes.map((hash) => ({ method: "eth_getTransactionReceipt", params: [hash] })),
  );
  const failed = receipts.find((r) => r.status !== "0x1");
  if (failed) throw new DevnetError(`Scenario transaction ${failed.transactionHash} on ${rpcUrl} reverted.`);
  return hashes;
}
