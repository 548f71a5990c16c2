// One verifier for a response a user holds, trusting no Settlescan server: the facts come from the verification
// chain's RPC and the Walrus aggregator the caller names; a Settlescan API may only say where to look first.
import type { Hex } from "viem";
import { InvalidInputError } from "../errors";
import { inferenceIdOf } from "../ids";
import type { NetworkProfile } from "../profile";
import { type SchemeMatch, SIGNATURE_SCHEMES, signatureSchemeAt, verifyWithSchemes } from "../signatureSchemes";
import {
  type LegacyEra,
  type LegacyTeeFields,
  legacyTeeFieldsOf,
  outputHashOf,
  type TeeFields,
  teeFieldsOf,
} from "../teeResponse";
import {
  attestationOf,
  contentCheckOf,
  type InputNames,
  inclusionOf,
  listOf,
  provenanceOf,
  rpcSourceOf,
  type SignatureToCheck,
  shortHex,
} from "./checks";
import { type EnclaveAttestation, enclaveAttestationOf } from "./enclave";
import { VerifyInputError } from "./errors";
import {
  compareLogPlaces,
  DEFAULT_LOG_BLOCK_RANGE,
  DEFAULT_WINDOW_SECONDS,
  type SettlementCandidate,
  type SettlementSearch,
  searchSettlements,
} from "./findSettlement";
import type { VerifiedSettlement, VerifyCheck, VerifyReport, VerifySource, VerifyState } from "./report";
import { type BlobReader, blobReaderOf, type ChainReader, connectChain, type Hint, readHint } from "./sources";

/** Where to read: the verification chain's RPC, a Walrus aggregator, and optionally a Settlescan API as a hint. */
export type VerifySources = { rpcUrl: string; aggregator: string; hintUrl?: string };

export type VerifyResponseParameters = {
  /** The gateway's response: its body (JSON text or parsed) or the streamed SSE text. */
  response: string | object;
  /** The request it answered (JSON text keeps Python's int/float distinction); checks `tee_request_hash`. */
  request?: string | object;
  profile: NetworkProfile;
  sources: VerifySources;
  /** Seconds after the inference's timestamp searched for its settlement (default two hours). */
  windowSeconds?: number;
  /** Most blocks per `eth_getLogs`. */
  logBlockRange?: bigint;
  /** How the response and request are named in the report (the CLI passes file names). */
  names?: Partial<InputNames>;
  /** Retries of each blob request after the first (network errors, 5xx). */
  blobRetries?: number;
  fetch?: typeof globalThis.fetch;
  /** Called with each check as it is decided, in report order (the content first, before the chain is read). */
  onCheck?: (check: VerifyCheck) => void;
  /** Called with the enclave's Nitro attestation re-verification once it is decided, after the checks. */
  onEnclaveAttestation?: (enclaveAttestation: EnclaveAttestation) => void;
};

/** One settlement of the inference with its checks judged. */
type Judged = {
  candidate: SettlementCandidate;
  settlement: VerifiedSettlement;
  inclusion: VerifyCheck;
  attestation: VerifyCheck;
  provenance: VerifyCheck;
};

const iso = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Verifies a TEE gateway response from raw data: recomputes its hashes from the content (and request), derives its
 * inferenceId, finds its settlements in the relays' logs and the batch blobs, and checks inclusion, attestation (at
 * the settlement's block), provenance and uniqueness. Every check names its source. Throws `VerifyInputError` for a
 * response or request that is not a gateway's, `VerifySourceError` for an RPC or aggregator that does not answer.
 * @example
 * const report = await verifyResponse({ response: body, profile, sources: { rpcUrl, aggregator } })
 * report.state // "proven"
 */
