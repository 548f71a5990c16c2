export { AWS_NITRO_ROOT_CERTIFICATE_PEM, AWS_NITRO_ROOT_CERTIFICATE_SHA256 } from "./attestation/awsNitroRoot";
export {
  type CborKey,
  type CborMap,
  type CborTagged,
  type CborValue,
  decodeCbor,
  encodeCbor,
} from "./attestation/cbor";
export {
  COSE_ALGORITHM_ES384,
  type CoseSign1,
  coseSign1Es384Failure,
  decodeCoseSign1,
  sigStructureOf,
} from "./attestation/cose";
export {
  type NitridingUserData,
  type NitroAttestationDocument,
  type NitroAttestationVerification,
  nitridingUserDataOf,
  parseNitroAttestationDocument,
  type VerifyNitroAttestationOptions,
  verifyNitroAttestation,
} from "./attestation/nitro";
export { type Certificate, certificateChainFailures, certificateDerOf, parseCertificate } from "./attestation/x509";
export {
  type BlobPrefetcher,
  type BlobPrefetcherStats,
  type BlobRequestOptions,
  blobsEndpointOf,
  blobUrlOf,
  createBlobPrefetcher,
  type FetchedBlob,
  fetchBlob,
  type UploadBlobOptions,
  uploadBlob,
} from "./blobClient";
export {
  calldataSettlementRelayBytecode,
  devnetTeeRegistryBytecode,
  devnetTeeVerifierDeployedBytecode,
  multicall3DeployedBytecode,
  settlementRelayV1Bytecode,
  settlementRelayV2Bytecode,
  settlementRelayV3Bytecode,
  teeInferenceVerifierBytecode,
  teeRegistryBytecode,
  usdcBytecode,
  usdcDeployedBytecode,
} from "./bytecode";
export { calldataSettlementRelayAbi } from "./calldataSettlementRelayAbi";
export { MULTICALL3_ADDRESS, USDC_ADDRESS_BASE, USDC_ADDRESS_BASE_SEPOLIA, USDC_DECIMALS } from "./constants";
export { devnetAttestationDocumentOf, type PcrMeasurements, pcrHashOf } from "./devnetAttestation";
export { devnetTeeRegistryAbi } from "./devnetTeeRegistryAbi";
export { devnetTeeVerifierAbi } from "./devnetTeeVerifierAbi";
export { BaseError, BlobFetchError, BlobFormatError, BlobUploadError, InvalidInputError, ProfileError } from "./errors";
export {
  assertBytes32,
  type InferenceKey,
  inferenceIdOf,
  isBytes32,
  type PaymentKey,
  paymentIdOf,
  receiptIdOf,
} from "./ids";
export {
  type IndividualBlob,
  type IndividualBlobParameters,
  individualBlobOf,
  parseIndividualBlob,
} from "./individualBlob";
export { inferenceIdOfLeaf, LEAF_TYPES, type Leaf, leafHashOf, leafValuesOf } from "./leaf";
export {
  type AnyLeafEncoding,
  defineLeafEncoding,
  type E1Leaf,
  type E2Leaf,
  type E3Leaf,
  type ExactLeaf,
  e1,
  e2,
  e2SignatureValueOf,
  e3,
  exact,
  findLeafEncoding,
  inferenceIdOfSettledLeaf,
  KNOWN_LEAF_ENCODINGS,
  LEAF_ENCODINGS,
  type LeafAbiType,
  type LeafEncoding,
  type LeafEncodingName,
  type LeafOf,
  leafEncodingOf,
  leafEncodingOfLeaf,
  type SettledLeaf,
} from "./leaves";
export {
  hashPair,
  type MerkleNodes,
  type MerkleTree,
  merkleNodesOfHashes,
  merkleProofOf,
  merkleTreeOf,
  merkleTreeOfHashes,
  processMerkleProof,
  verifyMerkleProof,
} from "./merkle";
export { multicall3Abi } from "./multicall3Abi";
export {
  acceptedTokenOf,
  BUILT_IN_PROFILES,
  type ChainRole,
  type NetworkProfile,
  type NetworkProfileWithRpcUrls,
  type PaymentNetwork,
  PROFILE_ENV,
  type ProfileEnv,
  type ProfileFacilitator,
  type ProfileGateway,
  type ProfileRelay,
  type ProfileTeeRegistry,
  type ProfileToken,
  parseProfile,
  profileWithEnv,
  RELAY_ABI_VERSIONS,
  type RelayAbiVersion,
  relayOf,
  requireRpcUrls,
  type VerificationNetwork,
} from "./profile";
export {
  compareCodePoints,
  type DumpsOptions,
  dumpsPython,
  type PyDict,
  PyFloat,
  type PyInput,
  type PyValue,
  parsePythonJson,
  pyFloat,
  pyInt,
  pyRepr,
  pyStr,
  pyTruthy,
  toPython,
} from "./pythonJson";
export { settlementRelayV1Abi } from "./settlementRelayV1Abi";
export { settlementRelayV2Abi } from "./settlementRelayV2Abi";
export { settlementRelayV3Abi } from "./settlementRelayV3Abi";
export {
  generateTeeKey,
  importTeePrivateKey,
  importTeePublicKey,
  signInference,
  teeIdOf,
  teeMessageOf,
  verifyTeeSignature,
} from "./tee";
export { teeInferenceVerifierAbi } from "./teeInferenceVerifierAbi";
export { teeRegistryAbi } from "./teeRegistryAbi";
export {
  canonicalRequestOf,
  inputHashOf,
  outputHashOf,
  outputPreimageOf,
  type TeeFields,
  type TeeOutput,
  type TeeRequestKind,
  type TeeResponseArgs,
  type TeeResponseKind,
  teeFieldsOf,
  teeResponseOf,
} from "./teeResponse";
export {
  type BlobLeaf,
  type ParsedTreeDump,
  parseBlobJson,
  parseTreeDump,
  TREE_DUMP_FORMAT,
  type TreeDump,
  treeDumpOf,
} from "./treeDump";
export { usdcAbi } from "./usdcAbi";
export {
  attestationOf,
  type BatchLog,
  type BlobReader,
  blobReaderOf,
  type ChainReader,
  checkMarkOf,
  compareLogPlaces,
  connectChain,
  contentCheckOf,
  DEFAULT_LOG_BLOCK_RANGE,
  DEFAULT_WINDOW_SECONDS,
  firstBlockAtOrAfter,
  formatReport,
  graphqlUrlOf,
  type Hint,
  type IndividualLog,
  type InputNames,
  inclusionOf,
  isChainAnswer,
  LEAD_SECONDS,
  type Provenance,
  provenanceOf,
  type RelayLog,
  readHint,
  SETTLEMENT_RELAY_ROLE,
  type SearchWindow,
  type SettlementCandidate,
  type SettlementSearch,
  type SignatureToCheck,
  type SignedInference,
  searchSettlements,
  searchWindowOf,
  type UnreadBatch,
  VERIFY_CHECK_NAMES,
  type VerifiedSettlement,
  type VerifyCheck,
  type VerifyCheckName,
  type VerifyInput,
  VerifyInputError,
  type VerifyReport,
  type VerifyResponseParameters,
  type VerifySignedInferenceParameters,
  type VerifySource,
  VerifySourceError,
  type VerifySources,
  type VerifyState,
  verifyResponse,
  verifySignedInference,
} from "./verify";
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
