// The verifier a user can re-run, trusting no Settlescan server (docs/protocol.md §5): pure, viem and fetch only, for
// the CLI, the explorer and the indexer alike.
export {
  attestationOf,
  contentCheckOf,
  type InputNames,
  inclusionOf,
  type Provenance,
  provenanceOf,
  SETTLEMENT_RELAY_ROLE,
  type SignatureToCheck,
} from "./checks";
export { type EnclaveAttestation, type EnclaveRegistration, enclaveAttestationOf } from "./enclave";
export { type VerifyInput, VerifyInputError, VerifySourceError } from "./errors";
export {
  type BatchLog,
  compareLogPlaces,
  DEFAULT_LOG_BLOCK_RANGE,
  DEFAULT_WINDOW_SECONDS,
  firstBlockAtOrAfter,
  type IndividualLog,
  LEAD_SECONDS,
  type RelayLog,
  type SearchWindow,
  type SettlementCandidate,
  type SettlementSearch,
  searchSettlements,
  searchWindowOf,
  type UnreadBatch,
} from "./findSettlement";
export {
  checkMarkOf,
  formatReport,
  VERIFY_CHECK_NAMES,
  type VerifiedSettlement,
  type VerifyCheck,
  type VerifyCheckName,
  type VerifyReport,
  type VerifySource,
  type VerifyState,
} from "./report";
export {
  type BlobReader,
  blobReaderOf,
  type ChainReader,
  connectChain,
  graphqlUrlOf,
  type Hint,
  isChainAnswer,
  readHint,
} from "./sources";
export {
  type LegacyVerifyReport,
  type LegacyVerifyState,
  type SignedInference,
  type VerifyResponseParameters,
  type VerifySignedInferenceParameters,
  type VerifySources,
  verifyLegacyResponse,
  verifyResponse,
  verifySignedInference,
} from "./verifyResponse";
export {
  formatX402ReceiptReport,
  type VerifyX402ReceiptParameters,
  verifyX402Receipt,
  type X402ReceiptPayment,
  type X402ReceiptReport,
  type X402ReceiptState,
  x402ReceiptPaymentOf,
} from "./x402ReceiptPayment";