export async function verifyResponse({
  response,
  request,
  names: givenNames,
  ...rest
}: VerifyResponseParameters): Promise<VerifyReport> {
  const started = Date.now();
  const names: InputNames = { response: "the response", request: "the request", ...givenNames };
  let fields: TeeFields;
  try {
    fields = teeFieldsOf(response);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new VerifyInputError("response", error.message, { cause: error });
  }
  const content = contentCheckOf({ response, request, fields, names });
  const kinds = { chat: "chat.completion", completion: "text_completion", stream: "SSE stream" };
  const inputs: VerifySource[] = [
    {
      kind: "response",
      name: names.response,
      detail: `${kinds[fields.kind]}: tee_* fields, the inferenceId they define, and the content hashed.`,
    },
  ];
  if (request !== undefined)
    inputs.push({ kind: "request", name: names.request, detail: "the request, canonicalised and hashed." });
  return verifyFields({ ...rest, fields, content, inputs, started });
}

/** What a legacy response's check concludes: its signature verified with the key given, did not, or was not checked. */
export type LegacyVerifyState = "signature_verified" | "invalid_signature" | "unchecked";

/** A legacy response's checks: those a response of its era allows, and those it does not, each saying why. */
export type LegacyVerifyReport = {
  era: LegacyEra;
  state: LegacyVerifyState;
  reason: string;
  /** Unix seconds of its signing (v0: the ISO time rounded down). */
  timestamp: number;
  /** The scheme the signature verified under, as "v0-json" etc. */
  scheme?: SchemeMatch["scheme"]["name"];
  /** The teeId the enclave's key had under that scheme (the response itself names none). */
  teeId?: Hex;
  checks: VerifyCheck[];
  elapsedMs: number;
};

/** Why the settlement checks cannot run for a response of each legacy era. */
const LEGACY_SETTLEMENT_GAP: Record<LegacyEra, string> = {
  v0: "a legacy v0 response (before 2026-02-27) carries no tee_id, no tee_output_hash and an ISO timestamp, so it defines no inferenceId; the settlements of its era (relay v1 events, E1 leaves [inputHash, outputHash]) hash what the gateway sent, which the response does not carry, so no settlement can be tied to it",
  v1: "a legacy v1 response (2026-02-27 to 2026-03-05) names no enclave (no tee_id), so it defines no inferenceId; the leaves of its era (E2 [inputHash, outputHash, sigValue]) name no teeId either, so settlements are found by its hashes (Settlescan's search), not by this verifier",
};

/**
 * Checks a legacy response (signed before responses named their enclave, 2026-03-05) as far as it allows: the
 * signature, with the enclave's public key given (PEM or DER hex), under the scheme of its time or another; for v1,
 * the content against `tee_output_hash`. The settlement checks cannot run and say why rather than fail. Throws
 * `VerifyInputError` for a response that is not a legacy one.
 * @example await verifyLegacyResponse({ response: body, publicKey: pem }) // { state: "signature_verified", scheme: "v0-json", … }
 */
