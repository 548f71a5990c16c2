import { settlementRelayV1Abi, settlementRelayV3Abi } from "@settlescan/abis";
import type { Abi, Address, Hex } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";
import { RelayPostError } from "./errors";
import type { AccountClient } from "./facilitatorSigner";
import { serialQueue } from "./serialQueue";

/**
 * Gas of every settlement transaction. OpenGradient's data worker sends with a fixed limit and no estimate
 * (`DATA_WORKER_SETTLEMENT_GAS_LIMIT`), so a settlement the relay refuses still lands, reverted; a 256-byte
 * signature's `settleIndividual` uses about 100k.
 */
export const SETTLEMENT_GAS_LIMIT = 1_000_000n;

/** A settlement transaction once mined. */
export type RelayTransaction = { hash: Hex; status: "success" | "reverted"; blockNumber: bigint; from: Address };

/** Arguments of v3 `settleIndividual`, in the relay's order. */
export type IndividualSettlementArgs = {
  teeId: Hex;
  inputHash: Hex;
  outputHash: Hex;
  timestamp: bigint;
  ethAddress: Address;
  walrusBlobId: Hex;
  signature: Hex;
};

export type RelayPoster = {
  /** The account that signs. */
  address: Address;
  /** v3 `batchSettle(merkleRoot, batchSize, walrusBlobId)`. */
  batchSettle: (root: Hex, batchSize: number, walrusBlobId: Hex) => Promise<Sent>;
  /** v3 `settleIndividual(teeId, inputHash, outputHash, timestamp, ethAddress, walrusBlobId, signature)`. */
  settleIndividual: (args: IndividualSettlementArgs) => Promise<Sent>;
  /** v1 `batchSettle(merkleRoot, batchSize)` on the legacy relay. */
  legacyBatchSettle: (root: Hex, batchSize: number) => Promise<Sent>;
  /** v1 `settle(inputHash, outputHash)` on the legacy relay. */
  legacySettle: (inputHash: Hex, outputHash: Hex) => Promise<Sent>;
};

/** A sent settlement transaction: its hash at once, and the mined outcome. */
export type Sent = { hash: Hex; mined: Promise<RelayTransaction> };

/**
 * Sends settlement transactions from `client`'s account to the v3 relay (and the v1 `legacyRelay`), one send at a
 * time so that nonces never race, each with the fixed `SETTLEMENT_GAS_LIMIT`. `mined` rejects with
 * `RelayPostError` if the receipt does not come.
 * @example const poster = relayPosterOf({ client: ogClient, relay: deployment.contracts.relay.address })
 */
export function relayPosterOf({
  client,
  relay,
  legacyRelay,
  send = serialQueue(),
}: {
  client: AccountClient;
  relay: Address;
  legacyRelay?: Address;
  send?: ReturnType<typeof serialQueue>;
}): RelayPoster {
  async function transact(what: string, to: Address | undefined, abi: Abi, functionName: string, args: unknown[]) {
    if (!to) throw new RelayPostError(`${what} needs the legacy (v1) relay, and this facilitator was given none.`);
    let hash: Hex;
    try {
      hash = await send(() =>
        writeContract(client, {
          address: to,
          abi,
          functionName,
          args,
          gas: SETTLEMENT_GAS_LIMIT,
          account: client.account,
          chain: client.chain,
        } as Parameters<typeof writeContract>[1]),
      );
    } catch (cause) {
      throw new RelayPostError(`Sending ${what} to the relay at ${to} failed; is the "og" node up?`, { cause });
    }
    const mined = waitForTransactionReceipt(client, { hash }).then(
      (receipt): RelayTransaction => ({
        hash,
        status: receipt.status,
        blockNumber: receipt.blockNumber,
        from: client.account.address,
      }),
      (cause: unknown) => {
        throw new RelayPostError(`${what} transaction ${hash} to ${to} was not mined.`, { cause });
      },
    );
    // Callers that only need the hash may never await `mined`; its failure is theirs to read, not unhandled.
    mined.catch(() => {});
    return { hash, mined };
  }

  return {
    address: client.account.address,
    batchSettle: (root, batchSize, walrusBlobId) =>
      transact(`batchSettle of ${batchSize} proofs (root ${root})`, relay, settlementRelayV3Abi, "batchSettle", [
        root,
        BigInt(batchSize),
        walrusBlobId,
      ]),
    settleIndividual: (a) =>
      transact(
        `settleIndividual of TEE ${a.teeId}'s output ${a.outputHash}`,
        relay,
        settlementRelayV3Abi,
        "settleIndividual",
        [a.teeId, a.inputHash, a.outputHash, a.timestamp, a.ethAddress, a.walrusBlobId, a.signature],
      ),
    legacyBatchSettle: (root, batchSize) =>
      transact(
        `v1 batchSettle of ${batchSize} proofs (root ${root})`,
        legacyRelay,
        settlementRelayV1Abi,
        "batchSettle",
        [root, BigInt(batchSize)],
      ),
    legacySettle: (inputHash, outputHash) =>
      transact(`v1 settle of output ${outputHash}`, legacyRelay, settlementRelayV1Abi, "settle", [
        inputHash,
        outputHash,
      ]),
  };
}
