import { randomUUID } from "node:crypto";
import {
  type E1Leaf,
  type E3Leaf,
  type ExactLeaf,
  e1,
  e3,
  eventBytesOfBlobId,
  exact,
  individualBlobOf,
  type TreeDump,
  treeDumpOf,
  uploadBlob,
  type WalrusBlobId,
} from "@settlescan/abis";
import { type Hex, keccak256 } from "viem";
import { type BlobKnobs, blobKnobsOf } from "./blobKnobs";
import { InvalidRequestError } from "./errors";
import { type BatchThresholds, createProofBatcher, type FlushReason } from "./proofBatcher";
import type { RelayPoster, RelayTransaction, Sent } from "./relay";
import type {
  FacilitatorFault,
  IndividualProof,
  Proof,
  SettleDataRequest,
  SettlementJob,
  SettlementPayment,
} from "./settleData";

/** The queue name OpenGradient's facilitator reports for settlement jobs (`DATA_SETTLEMENT_QUEUE_NAME`). */
export const DATA_SETTLEMENT_QUEUE = "x402-settle-data-queue";

/** Walrus storage epochs of every uploaded blob: what OpenGradient's facilitator asks (`?epochs=10`). */
export const BLOB_EPOCHS = 10;

/** Milliseconds a `withheld` blob stays unfetchable before the facilitator releases it. */
export const DEFAULT_RELEASE_AFTER_MS = 5_000;

/** Jobs kept for `GET /settle/{jobId}`; older ones are forgotten (live traffic runs for hours). */
const MAX_JOBS = 10_000;

/**
 * How a facilitator links proofs to payments: `none` settles E3 leaves, as OpenGradient does; `exact` is the
 * exact-link extension, whose leaves add the x402 payment's paymentId and amount (so every proof must cite one).
 */
export type LinkKind = "none" | "exact";

/** One settlement transaction the worker sent and saw mined. */
export type PostedSettlement = {
  kind: "batch" | "individual";
  /** `v3` through the relay, `v1` through the legacy relay. */
  abi: "v3" | "v1";
  fault?: FacilitatorFault;
  /** Why the batch was flushed. */
  reason?: FlushReason;
  transaction: RelayTransaction;
  /** The uploaded blob (v1 settlements upload none). */
  blobId?: WalrusBlobId;
  /** The tree the blob holds (batches), and the root that was posted (another one under `mismatched`). */
  dump?: TreeDump;
  root?: Hex;
  postedRoot?: Hex;
  proofs: Proof[];
  payments?: SettlementPayment[];
};

type Item = { proof: Proof; payment?: SettlementPayment; job: SettlementJob };

/** A root no dump of these leaves rebuilds: the tree's root, hashed. Deterministic, so reruns post the same. */
export function corruptRootOf(root: Hex): Hex {
  return keccak256(root);
}

export type DataWorkerOptions = {
  /** Sends the official settlements (the facilitator's signer). */
  poster: RelayPoster;
  /** Sends `unofficial` settlements: an account no profile lists as a signer. */
  unofficialPoster?: RelayPoster;
  /** The blob service: Walrus publisher, and (devnet) the admin API behind the withhold/expire knobs. */
  walrus: { publisherUrl: string; adminUrl?: string };
  link?: LinkKind;
  batch?: BatchThresholds;
  releaseAfterMs?: number;
  /** Called once each settlement transaction is mined (reverted ones too). */
  onSettlement?: (settlement: PostedSettlement) => void;
  /** Called for failures no HTTP caller waits for (batch flushes, background steps). */
  onError?: (error: unknown) => void;
};

/**
 * The facilitator's data path (`/settle_data` behind it): batches proofs into standard-v1 tree dumps uploaded to
 * the blob service and posted with v3 `batchSettle`, settles individual proofs with their blob and
 * `settleIndividual`, skips private ones, and injects the devnet's facilitator faults. Settlement jobs are kept
 * for `GET /settle/{jobId}`.
 * @example const worker = createDataWorker({ poster, walrus: { publisherUrl } }); await worker.submit(request)
 */
