// The checks of docs/protocol.md §5, each on plain values read by ./sources.ts: content (what the user holds), inclusion,
// attestation and provenance of one settlement. Each returns a `VerifyCheck` saying what was found and where.
import { type Address, getAddress, type Hex, keccak256, stringToHex } from "viem";
import { BlobFormatError, InvalidInputError } from "../errors";
import { parseIndividualBlob } from "../individualBlob";
import { processMerkleProof } from "../merkle";
import type { NetworkProfile, ProfileRelay } from "../profile";
import { settlementRelayV3Abi } from "../settlementRelayV3Abi";
import { publicKeyDerOf, type SchemeMatch, teeIdOfPem, verifyWithSchemes } from "../signatureSchemes";
import { teeIdOf } from "../tee";
import { teeRegistryAbi } from "../teeRegistryAbi";
import { inputHashOf, outputHashOf, type TeeFields } from "../teeResponse";
import { blobIdOfEventBytes } from "../walrus";
import { VerifyInputError } from "./errors";
import type { IndividualLog, SettlementCandidate } from "./findSettlement";
import type { VerifyCheck } from "./report";
import { type BlobReader, type ChainReader, isChainAnswer } from "./sources";

/** `keccak256("SETTLEMENT_RELAY_ROLE")`: the role a relay grants its facilitators (AccessControl). */
export const SETTLEMENT_RELAY_ROLE: Hex = keccak256(stringToHex("SETTLEMENT_RELAY_ROLE"));

/** `0x1234…cdef`: long hex shortened for sentences. */
export const shortHex = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 8)}…${hex.slice(-4)}` : hex);

/** `RPC <url> (chain <id>)`, and the block read at when there is one. */
export const rpcSourceOf = (chain: Pick<ChainReader, "url" | "chainId">, blockNumber?: bigint) =>
  `RPC ${chain.url} (chain ${chain.chainId})${blockNumber === undefined ? "" : ` at block ${blockNumber}`}`;

/** "A", "A and B", "A, B and C". */
export const listOf = (items: readonly string[]) =>
  items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** How the user's inputs are named in checks and messages (file names in the CLI). */
export type InputNames = { response: string; request: string };

/**
 * Recomputes `tee_output_hash` from the response's content (and `tee_request_hash` from the request, when given)
 * and compares them with the signed fields. A request that cannot be read throws `VerifyInputError`.
 * @example contentCheckOf({ response: body, fields: teeFieldsOf(body), names })
 */
export function contentCheckOf({
  response,
  request,
  fields,
  names,
}: {
  response: string | object;
  request?: string | object;
  fields: TeeFields;
  names: InputNames;
}): VerifyCheck {
  const source = request === undefined ? names.response : `${names.response} and ${names.request}`;
  let outputHash: Hex | undefined;
  try {
    outputHash = outputHashOf(response);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
  }
  let inputHash: Hex | undefined;
  if (request !== undefined) {
    try {
      inputHash = inputHashOf(request, fields.kind === "completion" ? "completion" : "chat");
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new VerifyInputError("request", error.message, { cause: error });
    }
  }
  const failures: string[] = [];
  if (outputHash !== undefined && outputHash !== fields.outputHash)
    failures.push(
      `the content you received is not what the enclave signed: its keccak256 is ${outputHash}, tee_output_hash is ${fields.outputHash}`,
    );
  if (inputHash !== undefined && inputHash !== fields.inputHash)
    failures.push(
      `the request given is not the one the enclave answered: its canonical hash is ${inputHash}, tee_request_hash is ${fields.inputHash}`,
    );
  if (failures.length > 0) return { name: "content", ok: false, detail: `${failures.join("; ")}.`, source };
  const what = fields.toolCalls ? "the tool calls" : "the content";
  const output =
    outputHash === undefined
      ? `the response carries no content to hash, so tee_output_hash ${shortHex(fields.outputHash)} is taken as signed`
      : `keccak256 of ${what} equals tee_output_hash ${shortHex(fields.outputHash)}`;
  const input =
    inputHash === undefined
      ? "no request given, so tee_request_hash is taken as signed"
      : `the request's canonical hash equals tee_request_hash ${shortHex(fields.inputHash)}`;
  return { name: "content", ok: outputHash === undefined ? null : true, detail: `${output}; ${input}.`, source };
}

