import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PERMIT2_ADDRESS } from "@settlescan/abis";
import { type Address, concat, type Hash, type Hex, keccak256, parseAbi } from "viem";
import type { DevnetClient } from "../deploy";
import { DevnetError } from "../errors";

/** Arachnid's deterministic-deployment proxy; anvil has it at genesis. Calldata is `salt ‖ initCode`. */
export const CREATE2_DEPLOYER_ADDRESS: Address = "0x4e59b44847b379578588920cA78FbF26c0B4956C";
/** The salt of Permit2's deployment (Uniswap/permit2 `script/DeployPermit2.s.sol`). */
export const PERMIT2_SALT: Hex = "0x0000000000000000000000000000000000000000d3af2663da51c10215000000";
/** keccak256 of Permit2's canonical init code (9,345 bytes), as `@uniswap/uniswapx-sdk@3.1.0` ships it. */
export const PERMIT2_INIT_CODE_HASH: Hash = "0xe2be1e05eedf35dacd66c65c862f8150ff9ab4b6b24b9bbe62be71b6b16cf0f8";

/** The part of Permit2's ABI that x402 payments touch: SignatureTransfer's nonces, their cancellation, its errors. */
export const permit2Abi = parseAbi([
  "function DOMAIN_SEPARATOR() view returns (bytes32)",
  "function nonceBitmap(address owner, uint256 wordPos) view returns (uint256)",
  "function invalidateUnorderedNonces(uint256 wordPos, uint256 mask)",
  "event UnorderedNonceInvalidation(address indexed owner, uint256 word, uint256 mask)",
  "error InvalidNonce()",
  "error SignatureExpired(uint256 signatureDeadline)",
  "error InvalidAmount(uint256 maxAmount)",
  "error InvalidSignature()",
  "error InvalidSignatureLength()",
  "error InvalidSigner()",
  "error InvalidContractSignature()",
]);

/**
 * Permit2's canonical init code, read from `@uniswap/uniswapx-sdk`'s `Permit2__factory` (a file the package does not
 * export, so it is read as text next to the package's entry point) and checked against `PERMIT2_INIT_CODE_HASH`.
 */
export function permit2InitCode(): Hex {
  const entry = createRequire(import.meta.url).resolve("@uniswap/uniswapx-sdk");
  const path = join(dirname(entry), "contracts", "factories", "Permit2__factory.js");
  const initCode = /const _bytecode\s*=\s*"(0x[0-9a-fA-F]+)"/.exec(readFileSync(path, "utf8"))?.[1] as Hex | undefined;
  if (!initCode || keccak256(initCode) !== PERMIT2_INIT_CODE_HASH)
    throw new DevnetError(
      `${path} does not hold Permit2's canonical init code (keccak256 ${PERMIT2_INIT_CODE_HASH}).`,
      {
        details: "Install @uniswap/uniswapx-sdk@3.1.0, whose Permit2__factory carries it.",
      },
    );
  return initCode;
}

/**
 * Deploys Permit2 at its canonical address the way it was deployed on mainnets: its init code through the CREATE2
 * deployer with its salt, so its immutables (cached chain id and domain separator) are those of this chain.
 * Does nothing when Permit2 is already there.
 * @example await deployPermit2(devnetClientOf(base))
 */
export async function deployPermit2(client: DevnetClient): Promise<void> {
  if (await hasCode(client, PERMIT2_ADDRESS)) return;
  if (!(await hasCode(client, CREATE2_DEPLOYER_ADDRESS)))
    throw new DevnetError(`The CREATE2 deployer ${CREATE2_DEPLOYER_ADDRESS} has no code on chain ${client.chain.id}.`, {
      details: "anvil places it at genesis; another node may need `anvil_setCode` with its runtime first.",
    });
  const hash = await client.sendTransaction({
    to: CREATE2_DEPLOYER_ADDRESS,
    data: concat([PERMIT2_SALT, permit2InitCode()]),
  });
  const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  if (receipt.status !== "success" || !(await hasCode(client, PERMIT2_ADDRESS)))
    throw new DevnetError(
      `Deploying Permit2 through the CREATE2 deployer left no code at ${PERMIT2_ADDRESS} (tx ${hash}).`,
    );
}

/**
 * The word and bit of a Permit2 unordered nonce: `nonceBitmap(owner, wordPos)` has bit `nonce & 0xff` set once the
 * nonce is used or cancelled, and `invalidateUnorderedNonces(wordPos, mask)` cancels the nonces of `mask`.
 * @example permit2NonceWordOf(258n) // { wordPos: 1n, mask: 4n }
 */
export function permit2NonceWordOf(nonce: bigint): { wordPos: bigint; mask: bigint } {
  return { wordPos: nonce >> 8n, mask: 1n << (nonce & 0xffn) };
}

async function hasCode(client: DevnetClient, address: Address) {
  const code = await client.getCode({ address });
  return code !== undefined && code !== "0x";
}
