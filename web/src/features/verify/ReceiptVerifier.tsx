import { verifyX402Receipt, type X402ReceiptReport, type X402ReceiptState } from "@settlescan/abis";
import { useId, useRef, useState } from "react";
import { Badge, CheckBadge } from "../../ui/Badge";
import { explorerNetwork } from "./explorerProfile";

// A signed x402 receipt (the offer-receipt extension) re-checked in this browser by the one verifier the CLI runs:
// the signature, the payment its transaction names on the payment chain, and the signer beside the payment's payTo.

const VERDICTS: Record<X402ReceiptState, { label: string; tone: "pass" | "fail" | "warn" | "na" }> = {
  verified: { label: "Valid", tone: "pass" },
  invalid_signature: { label: "Invalid signature", tone: "fail" },
  payment_mismatch: { label: "Invalid: payment mismatch", tone: "fail" },
  signer_not_payee: { label: "Invalid: not signed by the payee", tone: "fail" },
  unchecked: { label: "Signature valid, not fully checked", tone: "warn" },
};

const status = (ok: boolean | null) => (ok === null ? "na" : ok ? "pass" : "fail");

type ReceiptRun =
  | { phase: "idle" }
  | { phase: "running" }
  | { phase: "done"; report: X402ReceiptReport }
  | { phase: "error"; message: string };

/** Paste a receipt (or the PAYMENT-RESPONSE header value, or the SettleResponse) and see it verified here. */
export function ReceiptVerifier() {
  const { profile } = explorerNetwork();
  const [receipt, setReceipt] = useState("");
  const [rpcUrl, setRpcUrl] = useState(profile.payment.rpcUrl ?? "");
  const [run, setRun] = useState<ReceiptRun>({ phase: "idle" });
  const current = useRef(0);
  const ids = { receipt: useId(), rpc: useId() };
  const missing = !receipt.trim() ? "Paste a receipt." : null;

  async function verify() {
    const id = ++current.current;
    setRun({ phase: "running" });
    try {
      const report = await verifyX402Receipt({
        receipt,
        profile,
        ...(rpcUrl.trim() && { rpcUrl: rpcUrl.trim() }),
        name: "the pasted receipt",
      });
      if (id === current.current) setRun({ phase: "done", report });
    } catch (error) {
      if (id === current.current)
        setRun({ phase: "error", message: error instanceof Error ? error.message : String(error) });
    }
  }

  return (
    <section data-testid="receipt-verifier">
      <h2>Verify an x402 receipt</h2>
      <p className="muted">
        A resource server using x402's offer-receipt extension signs a receipt of each paid request (EIP-712 or JWS).
        Your browser checks its signature, finds the payment its transaction names on the payment chain, and shows the
        signer beside the payment's payTo.
      </p>
      <form
        className="card verify-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!missing) void verify();
        }}
      >
        <label htmlFor={ids.receipt}>
          Receipt (the PAYMENT-RESPONSE header value, the settlement JSON, or the receipt)
        </label>
        <textarea
          className="verify-input"
          id={ids.receipt}
          name="receipt"
          rows={5}
          value={receipt}
          onChange={(event) => setReceipt(event.target.value)}
          spellCheck={false}
          placeholder='eyJzdWNjZXNzIjp0cnVl… or {"format": "eip712", "payload": {…}, "signature": "0x…"}'
        />
        <label htmlFor={ids.rpc}>Payment chain RPC (chain {profile.payment.chainId})</label>
        <input
          className="verify-input"
          id={ids.rpc}
          name="baseRpcUrl"
          type="url"
          value={rpcUrl}
          onChange={(event) => setRpcUrl(event.target.value)}
          placeholder="https://… (to find the receipt's transaction)"
        />
        <div>
          <button type="submit" className="primary" disabled={missing !== null || run.phase === "running"}>
            Verify the receipt
          </button>{" "}
          {missing ? <span className="muted">{missing}</span> : null}
        </div>
      </form>
      <ReceiptResult run={run} />
    </section>
  );
}

function ReceiptResult({ run }: { run: ReceiptRun }) {
  if (run.phase === "idle") return null;
  if (run.phase === "running")
    return (
      <div className="card state-banner" aria-busy="true" data-testid="receipt-verdict" data-state="running">
        <span className="muted">Verifying the receipt in your browser…</span>
      </div>
    );
  if (run.phase === "error")
    return (
      <div className="card state-banner" data-testid="receipt-verdict" data-state="error">
        <span role="alert" style={{ color: "var(--fail)", overflowWrap: "anywhere" }}>
          Could not verify: {run.message}
        </span>
      </div>
    );
  const { report } = run;
  const verdict = VERDICTS[report.state];
  const { payload, signer, payment } = report;
  const rows: [string, string | undefined][] = [
    ["Format", report.format === "eip712" ? "EIP-712 typed data" : `JWS (${signer.alg ?? "no alg"})`],
    ["Signer", signer.address ?? "not an Ethereum key"],
    ["Key id", signer.kid],
    ["Payment's payTo", payment.payTo ?? "no payment found"],
    ["Payer", payload.payer],
    ["Network", payload.network],
    ["Resource", payload.resourceUrl],
    ["Issued", new Date(payload.issuedAt * 1000).toISOString().replace(".000Z", "Z")],
    ["Transaction", payload.transaction || "none named"],
    ["Version", String(payload.version)],
  ];
  const checks = [
    { name: "signature", ok: report.signature.valid, detail: report.signature.detail, source: "the pasted receipt" },
    { name: "payment", ok: payment.ok, detail: payment.detail, source: payment.source },
    { name: "payee", ok: report.payee.ok, detail: report.payee.detail, source: "the receipt and the payment" },
  ];
  return (
    <section aria-live="polite">
      <div className="card state-banner" data-testid="receipt-verdict" data-state={report.state}>
        <Badge tone={verdict.tone}>{verdict.label}</Badge>
        <span style={{ overflowWrap: "anywhere" }}>{report.reason}</span>
      </div>
      <div className="card">
        <table data-testid="receipt-fields">
          <tbody>
            {rows
              .filter((row): row is [string, string] => row[1] !== undefined)
              .map(([name, value]) => (
                <tr key={name}>
                  <th scope="row" style={{ textAlign: "left", paddingRight: "1rem" }}>
                    {name}
                  </th>
                  <td className="mono" style={{ overflowWrap: "anywhere" }}>
                    {value}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>
      <div className="card checks">
        {checks.map((check) => (
          <div
            key={check.name}
            className="check"
            data-testid={`receipt-check-${check.name}`}
            data-status={status(check.ok)}
          >
            <strong style={{ textTransform: "capitalize" }}>{check.name}</strong>
            <div className="verdicts">
              <CheckBadge status={status(check.ok)} />
            </div>
            <div className={`reason ${check.ok === false ? "fail" : ""}`}>{check.detail}</div>
            <div className="reason mono">Source: {check.source}</div>
          </div>
        ))}
      </div>
      <p className="muted" data-testid="receipt-elapsed">
        Verified in your browser in {report.elapsedMs} ms, reading only{" "}
        {report.sources
          .filter((source) => source.kind === "rpc")
          .map((source) => (source.kind === "rpc" ? `RPC ${source.url} (chain ${source.chainId})` : ""))
          .join(", ") || "the receipt itself"}
        .
      </p>
    </section>
  );
}
