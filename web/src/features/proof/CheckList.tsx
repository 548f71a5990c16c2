import { useState } from "react";
import { CheckBadge } from "../../ui/Badge";
import { useBrowserVerification } from "./useBrowserVerification";
import type { BrowserCheck, BrowserSubject, Tamper } from "./verifyInBrowser";

/** One check as the indexer judged it: its name, what it means, the verdict and why it failed. */
export type IndexerCheck = {
  key: "payment" | "inclusion" | "attestation" | "provenance" | "uniqueness";
  label: string;
  meaning: string;
  passed: boolean;
  reasons: readonly string[];
};

/** The meaning of each check (docs/protocol.md §5), in words for someone who does not know what a Merkle tree is. */
export const CHECK_MEANINGS = {
  payment: ["Payment", "A payment with this payment id exists on Base, covering what the leaves citing it claim."],
  inclusion: [
    "Inclusion",
    "The leaf is in the settlement: the batch's blob rebuilds the Merkle root posted on chain, or the event is the leaf.",
  ],
  attestation: [
    "Attestation",
    "A registered, enabled enclave whose key hashes to its id signed this inference (RSA-PSS).",
  ],
  provenance: ["Provenance", "One of the network's known facilitator signers posted the settlement."],
  uniqueness: ["Uniqueness", "No earlier official settlement proved this inference."],
} as const satisfies Record<IndexerCheck["key"], readonly [string, string]>;

/** The indexer's checks in display order, with the reasons of the failed ones. */
export function indexerChecksOf(
  checks: Partial<Record<IndexerCheck["key"], boolean>>,
  reasons: readonly { check: string; reason: string }[],
): IndexerCheck[] {
  return (Object.keys(CHECK_MEANINGS) as IndexerCheck["key"][])
    .filter((key) => checks[key] != null)
    .map((key) => ({
      key,
      label: CHECK_MEANINGS[key][0],
      meaning: CHECK_MEANINGS[key][1],
      passed: checks[key] as boolean,
      reasons: reasons.filter((r) => r.check === key).map((r) => r.reason),
    }));
}

const BROWSER_LABELS: Record<BrowserCheck["status"], string> = {
  pass: "Verified in your browser",
  fail: "Fails in your browser",
  na: "Not re-checked",
};

/**
 * The indexer's verdict on each check and, for inclusion and attestation, this browser's own, re-run on the raw blob
 * and the registry's key; with buttons that tamper with one digit to show the browser's checks catch it.
 */
export function VerifiedChecks({
  id,
  subject,
  checks,
  heading,
}: {
  /** Cache key: the inference or receipt id. */
  id: string;
  subject: BrowserSubject | null;
  checks: IndexerCheck[];
  heading: React.ReactNode;
}) {
  const [tamper, setTamper] = useState<Tamper | null>(null);
  const browser = useBrowserVerification(id, subject, tamper);
  const browserOf = (key: string): BrowserCheck | "pending" | null => {
    if (key !== "inclusion" && key !== "attestation") return null;
    if (!subject) return null;
    if (browser.isPending) return "pending";
    if (browser.isError) return { status: "fail", reason: browser.error.message };
    return browser.data[key];
  };
  const tampers: [Tamper, string][] = [];
  if (subject?.kind === "batch" && subject.blobId) tampers.push(["blob", "Tamper with the blob"]);
  if (subject?.leaf.signature) tampers.push(["signature", "Tamper with the signature"]);
  return (
    <>
      <div className="toolbar" style={{ marginTop: 0 }}>
        {heading}
        <span className="spacer" />
        {tampers.map(([what, label]) => (
          <button
            key={what}
            type="button"
            aria-pressed={tamper === what}
            onClick={() => setTamper((current) => (current === what ? null : what))}
          >
            {tamper === what ? "Undo tampering" : label}
          </button>
        ))}
      </div>
      <div className="checks">
        {browser.data?.tampered ? (
          <p className="badge warn" role="status" style={{ whiteSpace: "normal" }}>
            Tampered in your browser: {browser.data.tampered} changed. The indexer's verdict is unchanged; your
            browser's check must now fail.
          </p>
        ) : null}
        {checks.map(({ key, label, meaning, passed, reasons }) => {
          const local = browserOf(key);
          return (
            <div key={key} className="check" data-check={key}>
              <strong title={meaning}>{label}</strong>
              <div className="verdicts">
                <span data-testid={`indexer-${key}`}>
                  <CheckBadge status={passed ? "pass" : "fail"} label={passed ? "Pass" : "Fail"} />{" "}
                  <span className="muted">indexer</span>
                </span>
                {local === "pending" ? (
                  <span className="muted">verifying in your browser…</span>
                ) : local ? (
                  <span data-testid={`browser-${key}`} data-status={local.status}>
                    <CheckBadge status={local.status} label={BROWSER_LABELS[local.status]} />
                  </span>
                ) : null}
              </div>
              <div className="reason">{meaning}</div>
              {reasons.map((reason) => (
                <div key={reason} className="reason fail" data-testid={`reason-${key}`}>
                  {reason}
                </div>
              ))}
              {local && local !== "pending" ? (
                <div
                  className={`reason ${local.status === "fail" ? "fail" : ""}`}
                  data-testid={`browser-reason-${key}`}
                >
                  Your browser: {local.reason}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </>
  );
}
