import { CheckBadge } from "../../ui/Badge";
import { useBrowserVerification } from "../proof/useBrowserVerification";
import type { BrowserCheck } from "../proof/verifyInBrowser";
import type { TrailReceipt } from "./ReceiptTrail";

const CHECKS = [
  [
    "payment",
    "Payment",
    "A Base payment with this payment id exists, in an accepted token, covering what its leaves claim.",
  ],
  ["inclusion", "Inclusion", "The leaf is in the settled batch: leaf + proof give the Merkle root posted on chain."],
  ["attestation", "Attestation", "A registered, unrevoked enclave signed this inference (RSA-PSS)."],
  ["uniqueness", "Uniqueness", "This inference is settled only once."],
] as const;

/** The indexer's verdict on each check, and for inclusion and attestation the browser's own. */
export function CheckList({ receipt, tampered }: { receipt: TrailReceipt; tampered: boolean }) {
  const { settlement } = receipt;
  const browser = useBrowserVerification(
    {
      id: receipt.id,
      kind: settlement.kind,
      leaf: settlement.leaf,
      proof: settlement.proof,
      merkleRoot: settlement.merkleRoot,
      publicKey: receipt.tee?.publicKey,
    },
    tampered,
  );
  const browserOf = (check: string): BrowserCheck | "pending" | null => {
    if (check !== "inclusion" && check !== "attestation") return null;
    if (browser.isPending) return "pending";
    if (browser.isError) return { status: "fail", reason: browser.error.message };
    return browser.data[check];
  };
  return (
    <div className="checks">
      {browser.data?.tampered ? (
        <p className="badge warn" role="status" style={{ whiteSpace: "normal" }}>
          Tampered in your browser: {browser.data.tampered} changed. The indexer's verdict is unchanged; your browser's
          check must now fail.
        </p>
      ) : null}
      {CHECKS.map(([key, label, meaning]) => {
        const passed = receipt.checks[key];
        const reasons = receipt.reasons.filter((r) => r.check === key).map((r) => r.reason);
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
                  <CheckBadge
                    status={local.status}
                    label={
                      local.status === "pass"
                        ? "Verified in your browser"
                        : local.status === "fail"
                          ? "Fails in your browser"
                          : "Nothing to verify"
                    }
                  />
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
              <div className={`reason ${local.status === "fail" ? "fail" : ""}`}>Your browser: {local.reason}</div>
            ) : null}
          </div>
        );
      })}
    </div>
  );
}
