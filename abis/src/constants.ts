/** Circle's USDC on Base mainnet (eip155:8453); the devnet places its EIP-3009 token at the same address. */
export const USDC_ADDRESS_BASE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913" as const;
/** Circle's USDC on Base Sepolia (eip155:84532). */
export const USDC_ADDRESS_BASE_SEPOLIA = "0x036CbD53842c5426634e7929541eC2318f3dCF7e" as const;
/** USDC has 6 decimals on every chain Circle deploys it to. */
export const USDC_DECIMALS = 6;
/** Multicall3's address, the same on every chain it is deployed to (mds1/multicall3); the devnet places it on "base". */
export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;
