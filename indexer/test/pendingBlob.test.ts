import { e3, eventBytesOfBlobId, inferenceIdOf, settlementRelayV3Abi, treeDumpOf, uploadBlob } from "@settlescan/abis";
import { FACILITATOR } from "@settlescan/devnet/accounts";
import { devnetClientOf } from "@settlescan/devnet/deploy";
import type { Devnet } from "@settlescan/devnet/devnet";
import { loadTees, nowSeconds, textHashOf } from "@settlescan/devnet/tees";
import type { Hex } from "viem";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type IndexerProcess, rowsOf, startDevnetIndexer, untilIndexed } from "./indexerProcess";

// A batch whose blob Walrus does not serve yet: the batch is indexed as pending, later blocks go on being indexed,
// and once the blob is served its inferences are judged — proven — on the next verification-chain event.
let devnet: Devnet;
let indexer: IndexerProcess;
let stop: (() => Promise<void>) | undefined;

beforeAll(async () => {
  ({ devnet, indexer, stop } = await startDevnetIndexer({ BLOB_RETRY_MS: "200", BLOB_TIMEOUT_MS: "1000" }));
}, 120_000);
afterAll(() => stop?.());

type SettlementRow = { txHash: string; blobStatus: string | null; leafCount: number };
type InferenceRow = { id: string; state: string };

const until = <T>(what: string, read: () => Promise<T | undefined>, timeoutMs?: number) =>
  untilIndexed(indexer, what, read, timeoutMs);

/** Posts a one-leaf E3 batch from the official facilitator; its blob is uploaded, and withheld if asked. */
async function postBatch(prompt: string, { withheld }: { withheld: boolean }) {
  const tee = (await loadTees())["tee-alpha"];
  const fields = {
    inputHash: textHashOf(prompt),
    outputHash: textHashOf(`${prompt} (answer)`),
    timestamp: nowSeconds(),
  };
  const leaf = e3.fromValues([
    tee.teeId,
    fields.inputHash,
    fields.outputHash,
    await tee.sign(fields),
    fields.timestamp,
  ]);
  const dump = treeDumpOf([leaf], e3);
  const blobId = await uploadBlob(devnet.walrus.publisherUrl, JSON.stringify(dump));
  if (withheld) await devnet.walrus.withhold(blobId);
  const og = devnetClientOf({ name: "og", ...devnet.deployment.chains.og }, FACILITATOR);
  const hash = await og.writeContract({
    address: devnet.deployment.contracts.relay.address,
    abi: settlementRelayV3Abi,
    functionName: "batchSettle",
    args: [dump.tree[0] as Hex, 1n, eventBytesOfBlobId(blobId)],
  });
  await og.waitForTransactionReceipt({ hash });
  return { blobId, txHash: hash, inferenceId: inferenceIdOf({ teeId: tee.teeId, ...fields }) };
}

const settlementOf = async (txHash: string) =>
  (await rowsOf<SettlementRow>(indexer.url, "settlement")).find((s) => s.txHash === txHash);
const inferenceOf = async (id: string) =>
  (await rowsOf<InferenceRow>(indexer.url, "inference")).find((i) => i.id.toLowerCase() === id.toLowerCase());

test("behavior: a withheld blob leaves its batch pending, later blocks are indexed, and its release proves the inference", async () => {
  const withheld = await postBatch("withheld until later", { withheld: true });
  const pending = await until("the pending batch", async () => {
    const row = await settlementOf(withheld.txHash);
    return row?.blobStatus === "pending" ? row : undefined;
  });
  expect(pending.leafCount).toBe(0);
  expect(await inferenceOf(withheld.inferenceId)).toBeUndefined();

  // Indexing goes on: a later batch with its blob served is proven while the first still waits.
  const served = await postBatch("served at once", { withheld: false });
  await until("the later batch proven", async () =>
    (await inferenceOf(served.inferenceId))?.state === "proven" ? true : undefined,
  );
  expect((await settlementOf(withheld.txHash))?.blobStatus).toBe("pending");

  // Walrus serves it now; the next verification-chain event judges the waiting batch.
  await devnet.walrus.release(withheld.blobId);
  await new Promise((r) => setTimeout(r, 500));
  await postBatch("a later event", { withheld: false });
  const proven = await until("the released batch judged", async () => {
    const row = await inferenceOf(withheld.inferenceId);
    return row?.state === "proven" ? row : undefined;
  });
  expect(proven.state).toBe("proven");
  expect(await settlementOf(withheld.txHash)).toMatchObject({ blobStatus: "available", leafCount: 1 });
}, 180_000);