export async function verifyLegacyResponse({
  response,
  publicKey,
  names: givenNames,
}: {
  response: string | object;
  publicKey?: Hex | string;
  names?: Partial<InputNames>;
}): Promise<LegacyVerifyReport> {
  const started = Date.now();
  const names: InputNames = { response: "the response", request: "the request", ...givenNames };
  let fields: LegacyTeeFields;
  try {
    fields = legacyTeeFieldsOf(response);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new VerifyInputError("response", error.message, { cause: error });
  }
  const expected = signatureSchemeAt(fields.timestamp);
  let match: SchemeMatch | undefined;
  if (publicKey !== undefined) {
    try {
      match = await verifyWithSchemes({
        publicKey,
        signature: fields.signature,
        content: fields.signed,
        timestamp: fields.timestamp,
        schemes: SIGNATURE_SCHEMES.filter((scheme) => scheme.message(fields.signed) !== undefined),
      });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      throw new VerifyInputError("response", `The public key given: ${error.message}`, { cause: error });
    }
  }
  const keySource = "the public key given (a legacy response names no TEE, so no registry can say which key signed)";
  const signature: VerifyCheck =
    publicKey === undefined
      ? {
          name: "attestation",
          ok: null,
          detail: `not checked: give the enclave's public key; the response names no TEE whose registered key could be read (expected scheme: ${expected.label}).`,
          source: names.response,
        }
      : match
        ? {
            name: "attestation",
            ok: true,
            detail: `tee_signature verifies (${match.description}) with the key given, whose teeId under that scheme is ${match.teeId}${match.scheme === expected ? "" : `; the scheme of its time was ${expected.label}`}.`,
            source: `${names.response}; ${keySource}`,
          }
        : {
            name: "attestation",
            ok: false,
            detail: `tee_signature does not verify with the key given under any of the gateway's signature schemes (expected: ${expected.label}).`,
            source: `${names.response}; ${keySource}`,
          };
  let content: VerifyCheck;
  if (fields.era === "v0") {
    const covered =
      fields.kind === "stream"
        ? "json.dumps({finish_reason, full_content, model, timestamp})"
        : "json.dumps({finish_reason, message, model, request_hash, timestamp})";
    content = {
      name: "content",
      ok: signature.ok,
      detail:
        signature.ok === null
          ? `a v0 signature covers the content itself (${covered}); not checked without the enclave's public key.`
          : signature.ok
            ? `the v0 signature covers the content itself (${covered}), and it verifies: the content is what the enclave signed.`
            : `the v0 signature covers the content itself (${covered}), and it does not verify: the content, model, request hash or time is not what the enclave signed, or the key is not the enclave's.`,
      source: names.response,
    };
  } else {
    let outputHash: Hex | undefined;
    try {
      outputHash = outputHashOf(response);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
    }
    content =
      outputHash === undefined
        ? {
            name: "content",
            ok: null,
            detail: `the response carries no content to hash, so tee_output_hash ${shortHex(fields.outputHash!)} is taken as signed.`,
            source: names.response,
          }
        : outputHash === fields.outputHash
          ? {
              name: "content",
              ok: true,
              detail: `keccak256 of the content equals tee_output_hash ${shortHex(fields.outputHash)}.`,
              source: names.response,
            }
          : {
              name: "content",
              ok: false,
              detail: `the content you received is not what the enclave signed: its keccak256 is ${outputHash}, tee_output_hash is ${fields.outputHash}.`,
              source: names.response,
            };
  }
  const gap = LEGACY_SETTLEMENT_GAP[fields.era];
  const cannotRun = (name: VerifyCheck["name"]): VerifyCheck => ({
    name,
    ok: null,
    detail: `cannot run: ${gap}.`,
    source: names.response,
  });
  const checks = [
    content,
    cannotRun("settlement"),
    cannotRun("inclusion"),
    signature,
    cannotRun("provenance"),
    cannotRun("uniqueness"),
  ];
  const failed = checks.find((check) => check.ok === false);
  const state: LegacyVerifyState = failed ? "invalid_signature" : match ? "signature_verified" : "unchecked";
  const reason = failed
    ? `${failed.detail} The settlement checks cannot run: ${gap}.`
    : match
      ? `signed by the holder of the key given (${match.description}); the settlement checks cannot run: ${gap}.`
      : `nothing could be checked without the enclave's public key; the settlement checks cannot run: ${gap}.`;
  return {
    era: fields.era,
    state,
    reason,
    timestamp: Number(fields.timestamp),
    ...(match && { scheme: match.scheme.name, teeId: match.teeId }),
    checks,
    elapsedMs: Date.now() - started,
  };
}

/** The signed fields of an inference, without its content: what an explorer's page knows of it. */
export type SignedInference = { teeId: Hex; inputHash: Hex; outputHash: Hex; timestamp: bigint; signature: Hex };

export type VerifySignedInferenceParameters = Omit<VerifyResponseParameters, "response" | "request" | "names"> & {
  inference: SignedInference;
  /** Where the fields came from, named in the report (e.g. "the Settlescan API's record of inference 0x…"). */
  origin: string;
};

