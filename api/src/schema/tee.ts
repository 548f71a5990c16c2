import type { TeeStatusChange } from "@settlescan/indexer/src/lib/teeStatus.ts";
import { asc } from "drizzle-orm";
import type { Context } from "../context";
import { type PcrRow, run, type TeeRow } from "../db";
import { teeIdOf } from "../inputs";
import { pcrKeyOf } from "../loaders";

export const typeDefs = /* GraphQL */ `
  "What happened to an enclave's registration."
  enum TeeStatusKind {
    "Registered (registerTEEWithAttestation): enabled from then on."
    registered
    "Enabled again by the registry (TEEEnabled)."
    enabled
    "Disabled by the registry (TEEDisabled)."
    disabled
    "Its PCR hash was revoked (PCRRevoked): that disables every enclave registered with it, with no per-enclave event."
    pcr_revoked
  }

  "What the indexer's re-verification of an enclave's AWS Nitro attestation document found."
  enum EnclaveAttestationResult {
    "AWS's PKI signed the document (signature and certificate chain valid at the registration's block time) and its user data commits to the registered signing key."
    verified
    "It is an AWS Nitro document and a check failed: its signature, its certificate chain at the registration's block time, or its commitment to the registered signing key."
    failed
    "It cannot be checked: it is not an AWS Nitro document (the devnet's documents are not signed by AWS), or the registration transaction did not carry it (a contract called the registry)."
    unverifiable
  }

  "The indexer's own re-verification, at registration, of the AWS Nitro attestation document an enclave registered with. A fact about the registration only: the attestation check of settlements never depends on it."
  type EnclaveAttestation {
    "What the re-verification found."
    result: EnclaveAttestationResult!
    "Why it is not verified, one sentence each; empty when it is."
    reasons: [String!]!
  }

  "One change of an enclave's status, in chain order."
  type TeeStatusChange {
    "What changed."
    kind: TeeStatusKind!
    "The block of the event (of PCRRevoked, for pcr_revoked)."
    blockNumber: Int!
    "The event's log index."
    logIndex: Int!
    "The transaction that emitted it."
    txHash: String!
  }

  "An enclave image (PCR hash) approved by a TEE registry for one TEE type, and its revocation."
  type Pcr {
    "The hash of the enclave image's PCR values."
    pcrHash: String!
    "The registry's TEE type it is approved for."
    teeType: Int!
    "The version string given when it was approved."
    version: String!
    "Approved now: false once revoked."
    approved: Boolean!
    "The block of its (latest) PCRApproved event."
    approvedAtBlock: Int!
    "The block of its PCRRevoked event, while it is revoked."
    revokedAtBlock: Int
    "The registry that approved it."
    registry: String!
  }

  "An enclave (AWS Nitro) as a TEE registry registered it, with its status history and what it has settled."
  type Tee {
    "keccak256 of the enclave's DER (SubjectPublicKeyInfo) RSA public key."
    id: ID!
    "The TEE registry that registered it."
    registry: String!
    "The account that registered it."
    owner: String!
    "The registry's TEE type (0: LLM proxy)."
    teeType: Int!
    "The enclave's signing key, DER SubjectPublicKeyInfo."
    publicKey: String!
    "Whether keccak256(publicKey) equals the id; when not, every inference it signs fails attestation."
    keyMatchesId: Boolean!
    "The hash of the enclave image's PCR values it registered with."
    pcrHash: String!
    "That PCR hash's approval in the registry."
    pcr: Pcr
    "Where its gateway is paid: the payee of its x402 payments."
    paymentAddress: String!
    "The gateway's URL as registered."
    endpoint: String!
    "Where the key and PCR hash were read: \`calldata\` (the registration's input) or \`getTEE\` (a read at the block)."
    source: String!
    "The registration's AWS Nitro attestation document, when its calldata carried it."
    attestationDocument: String
    "The indexer's re-verification of that document against the AWS Nitro root, as of the registration's block time."
    enclaveAttestation: EnclaveAttestation!
    "Enabled now (as indexed): registered, not disabled since, and its PCR not revoked."
    enabled: Boolean!
    "Every status change, oldest first."
    history: [TeeStatusChange!]!
    "The timestamp of its latest heartbeat."
    lastHeartbeatAt: DateTime
    "The registration's block time."
    registeredAt: DateTime!
    "The registration's block."
    registeredAtBlock: Int!
    "The registration's transaction."
    registeredTx: String!
    "Not enabled now."
    revoked: Boolean! @deprecated(reason: "Use enabled (revoked is its negation) and history.")
    "Unknown: status changes carry their block, not its time."
    revokedAt: DateTime @deprecated(reason: "Use history.")
    "The block of the change that disabled it, while it is disabled."
    revokedAtBlock: Int @deprecated(reason: "Use history.")
    "The transaction of the change that disabled it, while it is disabled."
    revokedTx: String @deprecated(reason: "Use history.")
    "What it has settled."
    totals: TeeTotals!
  }

  "What an enclave has settled."
  type TeeTotals {
    "Exact-link receipts signed by it."
    receipts: Int!
    "Of those, the verified ones."
    verifiedReceipts: Int!
    "Of those, the ones whose proof failed."
    invalidProofReceipts: Int!
    "Sum of the receipts' amounts (base units)."
    volume: BigInt!
    "Inferences signed by it, in any state."
    inferences: Int!
    "Of those, the proven ones."
    provenInferences: Int!
    "Of those, the ones whose counting settlement fails inclusion or attestation."
    invalidProofInferences: Int!
    "Of those, the ones only unofficial settlements carry."
    unofficialInferences: Int!
    "When the latest settlement of one of its receipts or inferences was posted."
    lastSettledAt: DateTime
  }

  extend type Query {
    "Every registered enclave, in order of registration."
    tees: [Tee!]!
    "An enclave by its TEE id; null when no registry registered it."
    tee(
      "The TEE id: keccak256 of the enclave's public key (DER SPKI), 32-byte hex."
      id: ID!
    ): Tee
    "Every PCR hash a TEE registry approved, in order of approval."
    pcrs: [Pcr!]!
  }
`;

