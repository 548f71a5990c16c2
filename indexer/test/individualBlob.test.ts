import {
  eventBytesOfBlobId,
  individualBlobOf,
  inferenceIdOf,
  settlementRelayV3Abi,
  uploadBlob,
  type WalrusBlobId,
} from "@settlescan/abis";
import { FACILITATOR } from "@settlescan/devnet/accounts";
import { devnetClientOf } from "@settlescan/devnet/deploy";
import type { Devnet } from "@settlescan/devnet/devnet";
import { loadTees, textHashOf } from "@settlescan/devnet/tees";
import { type Address, hexToBytes } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type IndexerProcess, rowsOf, startDevnetIndexer, untilIndexed } from "./indexerProcess";

// An individual settlement's blob is archived and compared with its event, never waited for: whatever its fate
// (served, withheld then released, expired, differing from the event), the inference is judged from the event alone.
let devnet: Devnet;
let indexer: IndexerProcess;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ devnet, indexer, stop } = await startDevnetIndexer({ BLOB_RETRY_MS: "200", BLOB_TIMEOUT_MS: "1000" }));
}, 120_000);
afterAll(() => stop?.());

type SettlementRow = {
  txHash: string;
  kind: string;
  blobId: string | null;
  blobStatus: string | null;
  blobReason: string | null;
};
type BlobRow = { id: string; content: string; size: number };
type InferenceRow = { id: string; state: string; reasons: unknown[] } & Record<string, unknown>;

const until = <T>(what: string, read: () => Promise<T | undefined>, timeoutMs?: number) =>
  untilIndexed(indexer, what, read, timeoutMs);

const PAYER: Address = "0x00000000000000000000000000000000000000c1";

/**
 * Settles one inference of tee-alpha individually from the official facilitator. Its blob is the exchange the
 * facilitator uploads, with `blobEthAddress` in place of the event's if given; the blob service withholds or expires
 * it if asked.
 */
async function settleIndividually(
  prompt: string,
  {
    fate = "served",
    blobEthAddress = PAYER,
  }: { fate?: "served" | "withheld" | "expired"; blobEthAddress?: Address } = {},
) {
  const tee = (await loadTees())["tee-alpha"];
  const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og }, FACILITATOR);
  const fields = {
    inputHash: textHashOf(prompt),
    outputHash: textHashOf(`${prompt} (answer)`),
    timestamp: (await og.getBlock()).timestamp,
  };
  const signature = await tee.sign(fields);
  const blobText = individualBlobOf({
    input: { messages: [{ role: "user", content: prompt }] },
    output: {
      choices: [{ message: { role: "assistant", content: `${prompt} (answer)` } }],
      tee_request_hash: fields.inputHash.slice(2),
      tee_output_hash: fields.outputHash.slice(2),
    },
    teeSignature: Buffer.from(hexToBytes(signature)).toString("base64"),
    teeId: tee.teeId,
    timestamp: fields.timestamp,
    ethAddress: blobEthAddress,
  });
  const blobId = await uploadBlob(devnet.walrus.publisherUrl, blobText);
  if (fate === "withheld") await devnet.walrus.withhold(blobId);
  if (fate === "expired") await devnet.walrus.expire(blobId);
  const hash = await og.writeContract({
    address: devnet.deployment.contracts.relay.address,
    abi: settlementRelayV3Abi,
    functionName: "settleIndividual",
    args: [
      tee.teeId,
      fields.inputHash,
      fields.outputHash,
      fields.timestamp,
      PAYER,
      eventBytesOfBlobId(blobId),
      signature,
    ],
  });
  await og.waitForTransactionReceipt({ hash });
  return { blobId, blobText, txHash: hash, inferenceId: inferenceIdOf({ teeId: tee.teeId, ...fields }) };
}

const settlementOf = async (txHash: string) =>
  (await rowsOf<SettlementRow>(indexer.url, "settlement")).find((s) => s.txHash === txHash);
const blobRowOf = async (blobId: WalrusBlobId) =>
  (await rowsOf<BlobRow>(indexer.url, "blob")).find((b) => b.id === blobId);
