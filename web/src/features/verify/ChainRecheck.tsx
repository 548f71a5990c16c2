import { useId, useState } from "react";
import { Link } from "react-router";
import type { ApiLeaf } from "../proof/verifyInBrowser";
import { explorerNetwork } from "./explorerProfile";
import { useVerification } from "./useVerification";
import { VerifyProgress } from "./VerifyProgress";
import { signedInferenceOf, sourcesOf } from "./verification";

/**
 * "Re-check from the chain": the same verifier as /verify, fed from the verification chain's RPC and the Walrus
 * aggregator instead of this Settlescan's API, starting from the signed fields the API shows for the inference.
 */
export function ChainRecheck({ inferenceId, leaf }: { inferenceId: string; leaf: ApiLeaf }) {
  const network = explorerNetwork();
  const inference = signedInferenceOf(leaf);
  const [rpcUrl, setRpcUrl] = useState(network.rpcUrl);
  const [aggregator, setAggregator] = useState(network.aggregator);
  const { state, run } = useVerification();
  const ids = { rpc: useId(), aggregator: useId() };
  const recomputed = state.phase === "done" ? state.report.inferenceId : null;
  return (
    <section className="card" aria-labelledby="chain-recheck" data-testid="chain-recheck">
      <h2 id="chain-recheck" style={{ marginTop: 0 }}>
        Re-check from the chain
      </h2>
      {inference ? (
        <>
          <p>
            Your browser re-runs the checks reading only the verification chain and the Walrus aggregator below, not
            this Settlescan's API. It starts from the enclave's signed fields shown here (TEE id, hashes, timestamp,
            signature) and recomputes the inference id from them. The content check needs the response you received:{" "}
            <Link to="/verify">verify your own response</Link> to check that too.
          </p>
          <form
            className="verify-form"
            onSubmit={(event) => {
              event.preventDefault();
              run(
                { kind: "signed", inference, origin: `this page's signed fields of inference ${inferenceId}` },
                { profile: network.profile, sources: sourcesOf({ rpcUrl, aggregator }) },
              );
            }}
          >
            <label htmlFor={ids.rpc}>Verification chain RPC (chain {network.profile.verification.chainId})</label>
            <input
              className="verify-input"
              id={ids.rpc}
              name="rpcUrl"
              type="url"
              value={rpcUrl}
              onChange={(event) => setRpcUrl(event.target.value)}
              placeholder="https://… (an RPC that keeps past state)"
            />
            <label htmlFor={ids.aggregator}>Walrus aggregator</label>
            <input
              className="verify-input"
              id={ids.aggregator}
              name="aggregator"
              type="url"
              value={aggregator}
              onChange={(event) => setAggregator(event.target.value)}
            />
            <div>
              <button type="submit" disabled={!rpcUrl.trim() || state.phase === "running"}>
                Re-check from the chain
              </button>
            </div>
          </form>
          {recomputed && recomputed.toLowerCase() !== inferenceId.toLowerCase() ? (
            <p className="reason fail" role="alert" data-testid="chain-recheck-mismatch">
              The fields shown define inference {recomputed}, not {inferenceId}: the API's record does not hold.
            </p>
          ) : null}
          <div style={{ marginTop: "1rem" }}>
            <VerifyProgress state={state} />
          </div>
        </>
      ) : (
        <p className="muted">
          This settled leaf carries no enclave signature (a legacy leaf), so there is nothing to re-check from the
          chain.
        </p>
      )}
    </section>
  );
}