/**
 * Verifies an inference from its signed fields alone (teeId, hashes, timestamp, signature), e.g. those an explorer
 * shows: everything `verifyResponse` checks except the content, which needs the response itself and is reported as
 * not checked. The inferenceId is recomputed from the fields.
 * @example await verifySignedInference({ inference, origin: "the API's record", profile, sources })
 */
export async function verifySignedInference({
  inference,
  origin,
  ...rest
}: VerifySignedInferenceParameters): Promise<VerifyReport> {
  const started = Date.now();
  const { teeId, inputHash, outputHash, timestamp, signature } = inference;
  const lower = (hex: Hex) => hex.toLowerCase() as Hex;
  const fields: TeeFields = {
    kind: "chat",
    teeId: lower(teeId),
    inputHash: lower(inputHash),
    outputHash: lower(outputHash),
    timestamp,
    signature: lower(signature),
    signatureBase64: "",
    inferenceId: inferenceIdOf({ teeId, inputHash, outputHash, timestamp }),
  };
  const content: VerifyCheck = {
    name: "content",
    ok: null,
    detail:
      "not checked: only the response you received can show its content is what the enclave signed; verify it with your own response.",
    source: origin,
  };
  const inputs: VerifySource[] = [
    {
      kind: "response",
      name: origin,
      detail: "teeId, input and output hashes, timestamp and signature, and the inferenceId they define; no content.",
    },
  ];
  return verifyFields({ ...rest, fields, content, inputs, started });
}

/** What both entry points share: the settlement search and the checks, from the signed fields and the content check. */
async function verifyFields({
  fields,
  content,
  inputs,
  started,
  profile,
  sources,
  windowSeconds = DEFAULT_WINDOW_SECONDS,
  logBlockRange = DEFAULT_LOG_BLOCK_RANGE,
  blobRetries,
  fetch,
  onCheck,
  onEnclaveAttestation,
}: Omit<VerifyResponseParameters, "response" | "request" | "names"> & {
  fields: TeeFields;
  content: VerifyCheck;
  inputs: VerifySource[];
  started: number;
}): Promise<VerifyReport> {
  onCheck?.(content);
  const chain = await connectChain(sources.rpcUrl, profile.verification.chainId);
  const blobs = blobReaderOf(sources.aggregator, { ...(blobRetries !== undefined && { retries: blobRetries }), fetch });
  const hint: Hint | undefined = sources.hintUrl
    ? await readHint(sources.hintUrl, fields.inferenceId, { ...(fetch && { fetch }) })
    : undefined;
  const search = await searchSettlements({ fields, profile, chain, blobs, hint, windowSeconds, logBlockRange });

  // Chain order; stop at the first official settlement that proves the inference: it is the one that counts.
  const judged: Judged[] = [];
  for await (const candidate of search.candidates()) {
    const one = await judge(candidate, { fields, profile, chain, blobs });
    judged.push(one);
    if (one.settlement.state === "proven") break;
  }
  const counting =
    judged.find((one) => one.settlement.state === "proven") ??
    judged.find((one) => one.settlement.official) ??
    judged[0];

  const searched = searchedOf(search, chain, hint);
  const checks: VerifyCheck[] = [content];
  if (counting) {
    const { settlement } = counting;
    checks.push(
      {
        name: "settlement",
        ok: true,
        detail: `${settlement.kind} settlement in tx ${settlement.txHash} (block ${settlement.blockNumber}, log ${settlement.logIndex}, ${iso(settlement.timestamp)}) on relay ${settlement.relay} (${settlement.abi})${counting.candidate.log.hinted ? ", where the hint pointed" : ""}.`,
        source: `${rpcSourceOf(chain)}: eth_getLogs over ${searched}`,
      },
      counting.inclusion,
      counting.attestation,
      counting.provenance,
      uniquenessOf(counting, judged, search, searched, chain),
    );
  } else {
    const nothing = (name: VerifyCheck["name"]): VerifyCheck => ({
      name,
      ok: null,
      detail: "no settlement to check.",
      source: rpcSourceOf(chain),
    });
    checks.push(
      {
        name: "settlement",
        ok: null,
        detail: `${notFoundOf(search, chain)}.`,
        source: `${rpcSourceOf(chain)}: eth_getLogs over ${searched}`,
      },
      nothing("inclusion"),
      nothing("attestation"),
      nothing("provenance"),
      nothing("uniqueness"),
    );
  }
  for (const check of checks.slice(1)) onCheck?.(check);

  // After the checks and beside them: it never changes the attestation check or the state.
  const enclaveAttestation = await enclaveAttestationOf({
    chain,
    profile,
    teeId: fields.teeId,
    toBlock: counting ? counting.candidate.log.blockNumber : chain.head.number,
    logBlockRange,
  });
  onEnclaveAttestation?.(enclaveAttestation);

  const { state, reason } = verdictOf({ content, counting, search, chain });
  return {
    inferenceId: fields.inferenceId,
    teeId: fields.teeId,
    inputHash: fields.inputHash,
    outputHash: fields.outputHash,
    timestamp: Number(fields.timestamp),
    state,
    reason,
    checks,
    enclaveAttestation,
    ...(counting && { settlement: counting.settlement }),
    sources: [...inputs, ...sourcesOf({ chain, blobs, hint, search, searched })],
    elapsedMs: Date.now() - started,
  };
}