const inferenceOf = async (id: string) =>
  (await rowsOf<InferenceRow>(indexer.url, "inference")).find((i) => i.id.toLowerCase() === id.toLowerCase());
let nudges = 0;
/**
 * The settlement once its blob status is `blobStatus`. A handler never waits for an individual blob: what it fetched
 * meanwhile is compared on the next verification-chain event, so while the status differs another inference is settled.
 */
async function settlementWith(txHash: string, blobStatus: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await until(`settlement ${txHash}`, () => settlementOf(txHash));
    if (row.blobStatus === blobStatus) return row;
    if (Date.now() > deadline)
      throw new Error(
        `settlement ${txHash} is ${row.blobStatus}, not ${blobStatus}:\n${indexer.output().slice(-3000)}`,
      );
    await nudge();
  }
}
/** Settles another inference and waits for it to be indexed: a later verification-chain event. */
async function nudge() {
  const { txHash } = await settleIndividually(`nudge ${++nudges}`);
  await until("the nudge indexed", () => settlementOf(txHash));
}
/** What the inference's verdict is made of: the same whatever happened to the blob. */
const verdictOf = async (id: string) => {
  const row = await until(`inference ${id}`, () => inferenceOf(id));
  const { state, checkInclusion, checkAttestation, checkProvenance, checkUniqueness, reasons, linkKind, payer } = row;
  return { state, checkInclusion, checkAttestation, checkProvenance, checkUniqueness, reasons, linkKind, payer };
};

test("behavior: an individual blob is archived and compared; the inference is judged from the event whatever the blob's fate", async () => {
  // Served: archived byte for byte, `available`.
  const served = await settleIndividually("served at once");
  expect(await settlementWith(served.txHash, "available")).toMatchObject({
    kind: "individual",
    blobId: served.blobId,
    blobReason: null,
  });
  expect(await until("the archived blob", () => blobRowOf(served.blobId))).toMatchObject({
    content: served.blobText,
    size: Buffer.byteLength(served.blobText),
  });
  const judged = await verdictOf(served.inferenceId);
  expect(judged).toMatchObject({ state: "proven", reasons: [] });

  // Withheld: `pending`, its inference already judged as without the blob; once released, the next event compares it.
  const withheld = await settleIndividually("withheld until later", { fate: "withheld" });
  await settlementWith(withheld.txHash, "pending");
  await nudge();
  expect((await settlementOf(withheld.txHash))?.blobStatus).toBe("pending");
  expect(await verdictOf(withheld.inferenceId)).toEqual(judged);
  expect(await blobRowOf(withheld.blobId)).toBeUndefined();
  await devnet.walrus.release(withheld.blobId);
  expect(await settlementWith(withheld.txHash, "available")).toMatchObject({ blobReason: null });
  expect((await blobRowOf(withheld.blobId))?.content).toBe(withheld.blobText);
  expect(await verdictOf(withheld.inferenceId)).toEqual(judged);

  // Expired (HTTP 410): `expired`, nothing archived.
  const expired = await settleIndividually("expired at once", { fate: "expired" });
  expect((await settlementWith(expired.txHash, "expired")).blobReason).toBe(
    `The Walrus aggregator says blob ${expired.blobId} is gone (HTTP 410).`,
  );
  expect(await blobRowOf(expired.blobId)).toBeUndefined();
  expect(await verdictOf(expired.inferenceId)).toEqual(judged);

  // A blob naming another payer than the event: `mismatched`, saying which field; still archived as fetched.
  const differing = await settleIndividually("another payer in the blob", {
    blobEthAddress: "0x00000000000000000000000000000000000000c2",
  });
  expect((await settlementWith(differing.txHash, "mismatched")).blobReason).toMatchInlineSnapshot(
    `"The blob's ethAddress is 0x00000000000000000000000000000000000000c2, but the event settled 0x00000000000000000000000000000000000000c1."`,
  );
  expect((await blobRowOf(differing.blobId))?.content).toBe(differing.blobText);
  expect(await verdictOf(differing.inferenceId)).toEqual(judged);
}, 180_000);
