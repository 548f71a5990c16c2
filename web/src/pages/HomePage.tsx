import { Link } from "react-router";
import { LatestReceipts } from "../features/receipt/LatestReceipts";
import { SearchBox } from "../features/search/SearchBox";
import { HeadlineFigures } from "../features/stats/HeadlineFigures";

export function HomePage() {
  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">Was this AI request paid, run in a registered enclave, and proven?</h1>
        <p className="muted">
          Paste a receipt id, a payment's transaction hash or id, an address, an inference id or a Merkle root. Press{" "}
          <kbd>/</kbd> anywhere to search. Every proof is re-checked in your browser.
        </p>
        <SearchBox autoFocus />
      </section>
      <HeadlineFigures />
      <LatestReceipts />
      <p className="muted">
        See the <Link to="/history">settlement history</Link>, the <Link to="/dashboard">dashboard</Link> or the{" "}
        <Link to="/tees">registered enclaves</Link>.
      </p>
    </>
  );
}