/** Judges one settlement: provenance, inclusion and attestation at its block, and so its state. */
async function judge(
  candidate: SettlementCandidate,
  context: {
    fields: TeeFields;
    profile: NetworkProfile;
    chain: ChainReader;
    blobs: BlobReader;
  },
): Promise<Judged> {
  const { fields, profile, chain, blobs } = context;
  const { log } = candidate;
  const settled: Hex = candidate.kind === "batch" ? settledSignatureOf(candidate) : candidate.log.signature;
  const signatures: SignatureToCheck[] = [{ what: "the settled signature", signature: settled }];
  if (settled !== fields.signature)
    signatures.push({ what: "your response's tee_signature", signature: fields.signature });
  const [provenance, inclusion, attestation, timestamp] = await Promise.all([
    provenanceOf(chain, log),
    inclusionOf(candidate, { chain, blobs }),
    attestationOf({ chain, profile, fields, blockNumber: log.blockNumber, signatures }),
    chain.timestampOf(log.blockNumber),
  ]);
  const state = !provenance.official
    ? "unofficial"
    : inclusion.ok === false || attestation.ok === false
      ? "invalid_proof"
      : "proven";
  const batch =
    candidate.kind === "batch"
      ? (() => {
          const { leaf, blob, blobId } = candidate;
          const extension =
            leaf.leaf.encoding === "exact"
              ? { paymentId: leaf.leaf.paymentId, amount: leaf.leaf.amount.toString() }
              : {};
          return {
            merkleRoot: candidate.log.merkleRoot,
            batchSize: candidate.log.batchSize.toString(),
            blobId,
            blobStatus: blob.root === candidate.log.merkleRoot ? ("available" as const) : ("mismatched" as const),
            leafIndex: leaf.index,
            proof: leaf.proof,
            leafEncoding: [...blob.encoding.types],
            ...extension,
          };
        })()
      : {};
  return {
    candidate,
    inclusion,
    attestation,
    provenance: provenance.check,
    settlement: {
      kind: candidate.kind,
      state,
      relay: log.relay.address,
      abi: log.relay.abi,
      txHash: log.txHash,
      blockNumber: Number(log.blockNumber),
      logIndex: log.logIndex,
      timestamp: Number(timestamp),
      signer: provenance.signer,
      official: provenance.official,
      ...batch,
    },
  };
}

/** The signature bytes a batch leaf carries (E3 and the exact-link extension carry them; older eras match no id). */
function settledSignatureOf(candidate: Extract<SettlementCandidate, { kind: "batch" }>): Hex {
  const { leaf } = candidate.leaf;
  return "signature" in leaf ? leaf.signature : "0x";
}

