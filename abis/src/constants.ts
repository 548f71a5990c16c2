/** Circle's USDC on Base mainnet (eip155:8453); the devnet places its EIP-3009 token at the same address. */
export const USDC_ADDRESS_BASE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" as const;
/** Circle's USDC on Base Sepolia (eip155:84532). */
export const USDC_ADDRESS_BASE_SEPOLIA = "0x036CbD53842c5426634e7929541eC2318f3dCF7e" as const;
/** USDC has 6 decimals on every chain Circle deploys it to. */
export const USDC_DECIMALS = 6;
/** Multicall3's address, the same on every chain it is deployed to (mds1/multicall3); the devnet places it on "base". */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;
/** OPG on Base mainnet (OpenGradient tee-gateway `definitions.py`); the devnet places its OPG at the same address. */
export const OPG_ADDRESS_BASE = "0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB" as const;
/** OPG has 18 decimals. */
export const OPG_DECIMALS = 18;
/** Permit2's canonical address: CREATE2 through Arachnid's deployer with Permit2's salt (Uniswap/permit2). */
export const PERMIT2_ADDRESS = "0x000000000022D473030F116dDEE9F6B43aC78BA3" as const;
/** x402's `upto` Permit2 proxy, the same CREATE2 address on every chain (x402 `contracts/evm/README.md`). */
export const X402_UPTO_PERMIT2_PROXY_ADDRESS = "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002" as const;
/** x402's `exact` Permit2 proxy, the same CREATE2 address on every chain (x402 `contracts/evm/README.md`). */
export const X402_EXACT_PERMIT2_PROXY_ADDRESS = "0x402085c248EeA27D92E8b30b2C58ed07f9E20001" as const;
