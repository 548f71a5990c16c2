import { useId, useState } from "react";
import { explorerNetwork } from "./explorerProfile";
import { useVerification } from "./useVerification";
import { VerifyProgress } from "./VerifyProgress";
import { sourcesOf } from "./verification";

/**
 * Paste a response (JSON body or SSE text) and optionally its request, name the RPC and the aggregator to read (and
 * optionally a Settlescan API as a hint), and watch the verifier run in this browser.
 */
export function VerifyForm({ initialResponse = "" }: { initialResponse?: string }) {
  const network = explorerNetwork();
  const [response, setResponse] = useState(initialResponse);
  const [request, setRequest] = useState("");
  const [rpcUrl, setRpcUrl] = useState(network.rpcUrl);
  const [aggregator, setAggregator] = useState(network.aggregator);
  const [hintUrl, setHintUrl] = useState("");
  const { state, run } = useVerification();
  const ids = { response: useId(), request: useId(), rpc: useId(), aggregator: useId(), hint: useId() };
  const missing = !response.trim() ? "Paste a response." : !rpcUrl.trim() ? "Give a verification chain RPC." : null;
  return (
    <>
      <form
        className="card verify-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (missing) return;
          run(
            { kind: "response", response, request },
            { profile: network.profile, sources: sourcesOf({ rpcUrl, aggregator, hintUrl }) },
          );
        }}
      >
        <label htmlFor={ids.response}>Response (the JSON body, or the SSE text of a stream)</label>
        <textarea
          className="verify-input"
          id={ids.response}
          name="response"
          rows={8}
          value={response}
          onChange={(event) => setResponse(event.target.value)}
          spellCheck={false}
          placeholder='{"id": "chatcmpl-…", "choices": […], "tee_signature": "…", …}'
        />
        <label htmlFor={ids.request}>Request (optional: checks tee_request_hash)</label>
        <textarea
          className="verify-input"
          id={ids.request}
          name="request"
          rows={3}
          value={request}
          onChange={(event) => setRequest(event.target.value)}
          spellCheck={false}
          placeholder='{"model": "…", "messages": […]}'
        />
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
        <label htmlFor={ids.hint}>Settlescan API (optional, a hint of where to look; never trusted)</label>
        <input
          className="verify-input"
          id={ids.hint}
          name="hintUrl"
          type="url"
          value={hintUrl}
          onChange={(event) => setHintUrl(event.target.value)}
          placeholder="http://127.0.0.1:42069"
        />
        <p className="muted" style={{ margin: 0 }}>
          Network: {network.origin}. Only the RPC and the aggregator above (and the hint, if given) are contacted.
        </p>
        <div>
          <button type="submit" className="primary" disabled={missing !== null || state.phase === "running"}>
            Verify in your browser
          </button>{" "}
          {missing ? <span className="muted">{missing}</span> : null}
        </div>
      </form>
      <VerifyProgress state={state} />
    </>
  );
}