export function createDataWorker({
  poster,
  unofficialPoster,
  walrus,
  link = "none",
  batch = {},
  releaseAfterMs = DEFAULT_RELEASE_AFTER_MS,
  onSettlement,
  onError = (error) => console.error("[facilitator]", error),
}: DataWorkerOptions) {
  const knobs: BlobKnobs = blobKnobsOf(walrus.adminUrl ?? walrus.publisherUrl);
  const jobs = new Map<string, SettlementJob>();
  const background = new Set<Promise<unknown>>();
  const releases = new Map<WalrusBlobId, ReturnType<typeof setTimeout>>();

  const track = <T>(promise: Promise<T>): Promise<T> => {
    const tracked = promise.catch((error: unknown) => void onError(error));
    background.add(tracked);
    void tracked.finally(() => background.delete(tracked));
    return promise;
  };

  function posterFor(fault: FacilitatorFault | undefined): RelayPoster {
    if (fault !== "unofficial") return poster;
    if (!unofficialPoster)
      throw new InvalidRequestError('Fault "unofficial" needs an unofficial poster, and this facilitator has none.');
    return unofficialPoster;
  }

  function newJob(settlementType: SettlementJob["settlementType"], fault?: FacilitatorFault): SettlementJob {
    const now = new Date().toISOString();
    const job: SettlementJob = {
      jobId: `settlement-${randomUUID()}`,
      queue: DATA_SETTLEMENT_QUEUE,
      status: "queued",
      settlementType,
      createdAt: now,
      updatedAt: now,
      signerAddress: posterFor(fault).address,
    };
    jobs.set(job.jobId, job);
    if (jobs.size > MAX_JOBS) jobs.delete(jobs.keys().next().value as string);
    return job;
  }

  function update(job: SettlementJob, change: Partial<SettlementJob>) {
    Object.assign(job, change, { updatedAt: new Date().toISOString() });
  }

  async function upload(text: string): Promise<WalrusBlobId> {
    return uploadBlob(walrus.publisherUrl, text, { epochs: BLOB_EPOCHS, contentType: "application/json" });
  }

  function e3LeafOf({ teeId, inputHash, outputHash, signature, timestamp }: Proof): E3Leaf {
    return { encoding: "e3", teeId, inputHash, outputHash, signature, timestamp };
  }

  function exactLeafOf(proof: Proof, payment: SettlementPayment | undefined): ExactLeaf {
    if (!payment) throw new InvalidRequestError("An exact-link proof needs the payment it cites; got none.");
    return { ...e3LeafOf(proof), encoding: "exact", paymentId: payment.paymentId, amount: payment.amount };
  }

  /** Settles a sent transaction's jobs once it is mined, and reports it. */
  async function settled(
    sent: Sent,
    items: readonly Item[],
    settlement: Omit<PostedSettlement, "transaction" | "proofs" | "payments">,
  ): Promise<PostedSettlement> {
    for (const { job } of items)
      update(job, {
        status: "processing",
        txHash: sent.hash,
        ...(settlement.blobId ? { walrusBlobId: settlement.blobId } : {}),
      });
    let transaction: RelayTransaction;
    try {
      transaction = await sent.mined;
    } catch (error) {
      for (const { job } of items) update(job, { status: "failed", error: (error as Error).message });
      throw error;
    }
    for (const { job } of items)
      update(job, transaction.status === "success" ? { status: "succeeded" } : { status: "failed", error: "reverted" });
    const payments = items.flatMap(({ payment }) => (payment ? [payment] : []));
    const posted: PostedSettlement = {
      ...settlement,
      transaction,
      proofs: items.map(({ proof }) => proof),
      ...(payments.length > 0 ? { payments } : {}),
    };
    onSettlement?.(posted);
    return posted;
  }

  async function afterPosting(fault: FacilitatorFault | undefined, blobId: WalrusBlobId | undefined) {
    if (!blobId) return;
    if (fault === "expired") await knobs.expire(blobId);
    if (fault === "withheld")
      releases.set(
        blobId,
        setTimeout(() => {
          releases.delete(blobId);
          track(knobs.release(blobId));
        }, releaseAfterMs),
      );
  }

  const batcher = createProofBatcher<Item, FacilitatorFault | "">({
    ...batch,
    async settle({ key, items, reason }) {
      const fault = key === "" ? undefined : key;
      let posted: PostedSettlement;
      try {
        for (const { job } of items) update(job, { status: "processing" });
        if (fault === "legacy") {
          const leaves: E1Leaf[] = items.map(({ proof }) => ({ encoding: "e1", ...pick(proof) }));
          const root = treeDumpOf(leaves, e1).tree[0] as Hex;
          const sent = await poster.legacyBatchSettle(root, leaves.length);
          posted = await settled(sent, items, { kind: "batch", abi: "v1", fault, reason, root, postedRoot: root });
        } else {
          const dump =
            link === "exact"
              ? treeDumpOf(
                  items.map(({ proof, payment }) => exactLeafOf(proof, payment)),
                  exact,
                )
              : treeDumpOf(
                  items.map(({ proof }) => e3LeafOf(proof)),
                  e3,
                );
          const blobId = await upload(JSON.stringify(dump));
          // Withheld before the root is posted: nobody knows the blob id before the event names it.
          if (fault === "withheld" || fault === "pending") await knobs.withhold(blobId);
          const root = dump.tree[0] as Hex;
          const postedRoot = fault === "mismatched" ? corruptRootOf(root) : root;
          const sent = await posterFor(fault).batchSettle(postedRoot, items.length, eventBytesOfBlobId(blobId));
          posted = await settled(sent, items, {
            kind: "batch",
            abi: "v3",
            ...(fault ? { fault } : {}),
            reason,
            blobId,
            dump,
            root,
            postedRoot,
          });
          await afterPosting(fault, blobId);
        }
      } catch (error) {
        for (const { job } of items)
          if (job.status !== "failed") update(job, { status: "failed", error: String(error) });
        // Reported once per batch here; the items' own promises are only there to wait on.
        onError(error);
        throw error;
      }
      // A duplicate is settled again, honestly, in a later batch: only now is the first settlement mined.
      if (fault === "duplicate")
        for (const { proof, payment } of items)
          buffer({ proof, ...(payment ? { payment } : {}), job: newJob("batch") }, "");
      return posted;
    },
  });

  function buffer(item: Item, key: FacilitatorFault | "") {
    batcher.add(item, key).catch(() => {});
  }

  async function settleIndividually(
    proof: IndividualProof,
    fault: FacilitatorFault | undefined,
    job = newJob("individual", fault),
  ): Promise<SettlementJob> {
    const item: Item = { proof, job };
    update(job, { status: "processing" });
    try {
      if (fault === "legacy") {
        const sent = await poster.legacySettle(proof.inputHash, proof.outputHash);
        track(settled(sent, [item], { kind: "individual", abi: "v1", fault }));
        return job;
      }
      const blobId = await upload(
        individualBlobOf({
          input: proof.input,
          output: proof.output,
          teeSignature: proof.teeSignature,
          teeId: proof.teeId,
          timestamp: proof.timestamp,
          ethAddress: proof.ethAddress,
        }),
      );
      const sent = await posterFor(fault).settleIndividual({
        teeId: proof.teeId,
        inputHash: proof.inputHash,
        outputHash: proof.outputHash,
        timestamp: proof.timestamp,
        ethAddress: proof.ethAddress,
        walrusBlobId: eventBytesOfBlobId(blobId),
        signature: proof.signature,
      });
      const mined = settled(sent, [item], { kind: "individual", abi: "v3", ...(fault ? { fault } : {}), blobId });
      track<unknown>(
        fault === "duplicate" ? mined.then(() => settleIndividually(proof, undefined, newJob("individual"))) : mined,
      );
    } catch (error) {
      update(job, { status: "failed", error: String(error) });
      throw error;
    }
    return job;
  }

  return {
    link,
    /**
     * Takes one `/settle_data` request: a batch proof is buffered (its job `queued`), an individual one is uploaded
     * and sent (its job `processing`, with `txHash` and `walrusBlobId`), a private one is dropped (null).
     */
    async submit(request: SettleDataRequest): Promise<SettlementJob | null> {
      if (request.type === "private") return null;
      const { proof, payment, fault } = request;
      if (link === "exact") {
        if (!payment)
          throw new InvalidRequestError(
            "This exact-link facilitator settles proofs with the payment they cite; send x-settlement-payment.",
          );
        if (request.type === "individual")
          throw new InvalidRequestError(
            'An exact-link proof is settled in a batch: an individual settlement\'s event has no paymentId. Send x-settlement-type "batch".',
          );
        if (fault === "legacy")
          throw new InvalidRequestError(
            'Fault "legacy" posts v1 settlements, which carry no paymentId; not exact links.',
          );
      }
      if (request.type === "individual") return settleIndividually(request.proof, fault);
      const job = newJob("batch", fault);
      buffer({ proof, ...(payment ? { payment } : {}), job }, fault ?? "");
      return job;
    },
    /** The job `jobId` names, while it is kept. */
    jobOf: (jobId: string) => jobs.get(jobId),
    /** Posts every buffered batch now. */
    flush: () => batcher.flush(),
    /** Proofs buffered and not yet posted. */
    get pending() {
      return batcher.pending;
    },
    /** Posts what is buffered, releases withheld blobs now, and waits for every settlement to be mined. */
    async close() {
      await batcher.close();
      do await Promise.all([...background]);
      while (background.size > 0);
      await Promise.all(
        [...releases].map(([blobId, timer]) => {
          clearTimeout(timer);
          releases.delete(blobId);
          return knobs.release(blobId).catch(onError);
        }),
      );
    },
  };
}

export type DataWorker = ReturnType<typeof createDataWorker>;

/** The two hashes an E1 leaf keeps. */
function pick({ inputHash, outputHash }: Proof): { inputHash: Hex; outputHash: Hex } {
  return { inputHash, outputHash };
}