/** Who posted a settlement, and whether that makes it official. */
export type Provenance = { signer: Address; official: boolean; check: VerifyCheck };

/**
 * Provenance of a settlement transaction: its `tx.from` must be one of the relay's `signers` in the profile or,
 * when the profile lists none, hold the relay's `SETTLEMENT_RELAY_ROLE` at the settlement's block.
 */
export async function provenanceOf(
  chain: ChainReader,
  { relay, txHash, blockNumber }: { relay: ProfileRelay; txHash: Hex; blockNumber: bigint },
): Promise<Provenance> {
  const tx = await chain.read(`eth_getTransactionByHash(${txHash})`, (c) => c.getTransaction({ hash: txHash }));
  const signer = getAddress(tx.from);
  if (relay.signers) {
    const official = relay.signers.some((known) => known.toLowerCase() === signer.toLowerCase());
    const known = relay.signers.length === 0 ? "none" : listOf(relay.signers);
    return {
      signer,
      official,
      check: {
        name: "provenance",
        ok: official,
        detail: official
          ? `posted by ${signer}, ${relay.signers.length === 1 ? "the only known signer" : `one of the ${relay.signers.length} known signers`} of relay ${relay.address}.`
          : `posted by ${signer}, who is not a known signer of relay ${relay.address} (known: ${known}): unofficial.`,
        source: `${rpcSourceOf(chain)}: tx ${txHash}; signers from the profile`,
      },
    };
  }
  const official = await chain.read(`hasRole(SETTLEMENT_RELAY_ROLE, ${signer}) at block ${blockNumber}`, (c) =>
    c.readContract({
      address: relay.address,
      abi: settlementRelayV3Abi,
      functionName: "hasRole",
      args: [SETTLEMENT_RELAY_ROLE, signer],
      blockNumber,
    }),
  );
  return {
    signer,
    official,
    check: {
      name: "provenance",
      ok: official,
      detail: official
        ? `posted by ${signer}, who holds relay ${relay.address}'s SETTLEMENT_RELAY_ROLE at block ${blockNumber}.`
        : `posted by ${signer}, who does not hold relay ${relay.address}'s SETTLEMENT_RELAY_ROLE at block ${blockNumber}: unofficial.`,
      source: `${rpcSourceOf(chain, blockNumber)}: tx ${txHash}, relay hasRole`,
    },
  };
}

/**
 * Inclusion of the inference in a settlement. Batch: the blob rebuilds the event's `merkleRoot` and holds the leaf,
 * whose proof leads to that root. Individual: the event's fields are the leaf; its blob, when fetchable, must agree.
 */
export async function inclusionOf(
  candidate: SettlementCandidate,
  { chain, blobs }: { chain: ChainReader; blobs: BlobReader },
): Promise<VerifyCheck> {
  if (candidate.kind === "batch") {
    const { blob, leaf, blobId, blobUrl } = candidate;
    const source = `Walrus aggregator ${blobUrl}; event at ${rpcSourceOf(chain, candidate.log.blockNumber)}`;
    const size = blob.leaves.length;
    const sizeNote =
      BigInt(size) === candidate.log.batchSize ? "" : ` (the event says batchSize ${candidate.log.batchSize})`;
    if (blob.root !== candidate.log.merkleRoot)
      return {
        name: "inclusion",
        ok: false,
        detail: `blob ${blobId} rebuilds the root ${blob.root}, not the event's merkleRoot ${candidate.log.merkleRoot}: the blob does not match its settlement.`,
        source,
      };
    const proofOk = processMerkleProof(leaf.leafHash, leaf.proof) === candidate.log.merkleRoot;
    return {
      name: "inclusion",
      ok: proofOk,
      detail: proofOk
        ? `blob ${blobId} rebuilds the event's merkleRoot ${shortHex(blob.root)} from its ${size} leaves${sizeNote} and holds this inference as value ${leaf.index} (${blob.encoding.name}); its ${leaf.proof.length}-node proof leads to the root.`
        : `the leaf's proof in blob ${blobId} does not lead to the event's merkleRoot ${candidate.log.merkleRoot}.`,
      source,
    };
  }
  const { log } = candidate;
  const source = rpcSourceOf(chain, log.blockNumber);
  const eventNote = `the IndividualSettlement event carries the leaf (teeId, hashes, timestamp, signature)`;
  const blob = await individualBlobNoteOf(log, blobs);
  return {
    name: "inclusion",
    ok: blob.ok,
    detail: `${eventNote}; ${blob.note}.`,
    source: blob.url ? `${source}; Walrus aggregator ${blob.url}` : source,
  };
}

