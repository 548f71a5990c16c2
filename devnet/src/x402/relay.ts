import { calldataSettlementRelayAbi, type Leaf, leafHashOf } from "@settlescan/abis";
import { type Address, type Hex, keccak256 } from "viem";
import { waitForTransactionReceipt, writeContract } from "viem/actions";
import { RelayPostError } from "./errors";
import type { AccountClient } from "./facilitatorSigner";
import type { Batch } from "./proofBatcher";
import { serialQueue } from "./serialQueue";

/** Stands in for the Walrus blob id of an individually settled leaf: `keccak256(leafHash)`. */
export function individualBlobIdOf(leaf: Leaf): Hex {
  return keccak256(leafHashOf(leaf));
}

export type RelayPoster = {
  /** `SettlementRelay.settleBatch(root, leaves, blobId)`; resolves with the mined tx hash. */
  postBatch: (batch: Batch) => Promise<Hex>;
  /** `SettlementRelay.settleIndividual(leaf, payer, blobId)`; resolves with the mined tx hash. */
  postIndividual: (leaf: Leaf, payer: Address) => Promise<Hex>;
};

/**
 * Posts settlement proofs as direct transactions to the SettlementRelay (the indexer decodes their input),
 * one send at a time from the client's account, each awaited until mined.
 * @example const relay = relayPosterOf({ client: ogClient, relay: deployment.og.settlementRelay })
 */
export function relayPosterOf({
  client,
  relay,
  send = serialQueue(),
}: {
  client: AccountClient;
  relay: Address;
  send?: ReturnType<typeof serialQueue>;
}): RelayPoster {
  async function transact(what: string, write: () => Promise<Hex>): Promise<Hex> {
    let hash: Hex;
    try {
      hash = await send(write);
    } catch (cause) {
      throw new RelayPostError(`Sending ${what} to the SettlementRelay at ${relay} failed; is the "og" node up?`, {
        cause,
      });
    }
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success")
      throw new RelayPostError(`${what} transaction ${hash} reverted on the SettlementRelay at ${relay}.`);
    return hash;
  }

  return {
    postBatch: (batch) =>
      transact(`settleBatch of ${batch.leaves.length} leaves (root ${batch.root})`, () =>
        writeContract(client, {
          address: relay,
          abi: calldataSettlementRelayAbi,
          functionName: "settleBatch",
          args: [batch.root, batch.leaves, batch.blobId],
          account: client.account,
          chain: client.chain,
        }),
      ),
    postIndividual: (leaf, payer) =>
      transact(`settleIndividual of payment ${leaf.paymentId}`, () =>
        writeContract(client, {
          address: relay,
          abi: calldataSettlementRelayAbi,
          functionName: "settleIndividual",
          args: [leaf, payer, individualBlobIdOf(leaf)],
          account: client.account,
          chain: client.chain,
        }),
      ),
  };
}
