import type { VerifySource, VerifyState } from "@settlescan/abis";
import { Badge, CheckBadge } from "../../ui/Badge";
import type { VerificationState } from "./useVerification";
import { ENCLAVE_ATTESTATION_MEANING, enclaveRowOf, rowsOf, VERIFY_CHECK_MEANINGS } from "./verification";

const STATES: Record<VerifyState, { label: string; tone: "pass" | "fail" | "warn" | "na" }> = {
  proven: { label: "Proven", tone: "pass" },
  invalid_proof: { label: "Invalid proof", tone: "fail" },
  unofficial: { label: "Unofficial", tone: "warn" },
  not_settled: { label: "Not settled", tone: "na" },
  pending: { label: "Pending", tone: "na" },
};

const LABELS = { pass: "Pass", fail: "Fail", na: "Not checkable" } as const;

/** Where a source is, in words: the URL it was read at, or what the reader gave. */
function whereOf(source: VerifySource): string {
  if (source.kind === "response" || source.kind === "request") return source.name;
  if (source.kind === "rpc") return `RPC ${source.url} (chain ${source.chainId})`;
  if (source.kind === "aggregator") return `Walrus aggregator ${source.url}`;
  return `Settlescan API ${source.url}, as a hint only`;
}

/**
 * A verification running in this browser: each check as it is decided, with what it found and where it read it, then
 * the state, the sources and how long it took.
 */
export function VerifyProgress({ state }: { state: VerificationState }) {
  if (state.phase === "idle") return null;
  const rows = rowsOf(state.checks, state.phase === "running");
  const enclave = state.phase === "done" ? enclaveRowOf(state.report) : null;
  return (
    <section aria-live="polite" aria-busy={state.phase === "running"}>
      <div
        className="card state-banner"
        data-testid="verify-state"
        data-state={state.phase === "done" ? state.report.state : state.phase}
      >
        {state.phase === "running" ? (
          <span className="muted">Verifying in your browser…</span>
        ) : state.phase === "error" ? (
          <span role="alert" style={{ color: "var(--fail)", overflowWrap: "anywhere" }}>
            Could not verify: {state.message}
          </span>
        ) : (
          <>
            <Badge tone={STATES[state.report.state].tone}>{STATES[state.report.state].label}</Badge>
            <span style={{ overflowWrap: "anywhere" }}>{state.report.reason}</span>
          </>
        )}
      </div>
      <div className="card checks">
        {rows.map((row) => (
          <div key={row.name} className="check" data-testid={`verify-check-${row.name}`} data-status={row.status}>
            <strong title={VERIFY_CHECK_MEANINGS[row.name]} style={{ textTransform: "capitalize" }}>
              {row.name}
            </strong>
            <div className="verdicts">
              {row.status === "running" ? (
                <span className="muted">checking…</span>
              ) : row.status === "waiting" ? (
                <span className="muted">{state.phase === "error" ? "not reached" : "waiting"}</span>
              ) : (
                <CheckBadge status={row.status} label={LABELS[row.status]} />
              )}
            </div>
            <div className="reason">{VERIFY_CHECK_MEANINGS[row.name]}</div>
            {row.detail ? (
              <div
                className={`reason ${row.status === "fail" ? "fail" : ""}`}
                data-testid={`verify-detail-${row.name}`}
              >
                {row.detail}
              </div>
            ) : null}
            {row.source ? (
              <div className="reason mono" data-testid={`verify-source-${row.name}`}>
                Source: {row.source}
              </div>
            ) : null}
          </div>
        ))}
      </div>
      {enclave ? (
        <div className="card checks" data-testid="verify-enclave-attestation" data-status={enclave.status}>
          <div className="check">
            <strong title={ENCLAVE_ATTESTATION_MEANING}>Enclave attestation (AWS Nitro)</strong>
            <div className="verdicts">
              <CheckBadge status={enclave.status} label={enclave.label} />
            </div>
            <div className="reason">{ENCLAVE_ATTESTATION_MEANING}</div>
            <div
              className={`reason ${enclave.status === "fail" ? "fail" : ""}`}
              data-testid="verify-detail-enclave-attestation"
            >
              {enclave.detail}
            </div>
            <div className="reason mono" data-testid="verify-source-enclave-attestation">
              Source: {enclave.source}
            </div>
          </div>
        </div>
      ) : null}
      {state.phase === "done" ? (
        <div className="card">
          <h2 style={{ marginTop: 0 }}>Sources</h2>
          <ul data-testid="verify-sources" style={{ margin: 0, paddingLeft: "1.2rem" }}>
            {state.report.sources.map((source) => (
              <li
                key={`${source.kind}-${whereOf(source)}`}
                data-kind={source.kind}
                style={{ overflowWrap: "anywhere" }}
              >
                <strong>{whereOf(source)}</strong>: {source.detail}
              </li>
            ))}
          </ul>
          <p className="muted" data-testid="verify-elapsed" data-ms={state.elapsedMs}>
            Verified in your browser in {state.elapsedMs} ms, trusting no Settlescan server.
          </p>
        </div>
      ) : null}
    </section>
  );
}
