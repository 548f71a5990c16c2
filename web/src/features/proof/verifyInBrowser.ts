import {
  type BlobLeaf,
  inferenceIdOfSettledLeaf,
  type ParsedTreeDump,
  parseIndividualBlob,
  parseTreeDump,
  teeIdOf,
  verifyMerkleProof,
  verifyTeeSignature,
} from "@settlescan/abis";
import type { Hex } from "viem";

// The checks below call the same pure functions the indexer runs (@settlescan/abis), in the browser's WebCrypto, on
// the raw blob the API archived and the key the registry holds, so a reader does not have to trust the indexer.

/** The eras of settled leaves (docs/protocol.md §3). */
export type LeafEncodingName = "e1" | "e2" | "e3" | "exact";

/**
 * A settled leaf as the API returns it (`Leaf`): hex strings, the amount as a decimal string, the timestamp as ISO
 * 8601 (whole seconds). Fields an era does not have are null: E1 and E2 leaves hold only hashes.
 */
export type ApiLeaf = {
  encoding: LeafEncodingName;
  inputHash: string;
  outputHash: string;
  teeId?: string | null;
  signature?: string | null;
  timestamp?: string | null;
  paymentId?: string | null;
  amount?: string | null;
};

/** What the browser re-checks: one settled leaf, the event that settled it, and the registry's key for its enclave. */
export type BrowserSubject = {
  kind: "batch" | "individual";
  /** The root the batch event claims; null for individual settlements. */
  merkleRoot: string | null | undefined;
  /** The Walrus blob the event names; null for legacy v1 events. */
  blobId: string | null | undefined;
  /** The leaf's index in the blob's `values`. */
  leafIndex: number;
  leaf: ApiLeaf;
  /** The inference the page is about: the blob's leaf must settle exactly this one. */
  inferenceId?: string | null;
  /** The enclave's DER public key as the TEE registry holds it; null when no registry registered the enclave. */
  publicKey: string | null | undefined;
};

/** The outcome of one check run in the browser; `na` when there is nothing it can run on (no blob, a legacy leaf). */
export type BrowserCheck = { status: "pass" | "fail" | "na"; reason: string };

/** What a reader may tamper with, one hex digit, to see the browser's checks catch it. */
export type Tamper = "blob" | "root" | "signature";

export type BrowserVerification = {
  inclusion: BrowserCheck;
  attestation: BrowserCheck;
  /** What was tampered with, in words; null when nothing was. */
  tampered: string | null;
};

/** The blob as the browser got it: its text, null when the API has not archived it, or why it could not be fetched. */
export type BlobText = string | null | { error: string };

const TAMPERED: Record<Tamper, string> = {
  blob: "one hex digit of the leaf's first value in the blob",
  root: "one hex digit of the event's Merkle root",
  signature: "one hex digit of the enclave's signature",
};

const same = (a: string | null | undefined, b: string | null | undefined) =>
  a != null && b != null && a.toLowerCase() === b.toLowerCase();

/** Chain time (ISO 8601, whole seconds) as the uint256 of seconds the enclave signed; null when absent or unreadable. */
export function secondsOf(iso: string | null | undefined): bigint | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : BigInt(Math.floor(ms / 1000));
}

/** Whether a leaf read from a blob has the values the API describes (each value the API gives must be equal). */
function matchesApiLeaf(blobLeaf: BlobLeaf, leaf: ApiLeaf): boolean {
  const values = blobLeaf.leaf as Record<string, unknown>;
  if (values.encoding !== leaf.encoding) return false;
  const expected: [string, string | bigint | null | undefined][] = [
    ["inputHash", leaf.inputHash],
    ["outputHash", leaf.outputHash],
    ["teeId", leaf.teeId],
    ["signature", leaf.signature],
    ["timestamp", secondsOf(leaf.timestamp)],
    ["paymentId", leaf.paymentId],
    ["amount", leaf.amount == null ? null : BigInt(leaf.amount)],
  ];
  return expected.every(([field, value]) => {
    if (value == null) return true;
    const actual = values[field];
    return typeof value === "bigint" ? actual === value : same(actual as string, value);
  });
}

/**
 * Reads a batch blob (a StandardMerkleTree dump) and checks that it rebuilds the event's root: every value hashes to
 * its tree slot, every node to its children, and the tree's root is `merkleRoot`.
 * @example const { status, dump } = checkBatchRoot({ blob, merkleRoot: settlement.merkleRoot })
 */
export function checkBatchRoot({
  blob,
  merkleRoot,
}: {
  blob: string;
  merkleRoot: string | null | undefined;
}): BrowserCheck & { dump: ParsedTreeDump | null } {
  let dump: ParsedTreeDump;
  try {
    dump = parseTreeDump(blob);
  } catch (error) {
    return { status: "fail", reason: `The blob is not a valid tree dump: ${(error as Error).message}`, dump: null };
  }
  const leaves = `${dump.leaves.length} ${dump.encoding.name.toUpperCase()} leaves`;
  if (!merkleRoot) return { status: "fail", reason: "The batch event has no Merkle root to check against.", dump };
  if (!same(dump.root, merkleRoot))
    return {
      status: "fail",
      reason: `The blob's ${leaves} rebuild root ${dump.root}, not the event's merkleRoot ${merkleRoot}.`,
      dump,
    };
  return { status: "pass", reason: `The blob's ${leaves} rebuild the event's merkleRoot ${dump.root}.`, dump };
}