/** What an individual settlement's blob says of its event: agrees, disagrees, or cannot be read (not a failure). */
async function individualBlobNoteOf(
  log: IndividualLog,
  blobs: BlobReader,
): Promise<{ ok: boolean; note: string; url?: string }> {
  let blobId: string;
  try {
    blobId = blobIdOfEventBytes(log.walrusBlobId);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { ok: true, note: "its walrusBlobId names no Walrus blob, so there is no blob to compare" };
  }
  const url = blobs.urlOf(blobId);
  let fetched: Awaited<ReturnType<BlobReader["read"]>>;
  try {
    fetched = await blobs.read(blobId);
  } catch (error) {
    return {
      ok: true,
      url,
      note: `its blob could not be fetched (${(error as Error).message}), so it was not compared`,
    };
  }
  if (fetched.status === "missing")
    return {
      ok: true,
      url,
      note: `its blob ${blobId} is not available (HTTP ${fetched.httpStatus}), so it was not compared`,
    };
  let blob: ReturnType<typeof parseIndividualBlob>;
  try {
    blob = parseIndividualBlob(fetched.bytes);
  } catch (error) {
    if (!(error instanceof BlobFormatError)) throw error;
    return { ok: false, url, note: `its blob ${blobId} is not an individual settlement's blob: ${error.message}` };
  }
  const differences = [
    blob.teeId !== log.teeId && `teeId ${blob.teeId}`,
    blob.timestamp !== log.timestamp && `timestamp ${blob.timestamp}`,
    blob.signature !== log.signature && "another signature",
    blob.inputHash !== undefined && blob.inputHash !== log.inputHash && `tee_request_hash ${blob.inputHash}`,
    blob.outputHash !== undefined && blob.outputHash !== log.outputHash && `tee_output_hash ${blob.outputHash}`,
  ].filter((difference) => typeof difference === "string");
  return differences.length > 0
    ? { ok: false, url, note: `but its blob ${blobId} disagrees with it: the blob has ${listOf(differences)}` }
    : { ok: true, url, note: `its blob ${blobId} agrees with it` };
}

/** A signature to check against the registered key, and how to name it. */
export type SignatureToCheck = { what: string; signature: Hex };

/**
 * Attestation at a settlement's block: the TEE is registered in one of the profile's registries (`getTEE`),
 * `keccak256(publicKey) == teeId` (or, for enclaves of before 2026-03-06, keccak256 of the key's PEM text), it is enabled
 * (`isTEEEnabled`) and its PCR approved (`isPCRApproved`) at that block, and each signature verifies with the registered
 * key under the signature scheme of the inference's timestamp, or else under another (`verifyWithSchemes`); the
 * detail names the scheme that verified.
 */
