import type { FacilitatorEvmSigner } from "@x402/evm";
import { toFacilitatorEvmSigner } from "@x402/evm";
import type { Account, Chain, Client, Hex, Transport } from "viem";
import {
  getCode,
  readContract,
  sendTransaction,
  verifyTypedData,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { serialQueue } from "./serialQueue";

/** A viem client bound to a chain and the account that signs its transactions. */
export type AccountClient = Client<Transport, Chain, Account>;

/**
 * x402's facilitator signer over a viem client: reads, typed-data verification and transaction sends on the
 * client's chain, from the client's account. Sends go through `send` so they never race for a nonce.
 * @example const signer = facilitatorSignerOf(baseClient)
 */
export function facilitatorSignerOf(
  client: AccountClient,
  {
    send = serialQueue(),
    confirmationTimeoutMs = 60_000,
  }: { send?: ReturnType<typeof serialQueue>; confirmationTimeoutMs?: number } = {},
): FacilitatorEvmSigner {
  return toFacilitatorEvmSigner(
    {
      address: client.account.address,
      getCode: (args) => getCode(client, args),
      readContract: (args) =>
        readContract(client, { ...args, args: args.args ?? [] } as Parameters<typeof readContract>[1]),
      verifyTypedData: (args) => verifyTypedData(client, args as Parameters<typeof verifyTypedData>[1]),
      writeContract: (args) =>
        send(() =>
          writeContract(client, {
            ...args,
            args: args.args ?? [],
            account: client.account,
            chain: client.chain,
          } as Parameters<typeof writeContract>[1]),
        ),
      sendTransaction: (args) =>
        send(() => sendTransaction(client, { ...args, account: client.account, chain: client.chain })) as Promise<Hex>,
      waitForTransactionReceipt: (args) => waitForTransactionReceipt(client, args),
    },
    { confirmationTimeoutMs },
  );
}
