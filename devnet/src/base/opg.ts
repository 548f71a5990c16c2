import { OPG_ADDRESS_BASE, OPG_DECIMALS, opgAbi, opgDeployedBytecode } from "@settlescan/abis";
import { type Address, type Hash, parseUnits } from "viem";
import { DEPLOYER } from "../accounts";
import type { DevnetClient } from "../deploy";
import { DevnetError } from "../errors";

/** The EIP-712 domain name and version x402 payments in OPG carry in `extra` (tee-gateway `__main__.py`). */
export const OPG_EIP712 = { name: "OpenGradient", version: "1" } as const;
/** OPG units the devnet mints to each payer by default: 1,000 OPG. */
export const DEFAULT_OPG_MINT = parseUnits("1000", OPG_DECIMALS);

/**
 * Installs the devnet's OPG (runtime code only, so name, symbol and domain are constants of the code) at OPG's Base
 * address and makes DEPLOYER its minter. Returns the block of the `initialize` transaction.
 * @example const { blockNumber } = await installOpg(devnetClientOf(base))
 */
export async function installOpg(client: DevnetClient): Promise<{ blockNumber: bigint }> {
  await client.test.setCode({ address: OPG_ADDRESS_BASE, bytecode: opgDeployedBytecode });
  const hash = await client.writeContract({
    address: OPG_ADDRESS_BASE,
    abi: opgAbi,
    functionName: "initialize",
    args: [DEPLOYER.address],
    account: DEPLOYER,
  });
  const receipt = await confirmed(client, hash, "OPG initialize");
  return { blockNumber: receipt.blockNumber };
}

/** Mints `amount` OPG units to each account from DEPLOYER, every transaction sent before any is awaited. */
export async function mintOpg(client: DevnetClient, to: readonly Address[], amount: bigint = DEFAULT_OPG_MINT) {
  let nonce = await client.getTransactionCount({ address: DEPLOYER.address, blockTag: "pending" });
  const hashes: Hash[] = [];
  for (const account of to)
    hashes.push(
      await client.writeContract({
        address: OPG_ADDRESS_BASE,
        abi: opgAbi,
        functionName: "mint",
        args: [account, amount],
        account: DEPLOYER,
        nonce: nonce++,
        gas: 100_000n,
      }),
    );
  for (const hash of hashes) await confirmed(client, hash, "OPG mint");
}

async function confirmed(client: DevnetClient, hash: Hash, what: string) {
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success") throw new DevnetError(`Installing OPG failed at "${what}" (tx ${hash} reverted).`);
  return receipt;
}