export async function attestationOf({
  chain,
  profile,
  fields,
  blockNumber,
  signatures,
}: {
  chain: ChainReader;
  profile: NetworkProfile;
  fields: TeeFields;
  blockNumber: bigint;
  signatures: readonly SignatureToCheck[];
}): Promise<VerifyCheck> {
  const { teeId } = fields;
  const registries = profile.verification.teeRegistries.filter(
    (registry) => registry.startBlock === undefined || BigInt(registry.startBlock) <= blockNumber,
  );
  const at = { blockNumber };
  for (const registry of registries) {
    const readTee = () =>
      chain.read(`getTEE(${teeId}) on registry ${registry.address} at block ${blockNumber}`, (c) =>
        c.readContract({
          address: registry.address,
          abi: teeRegistryAbi,
          functionName: "getTEE",
          args: [teeId],
          ...at,
        }),
      );
    let tee: Awaited<ReturnType<typeof readTee>>;
    try {
      tee = await readTee();
    } catch (error) {
      if (isChainAnswer(error)) continue;
      throw error;
    }
    const source = `${rpcSourceOf(chain, blockNumber)}: registry ${registry.address} getTEE, isTEEEnabled, isPCRApproved`;
    const [enabled, pcrApproved] = await Promise.all([
      chain.read(`isTEEEnabled(${teeId}) at block ${blockNumber}`, (c) =>
        c.readContract({
          address: registry.address,
          abi: teeRegistryAbi,
          functionName: "isTEEEnabled",
          args: [teeId],
          ...at,
        }),
      ),
      chain.read(`isPCRApproved(${tee.teeType}, ${tee.pcrHash}) at block ${blockNumber}`, (c) =>
        c.readContract({
          address: registry.address,
          abi: teeRegistryAbi,
          functionName: "isPCRApproved",
          args: [tee.teeType, tee.pcrHash],
          ...at,
        }),
      ),
    ]);
    const failures: string[] = [];
    const keyNote = keyNamesTeeOf(tee.publicKey, teeId);
    if (!keyNote.ok) failures.push(keyNote.note);
    if (!enabled) failures.push(`it is not enabled at block ${blockNumber}`);
    if (!pcrApproved) failures.push(`its PCR ${tee.pcrHash} is not approved at block ${blockNumber}`);
    const verified: { what: string; match: SchemeMatch }[] = [];
    for (const { what, signature } of signatures) {
      let match: SchemeMatch | undefined;
      try {
        const { inputHash, outputHash, timestamp } = fields;
        match = await verifyWithSchemes({
          publicKey: tee.publicKey,
          signature,
          content: { inputHash, outputHash, timestamp },
        });
      } catch (error) {
        if (!(error instanceof InvalidInputError)) throw error;
        failures.push(`its registered public key is not an RSA key (${error.message})`);
        break;
      }
      if (match) verified.push({ what, match });
      else
        failures.push(`${what} does not verify with the registered key under any of the gateway's signature schemes`);
    }
    const tee_ = `TEE ${shortHex(teeId)} (registry ${registry.address}, PCR ${shortHex(tee.pcrHash)})`;
    return failures.length > 0
      ? { name: "attestation", ok: false, detail: `${tee_}: ${failures.join("; ")}.`, source }
      : {
          name: "attestation",
          ok: true,
          detail: `${tee_} is registered, enabled and its PCR approved at block ${blockNumber}; ${keyNote.note}; ${signaturesVerifiedOf(verified)} with the registered key.`,
          source,
        };
  }
  return {
    name: "attestation",
    ok: false,
    detail: `TEE ${teeId} is not registered at block ${blockNumber} in ${registries.length === 0 ? "any registry (the profile lists none deployed by then)" : `the profile's registries (${listOf(registries.map((r) => r.address))})`}.`,
    source: `${rpcSourceOf(chain, blockNumber)}: getTEE`,
  };
}

/** Whether the registered key names the TEE: keccak256 of its bytes, or (before 2026-03-06) of its PEM text. */
function keyNamesTeeOf(publicKey: Hex, teeId: Hex): { ok: boolean; note: string } {
  const keyId = teeIdOf(publicKey);
  if (keyId === teeId) return { ok: true, note: "keccak256(publicKey) = teeId" };
  let pemId: Hex | undefined;
  try {
    pemId = teeIdOfPem(publicKeyDerOf(publicKey));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
  }
  if (pemId === teeId)
    return {
      ok: true,
      note: "keccak256 of its public key's PEM text = teeId (how teeIds were made before 2026-03-06)",
    };
  return { ok: false, note: `keccak256 of its registered public key is ${keyId}, not the teeId` };
}

/** "the settled signature verifies (RSA-PSS, SHA-256, salt 32 (current, since 2026-03-06))", one clause per scheme. */
function signaturesVerifiedOf(verified: readonly { what: string; match: SchemeMatch }[]): string {
  const byScheme = new Map<string, string[]>();
  for (const { what, match } of verified)
    byScheme.set(match.description, [...(byScheme.get(match.description) ?? []), what]);
  return listOf(
    [...byScheme].map(
      ([description, whats]) => `${listOf(whats)} ${whats.length === 1 ? "verifies" : "verify"} (${description})`,
    ),
  );
}
