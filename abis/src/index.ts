export {
  calldataSettlementRelayBytecode,
  devnetTeeRegistryBytecode,
  multicall3DeployedBytecode,
  usdcBytecode,
  usdcDeployedBytecode,
} from "./bytecode";
export { calldataSettlementRelayAbi } from "./calldataSettlementRelayAbi";
export { MULTICALL3_ADDRESS, USDC_ADDRESS_BASE, USDC_ADDRESS_BASE_SEPOLIA, USDC_DECIMALS } from "./constants";
export { devnetTeeRegistryAbi } from "./devnetTeeRegistryAbi";
export { BaseError, InvalidInputError } from "./errors";
export {
  assertBytes32,
  type InferenceKey,
  inferenceIdOf,
  isBytes32,
  type PaymentKey,
  paymentIdOf,
  receiptIdOf,
} from "./ids";
export { inferenceIdOfLeaf, LEAF_TYPES, type Leaf, leafHashOf, leafValuesOf } from "./leaf";
export {
  hashPair,
  type MerkleTree,
  merkleTreeOf,
  merkleTreeOfHashes,
  processMerkleProof,
  verifyMerkleProof,
} from "./merkle";
export { multicall3Abi } from "./multicall3Abi";
export {
  generateTeeKey,
  importTeePrivateKey,
  importTeePublicKey,
  signInference,
  teeIdOf,
  teeMessageOf,
  verifyTeeSignature,
} from "./tee";
export { usdcAbi } from "./usdcAbi";
export {
  assertWalrusBlobId,
  blobIdOfEventBytes,
  blobIdOfRawBytes,
  eventBytesOfBlobId,
  isWalrusBlobId,
  rawBytesOfBlobId,
  WALRUS_BLOB_ID_LENGTH,
  type WalrusBlobId,
} from "./walrus";
