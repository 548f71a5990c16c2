import { Link } from "react-router";
import { LatestInferences } from "../features/inference/LatestInferences";
import { LatestReceipts } from "../features/receipt/LatestReceipts";
import { SearchBox } from "../features/search/SearchBox";
import { HeadlineFigures } from "../features/stats/HeadlineFigures";

export function HomePage() {
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">Was this AI inference run in a registered enclave, settled on chain, and paid?</h1>
        <p className="muted">
          Paste a response body of an OpenGradient TEE gateway (JSON or the SSE stream), or an inference id, a receipt
          id, a transaction hash, an input or output hash, an address or a blob id. Press <kbd>/</kbd> anywhere to
          search. Every proof is re-checked in your browser.
        </p>
        <SearchBox autoFocus />
      </section>
      <HeadlineFigures />
      <div className="grid">
        <LatestInferences />
        <LatestReceipts />
      </div>
      <p className="muted">
        See the <Link to="/inferences">inference history</Link>, the <Link to="/history">receipts</Link>, the{" "}
        <Link to="/payments">payments</Link>, the <Link to="/dashboard">dashboard</Link> or the{" "}
        <Link to="/tees">registered enclaves</Link>.
      </p>
    </>
  );
}