/** "blocks A–B (from … to …)", and the hinted transaction when it lay outside them. */
function searchedOf(search: SettlementSearch, chain: { head: { number: bigint } }, hint?: Hint): string {
  const { window } = search;
  const blocks = window
    ? `blocks ${window.fromBlock}–${window.toBlock} (${iso(window.fromTime)} to ${iso(window.toTime)})`
    : `no blocks (the head, block ${chain.head.number}, is before the inference)`;
  return hint?.txHash ? `${blocks} and the hinted tx` : blocks;
}

/** Why nothing was found, as a clause. */
function notFoundOf(search: SettlementSearch, chain: ChainReader): string {
  const { window } = search;
  if (search.relays.length === 0)
    return `the profile lists no v2/v3 relay to search (v1 relays carry no inference ids)`;
  if (!window)
    return `no settlement yet: the chain's head (block ${chain.head.number}, ${iso(chain.head.timestamp)}) is before the inference`;
  const where = `blocks ${window.fromBlock}–${window.toBlock} of ${listOf(search.relays.map((r) => r.address))}`;
  const missing = search.unread.filter((batch) => batch.status === "missing");
  if (missing.length > 0)
    return `no settlement found in ${where}; ${missing.length} batch blob${missing.length === 1 ? " is" : "s are"} not available yet and may hold it`;
  return `no settlement of this inference in ${where}${window.open ? `, which reach the head (${iso(window.toTime)})` : ""}`;
}

/** Uniqueness of the settlement that counts among the settlements searched. */
function uniquenessOf(
  counting: Judged,
  judged: readonly Judged[],
  search: SettlementSearch,
  searched: string,
  chain: ChainReader,
): VerifyCheck {
  const place = counting.candidate.log;
  const source = `${rpcSourceOf(chain)}: eth_getLogs over ${searched}`;
  if (!counting.settlement.official)
    return { name: "uniqueness", ok: null, detail: `no official settlement of this inference in ${searched}.`, source };
  const earlierOfficial = judged.filter(
    (one) => one !== counting && one.settlement.official && compareLogPlaces(one.candidate.log, place) < 0,
  );
  const earlierUnread = search.unread.filter((batch) => compareLogPlaces(batch.log, place) < 0);
  // Settlements judged after the one that counts, and individual ones never reached (their logs are all known).
  const unreached = search.individuals - judged.filter((one) => one.candidate.kind === "individual").length;
  const later = judged.filter((one) => compareLogPlaces(one.candidate.log, place) > 0).length + unreached;
  const unexamined = search.batches - search.examinedBatches;
  const parts = [
    earlierOfficial.length > 0
      ? `${earlierOfficial.length} earlier official settlement${earlierOfficial.length === 1 ? "" : "s"} failed ${earlierOfficial.length === 1 ? "its" : "their"} checks (${earlierOfficial.map((one) => one.settlement.txHash).join(", ")})`
      : undefined,
    later > 0
      ? `${later} later settlement${later === 1 ? "" : "s"} of it ${later === 1 ? "is a duplicate" : "are duplicates"}`
      : undefined,
    unexamined > 0 ? `${unexamined} later batch${unexamined === 1 ? "" : "es"} not searched for duplicates` : undefined,
  ].filter((part) => part !== undefined);
  const notes = parts.length > 0 ? `; ${parts.join("; ")}` : "";
  if (earlierUnread.length > 0)
    return {
      name: "uniqueness",
      ok: null,
      detail: `the first official settlement of this inference that could be read in ${searched}, but ${earlierUnread.length} earlier batch blob${earlierUnread.length === 1 ? "" : "s"} could not be read (${earlierUnread.map((batch) => batch.reason).join("; ")}), so an earlier settlement cannot be ruled out${notes}.`,
      source,
    };
  return {
    name: "uniqueness",
    ok: true,
    detail: `no earlier official settlement of this inference in ${searched}${notes}.`,
    source,
  };
}

