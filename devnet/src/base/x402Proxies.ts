import {
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402ExactPermit2ProxyAbi,
  x402ExactPermit2ProxyBytecode,
  x402UptoPermit2ProxyAbi,
  x402UptoPermit2ProxyBytecode,
} from "@settlescan/abis";
import { type Address, getAddress, type Hex } from "viem";
import type { DevnetClient } from "../deploy";
import { DevnetError } from "../errors";

const PROXIES = [
  {
    name: "x402UptoPermit2Proxy",
    address: X402_UPTO_PERMIT2_PROXY_ADDRESS,
    abi: x402UptoPermit2ProxyAbi,
    bytecode: x402UptoPermit2ProxyBytecode,
  },
  {
    name: "x402ExactPermit2Proxy",
    address: X402_EXACT_PERMIT2_PROXY_ADDRESS,
    abi: x402ExactPermit2ProxyAbi,
    bytecode: x402ExactPermit2ProxyBytecode,
  },
] as const;

/**
 * Puts Settlescan's x402 proxies at x402's canonical proxy addresses: each is deployed at an ordinary address, then
 * its runtime code is copied with `anvil_setCode` (x402's own init code is in no npm package, and our build's differs,
 * so CREATE2 could not land on x402's addresses). The code keeps no state, so the copy behaves as the original.
 * Returns where the deployed originals are.
 * @example await installX402Proxies(devnetClientOf(base))
 */
export async function installX402Proxies(
  client: DevnetClient,
): Promise<Record<(typeof PROXIES)[number]["name"], Address>> {
  const originals = {} as Record<(typeof PROXIES)[number]["name"], Address>;
  for (const { name, address, abi, bytecode } of PROXIES) {
    const hash = await client.deployContract({ abi, bytecode });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success" || !receipt.contractAddress)
      throw new DevnetError(`Deploying ${name} failed (tx ${hash}).`);
    const original = getAddress(receipt.contractAddress);
    const runtime = (await client.getCode({ address: original })) as Hex;
    await client.test.setCode({ address, bytecode: runtime });
    if ((await client.getCode({ address })) !== runtime)
      throw new DevnetError(`anvil_setCode did not put ${name}'s runtime code at ${address}.`);
    originals[name] = original;
  }
  return originals;
}
