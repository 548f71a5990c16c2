import {
  type NetworkProfile,
  type SignedInference,
  VERIFY_CHECK_NAMES,
  type VerifyCheck,
  type VerifyCheckName,
  type VerifyReport,
  type VerifySources,
  verifyResponse,
  verifySignedInference,
} from "@settlescan/abis";
// Not yet exported by @settlescan/abis' index; the same module files, so one copy of every class.
import { type ApiLeaf, secondsOf } from "../proof/verifyInBrowser";

// The explorer runs the one verifier (abis/src/verify, as the CLI does) in the browser: every fact is read from the
// RPC and the aggregator the reader names; a Settlescan API is at most a hint of where to look.

/** What to verify: a response the reader holds (and the request), or the signed fields an explorer page shows. */
export type VerifySubject =
  | { kind: "response"; response: string; request?: string }
  | { kind: "signed"; inference: SignedInference; origin: string };

export type { SignedInference };

/** A check as shown while a verification runs: decided (pass, fail, not checkable), running, or not reached yet. */
export type CheckRow = {
  name: VerifyCheckName;
  status: "pass" | "fail" | "na" | "running" | "waiting";
  detail?: string;
  source?: string;
};

/** What each check establishes, in words for someone who does not know what a Merkle tree is. */
export const VERIFY_CHECK_MEANINGS: Record<VerifyCheckName, string> = {
  content: "The response's content and request hash to what the enclave signed.",
  settlement: "A settlement of this inference is on the verification chain.",
  inclusion:
    "The settlement holds the inference: the batch's blob rebuilds the root posted on chain, or the event is it.",
  attestation: "A registered, enabled enclave with an approved PCR signed it, at the settlement's block.",
  provenance: "One of the network's facilitators posted the settlement.",
  uniqueness: "No earlier official settlement proved this inference.",
};

/** The enclave's AWS Nitro attestation as shown beside the checks: never one of them, never part of the state. */
export type EnclaveRow = {
  status: "pass" | "fail" | "na";
  /** "Verified", "Failed" or "Unverifiable". */
  label: string;
  /** Why: the plain reason for unverifiable and failed, what was found for verified. */
  detail: string;
  source: string;
};

/** What the enclave attestation row establishes, in words. */
export const ENCLAVE_ATTESTATION_MEANING =
  "The document the enclave registered with is an AWS Nitro attestation, signed by AWS and binding the enclave's key. Re-verified here, shown for information: it does not change the checks above or the state.";

const ENCLAVE_LABELS = { verified: "Verified", failed: "Failed", unverifiable: "Unverifiable" } as const;

/**
 * The enclave attestation row of a report, or null when the report has none (an older verifier's).
 * @example enclaveRowOf(report)?.label // "Unverifiable"
 */
export function enclaveRowOf(report: Pick<VerifyReport, "enclaveAttestation">): EnclaveRow | null {
  const enclave = report.enclaveAttestation;
  if (!enclave) return null;
  return {
    status: enclave.ok === null ? "na" : enclave.ok ? "pass" : "fail",
    label: ENCLAVE_LABELS[enclave.result],
    detail: enclave.detail,
    source: enclave.source,
  };
}

/** `pass`, `fail` or `na` for a check's `ok`. */
export const statusOf = (ok: boolean | null): CheckRow["status"] => (ok === null ? "na" : ok ? "pass" : "fail");

/**
 * Every check in report order: those decided so far with their verdict and source, the next one running (while the
 * verification runs), the rest waiting.
 * @example rowsOf([contentCheck], true).map((row) => row.status) // ["pass", "running", "waiting", …]
 */
export function rowsOf(decided: readonly VerifyCheck[], running: boolean): CheckRow[] {
  const byName = new Map(decided.map((check) => [check.name, check]));
  let next = running;
  return VERIFY_CHECK_NAMES.map((name) => {
    const check = byName.get(name);
    if (check) return { name, status: statusOf(check.ok), detail: check.detail, source: check.source };
    const status = next ? "running" : "waiting";
    next = false;
    return { name, status };
  });
}

/**
 * The signed fields of a settled leaf as the API gives them; null for leaves that carry no enclave signature (E1, E2)
 * or lack a field.
 * @example signedInferenceOf(settlement.leaf)?.timestamp // 1767225600n
 */
export function signedInferenceOf(leaf: ApiLeaf): SignedInference | null {
  const timestamp = secondsOf(leaf.timestamp);
  const { teeId, signature, inputHash, outputHash } = leaf;
  if (!teeId || !signature || timestamp == null) return null;
  const hex = (value: string) => value.toLowerCase() as `0x${string}`;
  return {
    teeId: hex(teeId),
    inputHash: hex(inputHash),
    outputHash: hex(outputHash),
    timestamp,
    signature: hex(signature),
  };
}

/**
 * Runs the verifier on a subject against the given sources, reporting each check as it is decided. Throws
 * `VerifyInputError` for a response or request that is not a gateway's, `VerifySourceError` for a source that does
 * not answer.
 * @example await runVerification({ kind: "response", response }, { profile, sources, onCheck })
 */
export function runVerification(
  subject: VerifySubject,
  {
    profile,
    sources,
    onCheck,
  }: { profile: NetworkProfile; sources: VerifySources; onCheck?: (check: VerifyCheck) => void },
): Promise<VerifyReport> {
  const common = { profile, sources, ...(onCheck && { onCheck }) };
  if (subject.kind === "signed")
    return verifySignedInference({ ...common, inference: subject.inference, origin: subject.origin });
  const request = subject.request?.trim() ? subject.request : undefined;
  return verifyResponse({
    ...common,
    response: subject.response,
    ...(request !== undefined && { request }),
    names: { response: "the pasted response", request: "the pasted request" },
  });
}

/** The sources as the reader gave them: trimmed, trailing slashes dropped, an empty hint left out. */
export function sourcesOf({
  rpcUrl,
  aggregator,
  hintUrl,
}: {
  rpcUrl: string;
  aggregator: string;
  hintUrl?: string;
}): VerifySources {
  const clean = (url: string) => url.trim().replace(/\/+$/, "");
  const hint = clean(hintUrl ?? "");
  return { rpcUrl: clean(rpcUrl), aggregator: clean(aggregator), ...(hint && { hintUrl: hint }) };
}
