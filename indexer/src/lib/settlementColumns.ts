import type { Address, Hex } from "viem";
import { relayAt } from "./networks";

/** The columns every settlement row shares that its event alone gives (all but whether its signer is official). */
export function settlementColumnsOf(
  event: {
    log: { address: Address; logIndex: number };
    block: { number: bigint; timestamp: bigint };
    transaction: { hash: Hex; from: Address };
  },
  chainId: number,
) {
  const relay = relayAt(event.log.address);
  return {
    id: `${event.transaction.hash}-${event.log.logIndex}`,
    chainId,
    relay: relay.address,
    abi: relay.abi,
    txHash: event.transaction.hash,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    timestamp: event.block.timestamp,
    signer: event.transaction.from,
  };
}