/** The change that disabled the enclave, while it is disabled. */
const disablingChangeOf = (row: TeeRow): TeeStatusChange | null =>
  row.enabled ? null : (row.history.findLast((c) => c.kind === "disabled" || c.kind === "pcr_revoked") ?? null);

export const resolvers = {
  Query: {
    tees: (_: unknown, __: unknown, ctx: Context) =>
      run(ctx.counter, ctx.db.select().from(ctx.tables.tee).orderBy(asc(ctx.tables.tee.registeredAtBlock))),
    tee: (_: unknown, { id }: { id: string }, ctx: Context) => ctx.loaders.tee.load(teeIdOf(id)),
    pcrs: (_: unknown, __: unknown, ctx: Context) =>
      run(
        ctx.counter,
        ctx.db.select().from(ctx.tables.pcr).orderBy(asc(ctx.tables.pcr.approvedAtBlock), asc(ctx.tables.pcr.id)),
      ),
  },
  Tee: {
    pcr: (row: TeeRow, _: unknown, ctx: Context) =>
      ctx.loaders.pcr.load(pcrKeyOf(row.registry, row.teeType, row.pcrHash)),
    enclaveAttestation: (row: TeeRow) => ({ result: row.nitroResult, reasons: row.nitroReasons }),
    registeredAtBlock: (row: TeeRow) => Number(row.registeredAtBlock),
    revoked: (row: TeeRow) => !row.enabled,
    revokedAt: () => null,
    revokedAtBlock: (row: TeeRow) => {
      const change = disablingChangeOf(row);
      return change ? Number(change.block) : null;
    },
    revokedTx: (row: TeeRow) => disablingChangeOf(row)?.tx ?? null,
    totals: (row: TeeRow, _: unknown, ctx: Context) => ctx.loaders.teeTotals.load(row.id),
  },
  TeeStatusChange: {
    blockNumber: (change: TeeStatusChange) => Number(change.block),
    txHash: (change: TeeStatusChange) => change.tx,
  },
  Pcr: {
    approvedAtBlock: (row: PcrRow) => Number(row.approvedAtBlock),
    revokedAtBlock: (row: PcrRow) => (row.revokedAtBlock === null ? null : Number(row.revokedAtBlock)),
  },
};
