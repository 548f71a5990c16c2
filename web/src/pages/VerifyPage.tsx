import { ReceiptVerifier } from "../features/verify/ReceiptVerifier";
import { VerifyForm } from "../features/verify/VerifyForm";

export function VerifyPage({ initialResponse }: { initialResponse?: string }) {
  return (
    <>
      <h1>Verify a response</h1>
      <p className="muted">
        Your browser re-runs every check from the chain and the blob itself: the content against the enclave's signed
        hashes, the settlement in the relays' logs, inclusion in the batch's blob, the enclave's registration and
        signature at the settlement's block, who posted it, and whether it was the first. No Settlescan server is
        trusted, or needed.
      </p>
      <VerifyForm initialResponse={initialResponse} />
      <ReceiptVerifier />
    </>
  );
}