/** Why a batch's inclusion cannot be re-checked without its blob. */
function missingBlobCheck(blobId: string | null | undefined, blob: BlobText | undefined): BrowserCheck {
  if (!blobId)
    return {
      status: "na",
      reason: "A v1 batch names no blob: its leaves cannot be read, so inclusion cannot be re-checked.",
    };
  if (blob != null && typeof blob === "object")
    return { status: "na", reason: `Blob ${blobId} could not be fetched: ${blob.error}` };
  return {
    status: "na",
    reason: `Blob ${blobId} is not archived by this Settlescan yet (pending or expired): inclusion cannot be re-checked until it is.`,
  };
}

/**
 * Re-checks inclusion. Batch: the blob rebuilds the event's Merkle root, the leaf the API describes is in it (its hash
 * in the tree, its proof folding to the root), and that leaf settles the page's inference. Individual: the event's
 * fields are the leaf, so it is included by construction; when the blob is archived, its fields must match them.
 * @example checkInclusionInBrowser(subject, await requestBlob(subject.blobId))
 */
export function checkInclusionInBrowser(subject: BrowserSubject, blob: BlobText | undefined): BrowserCheck {
  if (subject.kind === "individual") return checkIndividualInclusion(subject, blob);
  if (typeof blob !== "string") return missingBlobCheck(subject.blobId, blob);
  const root = checkBatchRoot({ blob, merkleRoot: subject.merkleRoot });
  if (root.status !== "pass" || !root.dump) return { status: root.status, reason: root.reason };
  const { dump } = root;
  const atIndex = dump.leaves[subject.leafIndex];
  const found =
    atIndex && matchesApiLeaf(atIndex, subject.leaf)
      ? atIndex
      : dump.leaves.find((candidate) => matchesApiLeaf(candidate, subject.leaf));
  if (!found)
    return {
      status: "fail",
      reason: `No leaf of the blob has the values the indexer reports for leaf ${subject.leafIndex}.`,
    };
  if (subject.inferenceId) {
    const settles = inferenceIdOfSettledLeaf(found.leaf);
    if (!same(settles, subject.inferenceId))
      return {
        status: "fail",
        reason: `Leaf ${found.index} of the blob settles inference ${settles ?? "none (a legacy leaf)"}, not ${subject.inferenceId}.`,
      };
  }
  const steps = `${found.proof.length}-step proof`;
  if (!verifyMerkleProof({ leafHash: found.leafHash, proof: found.proof, root: subject.merkleRoot as Hex }))
    return {
      status: "fail",
      reason: `Leaf ${found.index}'s hash ${found.leafHash} with its ${steps} does not give ${subject.merkleRoot}.`,
    };
  return {
    status: "pass",
    reason: `Leaf ${found.index} of ${dump.leaves.length} hashes to ${found.leafHash}, which is in the blob's tree; with its ${steps} it gives the event's merkleRoot.`,
  };
}

function checkIndividualInclusion(subject: BrowserSubject, blob: BlobText | undefined): BrowserCheck {
  const byConstruction = "Individual settlement: the event's fields are the leaf, so it is included by construction";
  if (typeof blob !== "string")
    return {
      status: "pass",
      reason: subject.blobId
        ? `${byConstruction}; its blob is not archived here, so it was not compared.`
        : `${byConstruction}.`,
    };
  let parsed: ReturnType<typeof parseIndividualBlob>;
  try {
    parsed = parseIndividualBlob(blob);
  } catch (error) {
    return {
      status: "fail",
      reason: `The event's blob is not an individual settlement's: ${(error as Error).message}`,
    };
  }
  const { leaf } = subject;
  const differing = [
    ["teeId", same(parsed.teeId, leaf.teeId)],
    ["signature", same(parsed.signature, leaf.signature)],
    ["timestamp", parsed.timestamp === secondsOf(leaf.timestamp)],
    ["inputHash", parsed.inputHash == null || same(parsed.inputHash, leaf.inputHash)],
    ["outputHash", parsed.outputHash == null || same(parsed.outputHash, leaf.outputHash)],
  ]
    .filter(([, equal]) => !equal)
    .map(([field]) => field);
  if (differing.length > 0)
    return {
      status: "fail",
      reason: `The event's ${differing.join(", ")} ${differing.length === 1 ? "differs" : "differ"} from its blob's.`,
    };
  return { status: "pass", reason: `${byConstruction}, and they match its blob.` };
}