/** The state of the response, and why, from the content check and the settlement that counts. */
function verdictOf({
  content,
  counting,
  search,
  chain,
}: {
  content: VerifyCheck;
  counting?: Judged;
  search: SettlementSearch;
  chain: ChainReader;
}): { state: VerifyState; reason: string } {
  if (content.ok === false) return { state: "invalid_proof", reason: content.detail };
  if (counting) {
    const { settlement } = counting;
    if (settlement.state === "unofficial")
      return {
        state: "unofficial",
        reason: `settled only by accounts that are not the network's facilitators (tx ${settlement.txHash} from ${settlement.signer}); an unofficial settlement proves nothing.`,
      };
    if (settlement.state === "invalid_proof") {
      const failed = [counting.inclusion, counting.attestation].filter((check) => check.ok === false);
      return {
        state: "invalid_proof",
        reason: `the settlement that counts fails ${listOf(failed.map((check) => check.name))}: ${failed[0]!.detail}`,
      };
    }
    return {
      state: "proven",
      reason: `settled officially ${settlement.kind === "batch" ? "in a batch" : "individually"} in block ${settlement.blockNumber}, included, and signed by a registered, enabled TEE with an approved PCR.`,
    };
  }
  const missing = search.unread.filter((batch) => batch.status === "missing");
  if (missing.length > 0)
    return {
      state: "pending",
      reason: `not settled yet: the blob is not available for ${missing.length} batch${missing.length === 1 ? "" : "es"} that may hold it — ${missing.map((batch) => `tx ${batch.log.txHash} (block ${batch.log.blockNumber}): ${batch.reason}`).join("; ")}.`,
    };
  const unreadable = search.unread.length;
  const unreadableNote =
    unreadable > 0
      ? ` ${unreadable} batch blob${unreadable === 1 ? " was" : "s were"} unreadable (${search.unread.map((batch) => batch.reason).join("; ")}).`
      : "";
  const { window } = search;
  if (!window || window.open)
    return {
      state: "not_settled",
      reason: `not settled yet: ${notFoundOf(search, chain)}; batches usually settle within 15 minutes.${unreadableNote}`,
    };
  return { state: "not_settled", reason: `${notFoundOf(search, chain)}.${unreadableNote}` };
}

/** Every source read besides the user's inputs, and what was read there. */
function sourcesOf({
  chain,
  blobs,
  hint,
  search,
  searched,
}: {
  chain: ChainReader;
  blobs: BlobReader;
  hint?: Hint;
  search: SettlementSearch;
  searched: string;
}): VerifySource[] {
  const skipped =
    search.skippedRelays.length > 0
      ? `; v1 relays not searched (their events carry no blob id): ${listOf(search.skippedRelays.map((r) => r.address))}`
      : "";
  const sources: VerifySource[] = [
    {
      kind: "rpc",
      url: chain.url,
      chainId: chain.chainId,
      detail: `head block ${chain.head.number} (${iso(chain.head.timestamp)}); searched ${searched}: ${search.batches} batch settlement${search.batches === 1 ? "" : "s"} (${search.examinedBatches} examined) and ${search.individuals} individual settlement${search.individuals === 1 ? "" : "s"} of this inference; registry and relay state read at the settlement's block; ${chain.requests()} requests${skipped}.`,
    },
    {
      kind: "aggregator",
      url: blobs.url,
      detail: `${blobs.counts.available} blob${blobs.counts.available === 1 ? "" : "s"} fetched, ${blobs.counts.missing} not available.`,
    },
  ];
  if (hint)
    sources.push({
      kind: "hint",
      url: hint.url,
      detail: hint.failure
        ? `${hint.failure}; verified without it.`
        : `${search.hintNote ?? `named tx ${hint.txHash}`}; used only as where to look first.`,
    });
  return sources;
}
