import type { WalrusBlobId } from "@settlescan/abis";
import { SettleDataError } from "./errors";

/** What the devnet blob service says a blob is after a knob was turned. */
export type BlobKnobStatus = "available" | "withheld" | "expired" | "unknown";

/** The devnet blob service's admin knobs, over its loopback API (`POST /devnet/blobs/{blobId}/{action}`). */
export type BlobKnobs = {
  /** Answer 404 for the blob until `release`. */
  withhold: (blobId: WalrusBlobId) => Promise<BlobKnobStatus>;
  release: (blobId: WalrusBlobId) => Promise<BlobKnobStatus>;
  /** Drop the blob for good (410 from then on). */
  expire: (blobId: WalrusBlobId) => Promise<BlobKnobStatus>;
};

/**
 * The knobs of the devnet blob service at `serviceUrl` (its base URL; a publisher URL ending in `/v1/blobs` is
 * taken too). Real Walrus has no such API: only the devnet facilitator's fault injection uses it.
 * @example await blobKnobsOf(deployment.walrus.publisherUrl).withhold(blobId)
 */
export function blobKnobsOf(serviceUrl: string): BlobKnobs {
  const base = serviceUrl.replace(/\/+$/, "").replace(/\/v1\/blobs$/, "");
  const turn = (action: "withhold" | "release" | "expire") => async (blobId: WalrusBlobId) => {
    const url = `${base}/devnet/blobs/${blobId}/${action}`;
    const response = await fetch(url, { method: "POST" });
    const text = await response.text();
    if (!response.ok)
      throw new SettleDataError(
        `The devnet blob service refused to ${action} blob ${blobId} (${url} answered ${response.status}: ${text.slice(0, 200)}).`,
      );
    return (JSON.parse(text) as { status: BlobKnobStatus }).status;
  };
  return { withhold: turn("withhold"), release: turn("release"), expire: turn("expire") };
}