/**
 * Re-checks the enclave's attestation: the registered public key hashes to the teeId, and its RSA-PSS-SHA256
 * signature over keccak256(inputHash ‖ outputHash ‖ timestamp) verifies. Whether the enclave was enabled and its PCR
 * approved at the settlement's block is the indexer's record, shown beside this. Legacy leaves carry no signature.
 * @example await checkAttestationInBrowser({ leaf, publicKey: tee.publicKey })
 */
export async function checkAttestationInBrowser({
  leaf,
  publicKey,
}: {
  leaf: ApiLeaf;
  publicKey: string | null | undefined;
}): Promise<BrowserCheck> {
  if (leaf.encoding === "e1")
    return {
      status: "na",
      reason:
        "An E1 leaf holds only the input and output hashes: it names no enclave and carries no signature to verify.",
    };
  if (leaf.encoding === "e2")
    return {
      status: "na",
      reason:
        "An E2 leaf holds a digest of the signature, not the signature nor the enclave's id: it cannot be verified.",
    };
  const { teeId, signature } = leaf;
  const timestamp = secondsOf(leaf.timestamp);
  if (!teeId || !signature || timestamp == null)
    return { status: "fail", reason: "The leaf lacks its enclave id, signature or timestamp." };
  if (!publicKey) return { status: "fail", reason: `Enclave ${teeId} is not in the TEE registry.` };
  const keyId = teeIdOf(publicKey as Hex);
  if (!same(keyId, teeId))
    return { status: "fail", reason: `The registered public key hashes to ${keyId}, not to teeId ${teeId}.` };
  try {
    const valid = await verifyTeeSignature({
      publicKey: publicKey as Hex,
      signature: signature as Hex,
      inputHash: leaf.inputHash as Hex,
      outputHash: leaf.outputHash as Hex,
      timestamp,
    });
    return valid
      ? { status: "pass", reason: "The RSA-PSS signature verifies with the registered public key." }
      : { status: "fail", reason: "The RSA-PSS signature does not verify with the registered public key." };
  } catch (error) {
    return { status: "fail", reason: (error as Error).message };
  }
}

/** `hex` with the hex digit at `index` (counted after 0x, default the last) changed: a one-bit tamper. */
export function flipHexDigit(hex: string, index = hex.length - 3): string {
  const at = 2 + index;
  const digit = Number.parseInt(hex[at] ?? "0", 16);
  return hex.slice(0, at) + (digit ^ 1).toString(16) + hex.slice(at + 1);
}

/** The blob with one hex digit of the leaf's first value changed (the leaf then no longer hashes to its tree slot). */
export function tamperedBlobOf(blob: string, leafIndex: number): string {
  try {
    const dump = JSON.parse(blob) as { values?: { value?: unknown[] }[] };
    const value = dump.values?.[leafIndex]?.value;
    if (Array.isArray(value) && typeof value[0] === "string") {
      value[0] = flipHexDigit(value[0]);
      return JSON.stringify(dump);
    }
  } catch {
    // Not JSON: change the first hex digit after a 0x instead.
  }
  const at = blob.indexOf("0x");
  return at === -1 ? `${blob} ` : blob.slice(0, at) + flipHexDigit(blob.slice(at, at + 3), 0) + blob.slice(at + 3);
}

/** The subject and blob with one digit tampered, and what it was; `signature` needs a leaf that carries one. */
export function tamperedOf(
  subject: BrowserSubject,
  blob: BlobText | undefined,
  tamper: Tamper,
): { subject: BrowserSubject; blob: BlobText | undefined; what: string } {
  const what = TAMPERED[tamper];
  if (tamper === "blob" && typeof blob === "string")
    return { subject, blob: tamperedBlobOf(blob, subject.leafIndex), what };
  if (tamper === "root" && subject.merkleRoot)
    return { subject: { ...subject, merkleRoot: flipHexDigit(subject.merkleRoot) }, blob, what };
  if (tamper === "signature" && subject.leaf.signature)
    return {
      subject: { ...subject, leaf: { ...subject.leaf, signature: flipHexDigit(subject.leaf.signature) } },
      blob,
      what,
    };
  return { subject, blob, what: `nothing (there is no ${tamper} to tamper with)` };
}

/**
 * Runs both re-checks of a settled leaf in this browser, on the blob the API archived (fetched by the caller) and the
 * registry's key; with `tamper`, on a copy with one hex digit changed, to show that the checks catch it.
 * @example await verifyInBrowser(subject, await requestBlob(subject.blobId))
 */
export async function verifyInBrowser(
  subject: BrowserSubject,
  blob: BlobText | undefined,
  tamper: Tamper | null = null,
): Promise<BrowserVerification> {
  const tampered = tamper ? tamperedOf(subject, blob, tamper) : { subject, blob, what: null };
  const [inclusion, attestation] = await Promise.all([
    checkInclusionInBrowser(tampered.subject, tampered.blob),
    checkAttestationInBrowser({ leaf: tampered.subject.leaf, publicKey: tampered.subject.publicKey }),
  ]);
  return { inclusion, attestation, tampered: tampered.what };
}
