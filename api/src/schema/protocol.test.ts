import {
  blobIdOfRawBytes,
  e1,
  e3,
  exact,
  inferenceIdOf,
  parseTreeDump,
  receiptIdOf,
  type SettledLeaf,
  teeFieldsOf,
  teeResponseOf,
  treeDumpOf,
} from "@settlescan/abis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkpointOf, type SeededDatabase, startSeededDatabase } from "../../test/seededDatabase";
import { apiRoutes } from "../app";
import { ponderCheckpoint } from "../checkpoint";

// The API over hand-seeded tables in a real PostgreSQL: one settlement of each kind the protocol has (an official
// batch, an individual repeat, an unofficial batch, a pending batch, legacy v1 events, an exact-link batch), and what
// every new field answers for them.

type Hex = `0x${string}`;
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const address = (n: number): Hex => `0x${n.toString(16).padStart(40, "0")}`;
const T0 = 1_767_225_600n; // 2026-01-01T00:00:00Z
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

const RELAY_V3 = address(0xa3);
const RELAY_V1 = address(0xa1);
const REGISTRY = address(0xa9);
const FACILITATOR = address(0xf1);
const UNOFFICIAL = address(0xf2);
const PAYMENT_FACILITATOR = address(0xf9);
const OWNER = address(0x0e);
const PAYEE = address(0xee);
const PAYER = address(0xaa);
const USDC = address(0xc0);
const TEE_A = word(0x7ea);
const TEE_B = word(0x7eb);
const PCR = word(0x9c1);
const SIGNATURE = `0x${"5a".repeat(256)}` as Hex;

// Inference 1: the one a user holds as a streamed response body; proven by batch 1, settled again individually.
const streamed = teeResponseOf({
  kind: "stream",
  model: "gpt-4.1",
  output: { content: "Hello." },
  inputHash: word(0x11),
  timestamp: T0 + 10n,
  teeId: TEE_A,
  signature: SIGNATURE,
});
const fields = teeFieldsOf(streamed);
const leaf1 = e3.fromValues([fields.teeId, fields.inputHash, fields.outputHash, fields.signature, fields.timestamp]);
// Inference 2: signed by a disabled enclave (invalid_proof). Inference 3: only an unofficial batch carries it.
const leaf2 = e3.fromValues([TEE_B, word(0x21), word(0x22), SIGNATURE, String(T0 + 20n)]);
const leaf3 = e3.fromValues([TEE_A, word(0x31), word(0x32), SIGNATURE, String(T0 + 30n)]);
// Inference 4: an exact-link leaf naming its payment.
const PAYMENT_ID = word(0x9a);
const leaf4 = exact.fromValues([TEE_A, word(0x41), word(0x42), SIGNATURE, String(T0 + 40n), PAYMENT_ID, "1500000"]);
// A legacy E1 leaf, from a v1 relay's Settlement event.
const LEGACY_INPUT = word(0x61);
const leaf6 = e1.fromValues([LEGACY_INPUT, word(0x62)]);

const idOf = (l: SettledLeaf & { teeId: Hex; timestamp: bigint }) => inferenceIdOf(l);
const I1 = idOf(leaf1);
const I2 = idOf(leaf2);
const I3 = idOf(leaf3);
const I4 = idOf(leaf4);
const RECEIPT_ID = receiptIdOf({ paymentId: PAYMENT_ID, inferenceId: I4 });

const tx = (n: number) => word(0x7000 + n);
const blobId = (n: number) => blobIdOfRawBytes(word(0xb000 + n));
const dump1 = JSON.stringify(treeDumpOf([leaf1, leaf2], e3));
const dump3 = JSON.stringify(treeDumpOf([leaf3], e3));
const dump7 = JSON.stringify(treeDumpOf([leaf4], exact));
const [tree1, tree3, tree7] = [dump1, dump3, dump7].map((d) => parseTreeDump(d));
const at1 = (l: SettledLeaf) => tree1!.leaves.find((x) => x.leaf.inputHash === l.inputHash)!;

type Settlement = { id: string; n: number; block: number; logIndex: number; time: bigint } & Record<string, unknown>;
const settlementRow = ({ id, n, block, logIndex, time, ...rest }: Settlement) => ({
  id,
  kind: "batch",
  chainId: 10740,
  relay: RELAY_V3,
  abi: "v3",
  txHash: tx(n),
  blockNumber: BigInt(block),
  logIndex,
  timestamp: time,
  signer: FACILITATOR,
  official: true,
  merkleRoot: null,
  batchSize: 1,
  blobId: blobId(n),
  blobStatus: "available",
  blobReason: null,
  leafEncoding: "e3",
  leafCount: 1,
  ethAddress: null,
  ...rest,
});
const S1 = `${tx(1)}-0`;
const S2 = `${tx(2)}-1`;
const S3 = `${tx(3)}-0`;
const S4 = `${tx(4)}-0`;
const S5 = `${tx(5)}-0`;
const S6 = `${tx(6)}-0`;
const S7 = `${tx(7)}-0`;
const settlements = [
  settlementRow({
    id: S1,
    n: 1,
    block: 10,
    logIndex: 0,
    time: T0 + 100n,
    merkleRoot: tree1!.root,
    batchSize: 2,
    leafCount: 2,
  }),
  settlementRow({
    id: S2,
    n: 2,
    block: 20,
    logIndex: 1,
    time: T0 + 200n,
    kind: "individual",
    blobStatus: null,
    ethAddress: PAYER,
  }),
  settlementRow({
    id: S3,
    n: 3,
    block: 30,
    logIndex: 0,
    time: T0 + 300n,
    signer: UNOFFICIAL,
    official: false,
    merkleRoot: tree3!.root,
  }),
  settlementRow({
    id: S4,
    n: 4,
    block: 40,
    logIndex: 0,
    time: T0 + 400n,
    merkleRoot: word(0x44),
    batchSize: 5,
    blobStatus: "pending",
    blobReason: "The Walrus aggregator does not serve the blob yet (HTTP 404).",
    leafEncoding: null,
    leafCount: 0,
  }),
  settlementRow({
    id: S5,
    n: 5,
    block: 5,
    logIndex: 0,
    time: T0 + 50n,
    relay: RELAY_V1,
    abi: "v1",
    merkleRoot: word(0x55),
    batchSize: 3,
    blobId: null,
    blobStatus: "unavailable",
    blobReason: "Relay v1 batches name no blob.",
    leafEncoding: null,
    leafCount: 0,
  }),
  settlementRow({
    id: S6,
    n: 6,
    block: 6,
    logIndex: 0,
    time: T0 + 60n,
    kind: "individual",
    relay: RELAY_V1,
    abi: "v1",
    blobId: null,
    blobStatus: null,
    leafEncoding: "e1",
  }),
  settlementRow({
    id: S7,
    n: 7,
    block: 50,
    logIndex: 0,
    time: T0 + 500n,
    merkleRoot: tree7!.root,
    leafEncoding: "exact",
  }),
];

const pass = { inclusion: true, attestation: true, provenance: true, uniqueness: true };
const DISABLED = { check: "attestation", reason: `TEE ${TEE_B} was disabled at block 8.` };
const UNKNOWN_SIGNER = {
  check: "provenance",
  reason: "Posted by an account that is not one of the network's facilitator signers.",
};
const REPEATED = { check: "uniqueness", reason: "The inference was already proven by an earlier settlement." };
type LeafRowArgs = {
  settlementId: string;
  leafIndex: number;
  leaf: SettledLeaf;
  block: number;
  logIndex: number;
  time: bigint;
  leafHash?: Hex | null;
  proof?: Hex[];
  checks?: Partial<typeof pass>;
  reasons?: { check: string; reason: string }[];
  state: string;
};
const leafRow = ({ settlementId, leafIndex, leaf: l, block, logIndex, time, ...rest }: LeafRowArgs) => {
  const checks = { ...pass, ...rest.checks };
  const inferenceId = "teeId" in l ? inferenceIdOf(l) : null;
  return {
    id: `${settlementId}-${leafIndex}`,
    settlementId,
    leafIndex,
    encoding: l.encoding,
    inferenceId,
    teeId: "teeId" in l ? l.teeId : null,
    inputHash: l.inputHash,
    outputHash: l.outputHash,
    signature: "signature" in l ? l.signature : null,
    timestamp: "timestamp" in l ? l.timestamp : null,
    paymentId: l.encoding === "exact" ? l.paymentId : null,
    amount: l.encoding === "exact" ? l.amount : null,
    receiptId: l.encoding === "exact" && inferenceId ? receiptIdOf({ paymentId: l.paymentId, inferenceId }) : null,
    leafHash: rest.leafHash ?? null,
    proof: rest.proof ?? [],
    ...checks,
    reasons: rest.reasons ?? [],
    state: rest.state,
    blockNumber: BigInt(block),
    logIndex,
    settledAt: time,
  };
};
const [b1, b2] = [at1(leaf1), at1(leaf2)];
const leaves = [
  leafRow({
    settlementId: S1,
    leafIndex: b1.index,
    leaf: leaf1,
    block: 10,
    logIndex: 0,
    time: T0 + 100n,
    leafHash: b1.leafHash,
    proof: b1.proof,
    state: "proven",
  }),
  leafRow({
    settlementId: S1,
    leafIndex: b2.index,
    leaf: leaf2,
    block: 10,
    logIndex: 0,
    time: T0 + 100n,
    leafHash: b2.leafHash,
    proof: b2.proof,
    checks: { attestation: false },
    reasons: [DISABLED],
    state: "invalid_proof",
  }),
  leafRow({
    settlementId: S2,
    leafIndex: 0,
    leaf: leaf1,
    block: 20,
    logIndex: 1,
    time: T0 + 200n,
    checks: { uniqueness: false },
    reasons: [REPEATED],
    state: "duplicate",
  }),
  leafRow({
    settlementId: S3,
    leafIndex: 0,
    leaf: leaf3,
    block: 30,
    logIndex: 0,
    time: T0 + 300n,
    leafHash: tree3!.leaves[0]!.leafHash,
    proof: tree3!.leaves[0]!.proof,
    checks: { provenance: false },
    reasons: [UNKNOWN_SIGNER],
    state: "unofficial",
  }),
  leafRow({
    settlementId: S6,
    leafIndex: 0,
    leaf: leaf6,
    block: 6,
    logIndex: 0,
    time: T0 + 60n,
    checks: { attestation: false },
    reasons: [{ check: "attestation", reason: "This leaf era carries no enclave id or signature." }],
    state: "legacy",
  }),
  leafRow({
    settlementId: S7,
    leafIndex: 0,
    leaf: leaf4,
    block: 50,
    logIndex: 0,
    time: T0 + 500n,
    leafHash: tree7!.leaves[0]!.leafHash,
    proof: tree7!.leaves[0]!.proof,
    state: "proven",
  }),
];
const leafId = (settlementId: string, index: number) => `${settlementId}-${index}`;

const inferenceRow = (
  id: Hex,
  l: { teeId: Hex; inputHash: Hex; outputHash: Hex; timestamp: bigint },
  rest: Record<string, unknown>,
) => ({
  id,
  teeId: l.teeId,
  inputHash: l.inputHash,
  outputHash: l.outputHash,
  timestamp: l.timestamp,
  checkInclusion: true,
  checkAttestation: true,
  checkProvenance: true,
  checkUniqueness: true,
  reasons: [],
  linkKind: "none",
  paymentId: null,
  receiptId: null,
  settlementCount: 1,
  ...rest,
});
const inferences = [
  inferenceRow(I1, leaf1, {
    state: "proven",
    countingLeafId: leafId(S1, b1.index),
    leaves: [
      ["10", 0, b1.index, leafId(S1, b1.index)],
      ["20", 1, 0, leafId(S2, 0)],
    ],
    settlementCount: 2,
    settledAt: T0 + 100n,
  }),
  inferenceRow(I2, leaf2, {
    state: "invalid_proof",
    countingLeafId: leafId(S1, b2.index),
    leaves: [["10", 0, b2.index, leafId(S1, b2.index)]],
    checkAttestation: false,
    reasons: [DISABLED],
    settledAt: T0 + 100n,
  }),
  inferenceRow(I3, leaf3, {
    state: "unofficial",
    countingLeafId: leafId(S3, 0),
    leaves: [["30", 0, 0, leafId(S3, 0)]],
    checkProvenance: false,
    reasons: [UNKNOWN_SIGNER],
    settledAt: T0 + 300n,
  }),
  inferenceRow(I4, leaf4, {
    state: "proven",
    countingLeafId: leafId(S7, 0),
    leaves: [["50", 0, 0, leafId(S7, 0)]],
    linkKind: "exact",
    paymentId: PAYMENT_ID,
    receiptId: RECEIPT_ID,
    settledAt: T0 + 500n,
  }),
];

const tees = [
  {
    id: TEE_A,
    registry: REGISTRY,
    owner: OWNER,
    teeType: 0,
    publicKey: "0x3082",
    keyMatchesId: true,
    pcrHash: PCR,
    paymentAddress: PAYEE,
    endpoint: "http://127.0.0.1:9000",
    source: "calldata",
    attestationDocument: "0xd284",
    nitroResult: "failed",
    nitroReasons: ["its COSE_Sign1 signature does not verify with its certificate's key"],
    registeredAtBlock: 2n,
    registeredAt: T0 + 2n,
    registeredTx: tx(90),
    enabled: true,
    history: [{ kind: "registered", block: "2", logIndex: 0, tx: tx(90) }],
    lastHeartbeatAt: T0 + 450n,
  },
  {
    id: TEE_B,
    registry: REGISTRY,
    owner: OWNER,
    teeType: 0,
    publicKey: "0x3083",
    keyMatchesId: true,
    pcrHash: PCR,
    paymentAddress: PAYEE,
    endpoint: "http://127.0.0.1:9001",
    source: "getTEE",
    attestationDocument: null,
    nitroResult: "unverifiable",
    nitroReasons: ["the registration transaction did not carry the document"],
    registeredAtBlock: 3n,
    registeredAt: T0 + 3n,
    registeredTx: tx(91),
    enabled: false,
    history: [
      { kind: "registered", block: "3", logIndex: 0, tx: tx(91) },
      { kind: "disabled", block: "8", logIndex: 2, tx: tx(92) },
    ],
    lastHeartbeatAt: null,
  },
];

let seeded: SeededDatabase;
let app: ReturnType<typeof apiRoutes>;

/** One GraphQL operation through the API's routes; its data, or its errors as "CODE: message". */
async function ask<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}) {
  const response = await app.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: T;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (body.errors) throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("\n"));
  return body.data as T;
}
const errorOf = (query: string, variables: Record<string, unknown> = {}) =>
  ask(query, variables).then(
    () => "no error",
    (error: Error) => error.message,
  );

beforeAll(async () => {
  seeded = await startSeededDatabase();
  const t = seeded.tables;
  await seeded.insert(ponderCheckpoint, [
    { chainName: "og", chainId: 10740, latestCheckpoint: checkpointOf(T0 + 900n, 10740, 80n) },
    { chainName: "base", chainId: 8453, latestCheckpoint: checkpointOf(T0 + 1000n, 8453, 120n) },
  ]);
  await seeded.insert(t.settlement, settlements);
  await seeded.insert(t.leaf, leaves);
  await seeded.insert(t.inference, inferences);
  await seeded.insert(t.tee, tees);
  await seeded.insert(t.pcr, [
    {
      id: `${REGISTRY}-0-${PCR}`,
      registry: REGISTRY,
      pcrHash: PCR,
      teeType: 0,
      version: "v1.2",
      approved: true,
      approvedAtBlock: 1n,
      revokedAtBlock: null,
      teeIds: [TEE_A, TEE_B],
    },
  ]);
  await seeded.insert(
    t.blob,
    [
      [blobId(1), dump1],
      [blobId(3), dump3],
      [blobId(7), dump7],
      [blobId(8), "not json"],
    ].map(([id, content]) => ({
      id,
      content,
      size: new TextEncoder().encode(content).length,
      source: "aggregator",
    })),
  );
  await seeded.insert(t.pendingBlob, [{ id: "pending", settlements: [{ settlementId: S4, blobId: blobId(4) }] }]);
  await seeded.insert(t.payment, [
    {
      id: PAYMENT_ID,
      chainId: 8453,
      token: USDC,
      payer: PAYER,
      nonce: word(0x99),
      facilitator: PAYMENT_FACILITATOR,
      payee: PAYEE,
      amount: 2_000_000n,
      txHash: tx(80),
      blockNumber: 7n,
      logIndex: 0,
      paidAt: T0 + 5n,
      state: "proven",
      receiptCount: 1,
      verifiedReceiptCount: 1,
      provenAt: T0 + 500n,
    },
  ]);
  await seeded.insert(t.receipt, [
    {
      id: RECEIPT_ID,
      paymentId: PAYMENT_ID,
      inferenceId: I4,
      leafId: leafId(S7, 0),
      settlementId: S7,
      settlementCount: 1,
      state: "verified",
      checkPayment: true,
      checkInclusion: true,
      checkAttestation: true,
      checkProvenance: true,
      checkUniqueness: true,
      reasons: [],
      amount: 1_500_000n,
      paidAmount: 2_000_000n,
      payer: PAYER,
      payee: PAYEE,
      facilitator: PAYMENT_FACILITATOR,
      teeId: TEE_A,
      paidAt: T0 + 5n,
      settledAt: T0 + 500n,
      latencySeconds: 495n,
    },
  ]);
  app = apiRoutes({ db: seeded.db, tables: seeded.tables });
}, 120_000);

afterAll(() => seeded?.stop());

const SETTLEMENT_FIELDS = `state kind chainId txHash blockNumber logIndex timestamp relay abi signer official merkleRoot
  blobId blobStatus leafIndex proof encoding leafEncoding leafHash checks { inclusion attestation provenance uniqueness }
  reasons { check reason }`;
const INFERENCE_FIELDS = `id state teeId inputHash outputHash timestamp settledAt settlementCount
  checks { inclusion attestation provenance uniqueness } reasons { check reason }
  settlement { ${SETTLEMENT_FIELDS} } settlements { ${SETTLEMENT_FIELDS} }
  link { kind payment { id } receiptId receipt { id state } } tee { id enabled }`;
type InferenceAnswer = {
  id: string;
  state: string;
  checks: Record<string, boolean>;
  reasons: { check: string; reason: string }[];
  settlement: Record<string, unknown>;
  settlements: Record<string, unknown>[];
  link: { kind: string; payment: { id: string } | null; receiptId: string | null; receipt: unknown };
  tee: { id: string; enabled: boolean } | null;
};
const inferenceOf = async (id: string) =>
  (
    await ask<{ inference: InferenceAnswer | null }>(`query($id: ID!) { inference(id: $id) { ${INFERENCE_FIELDS} } }`, {
      id,
    })
  ).inference;

describe("inference", () => {
  test("default: a proven inference settled twice — the batch that counts, then the individual repeat", async () => {
    const i = await inferenceOf(I1.toUpperCase().replace("0X", "0x"));
    const batch = {
      state: "proven",
      kind: "batch",
      chainId: 10740,
      txHash: tx(1),
      blockNumber: 10,
      logIndex: 0,
      timestamp: iso(T0 + 100n),
      relay: RELAY_V3,
      abi: "v3",
      signer: FACILITATOR,
      official: true,
      merkleRoot: tree1!.root,
      blobId: blobId(1),
      blobStatus: "available",
      leafIndex: b1.index,
      proof: b1.proof,
      encoding: "e3",
      leafEncoding: ["bytes32", "bytes32", "bytes32", "bytes", "uint256"],
      leafHash: b1.leafHash,
      checks: pass,
      reasons: [],
    };
    expect(i).toEqual({
      id: I1,
      state: "proven",
      teeId: TEE_A,
      inputHash: fields.inputHash,
      outputHash: fields.outputHash,
      timestamp: iso(T0 + 10n),
      settledAt: iso(T0 + 100n),
      settlementCount: 2,
      checks: pass,
      reasons: [],
      settlement: batch,
      settlements: [
        batch,
        {
          ...batch,
          state: "duplicate",
          kind: "individual",
          txHash: tx(2),
          blockNumber: 20,
          logIndex: 1,
          timestamp: iso(T0 + 200n),
          merkleRoot: null,
          blobId: blobId(2),
          blobStatus: null,
          leafIndex: 0,
          proof: [],
          leafHash: null,
          checks: { ...pass, uniqueness: false },
          reasons: [REPEATED],
        },
      ],
      link: { kind: "none", payment: null, receiptId: null, receipt: null },
      tee: { id: TEE_A, enabled: true },
    });
  });

  test("behavior: invalid_proof and unofficial inferences say which check failed and why", async () => {
    const invalid = (await inferenceOf(I2))!;
    expect([invalid.state, invalid.checks, invalid.reasons, invalid.tee]).toEqual([
      "invalid_proof",
      { ...pass, attestation: false },
      [DISABLED],
      { id: TEE_B, enabled: false },
    ]);
    const unofficial = (await inferenceOf(I3))!;
    expect([unofficial.state, unofficial.checks, unofficial.settlement.official, unofficial.settlement.signer]).toEqual(
      ["unofficial", { ...pass, provenance: false }, false, UNOFFICIAL],
    );
  });

  test("behavior: an exact link names its payment and receipt; the exact encoding's types", async () => {
    const i = (await inferenceOf(I4))!;
    expect(i.link).toEqual({
      kind: "exact",
      payment: { id: PAYMENT_ID },
      receiptId: RECEIPT_ID,
      receipt: { id: RECEIPT_ID, state: "verified" },
    });
    expect(i.settlement.leafEncoding).toEqual([
      "bytes32",
      "bytes32",
      "bytes32",
      "bytes",
      "uint256",
      "bytes32",
      "uint256",
    ]);
    const { receipt } = await ask<{ receipt: { inference: { id: string }; checks: Record<string, boolean> } }>(
      `{ receipt(id: "${RECEIPT_ID}") { inference { id } checks { payment inclusion attestation provenance uniqueness } } }`,
    );
    expect(receipt).toEqual({ inference: { id: I4 }, checks: { ...pass, payment: true } });
    const { payment } = await ask<{ payment: unknown }>(
      `{ payment(id: "${PAYMENT_ID}") { inferences { kind inference { id } } } }`,
    );
    expect(payment).toEqual({ inferences: [{ kind: "exact", inference: { id: I4 } }] });
  });

  test("behavior: unknown is null; a malformed id is BAD_INFERENCE_ID", async () => {
    expect(await inferenceOf(word(0xdead))).toBeNull();
    expect(await errorOf(`{ inference(id: "0x12") { id } }`)).toMatchInlineSnapshot(
      `"BAD_INFERENCE_ID: Inference ID "0x12" is not a 32-byte hex string."`,
    );
  });

  test("args: inferences filtered by state, official, link kind, TEE and time, and paged", async () => {
    const ids = async (where: Record<string, unknown>, direction = "DESC") =>
      (
        await ask<{ inferences: { totalCount: number; nodes: { id: string }[] } }>(
          `query($w: InferenceFilter, $d: OrderDirection) { inferences(where: $w, direction: $d, first: 10) {
            totalCount nodes { id } } }`,
          { w: where, d: direction },
        )
      ).inferences.nodes.map((n) => n.id);
    expect(await ids({})).toEqual([I4, I3, ...[I1, I2].sort().reverse()]);
    expect(await ids({}, "ASC")).toEqual([...[I1, I2].sort(), I3, I4]);
    expect(await ids({ states: ["proven"] })).toEqual([I4, I1]);
    expect(await ids({ official: false })).toEqual([I3]);
    expect((await ids({ official: true })).sort()).toEqual([I1, I2, I4].sort());
    expect(await ids({ linkKind: "exact" })).toEqual([I4]);
    expect(await ids({ paymentId: PAYMENT_ID })).toEqual([I4]);
    expect(await ids({ teeId: TEE_B })).toEqual([I2]);
    expect(await ids({ from: iso(T0 + 200n), to: iso(T0 + 500n) })).toEqual([I3]);
    expect(await ids({ states: [] })).toEqual([]);

    const page = async (after: string | null) =>
      (
        await ask<{
          inferences: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
        }>(
          `query($a: String) { inferences(first: 3, after: $a) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
          {
            a: after,
          },
        )
      ).inferences;
    const first = await page(null);
    const second = await page(first.pageInfo.endCursor);
    expect([first.pageInfo.hasNextPage, second.pageInfo.hasNextPage]).toEqual([true, false]);
    expect([...first.nodes, ...second.nodes].map((n) => n.id)).toEqual(await ids({}));
    expect(await errorOf(`{ inferences(where: { teeId: "0x1" }) { nodes { id } } }`)).toMatchInlineSnapshot(
      `"BAD_TEE_ID: TEE ID "0x1" is not a 32-byte hex string."`,
    );
  });
});

describe("settlement", () => {
  const FIELDS = `id kind relay abi signer official facilitator merkleRoot computedRoot rootMatches batchSize blobId
    blobStatus blobReason decodeError encoding leafEncoding ethAddress leafCount
    leaves { index encoding state provenance inferenceId receiptId inputHash hash inference { id } }
    inferences { id state }`;

  test("default: a pending batch is visible before any of its inferences", async () => {
    const { settlement } = await ask<{ settlement: Record<string, unknown> }>(
      `query($tx: String) { settlement(txHash: $tx) { ${FIELDS} } }`,
      { tx: tx(4) },
    );
    expect(settlement).toEqual({
      id: S4,
      kind: "batch",
      relay: RELAY_V3,
      abi: "v3",
      signer: FACILITATOR,
      official: true,
      facilitator: FACILITATOR,
      merkleRoot: word(0x44),
      computedRoot: null,
      rootMatches: null,
      batchSize: 5,
      blobId: blobId(4),
      blobStatus: "pending",
      blobReason: "The Walrus aggregator does not serve the blob yet (HTTP 404).",
      decodeError: "The Walrus aggregator does not serve the blob yet (HTTP 404).",
      encoding: null,
      leafEncoding: null,
      ethAddress: null,
      leafCount: 0,
      leaves: [],
      inferences: [],
    });
  });

  test("default: a batch's leaves and inferences, found by tx hash, Merkle root or blob id alike", async () => {
    type Settled = { settlement: { leaves: unknown[]; inferences: unknown[]; rootMatches: boolean } };
    const query = `query($tx: String, $root: String, $blob: String) {
      settlement(txHash: $tx, merkleRoot: $root, blobId: $blob) { ${FIELDS} } }`;
    const [byTx, byRoot, byBlob] = (await Promise.all(
      [{ tx: tx(1) }, { root: tree1!.root }, { blob: blobId(1) }].map((v) =>
        ask<{ settlement: { leaves: unknown[]; inferences: unknown[]; rootMatches: boolean } }>(query, v),
      ),
    )) as [Settled, Settled, Settled];
    expect(byRoot).toEqual(byTx);
    expect(byBlob).toEqual(byTx);
    expect(byTx.settlement.rootMatches).toBe(true);
    expect(byTx.settlement.leaves).toEqual(
      [
        { index: b1.index, state: "proven", inferenceId: I1, inputHash: leaf1.inputHash, hash: b1.leafHash },
        { index: b2.index, state: "invalid_proof", inferenceId: I2, inputHash: leaf2.inputHash, hash: b2.leafHash },
      ]
        .sort((x, y) => x.index - y.index)
        .map((l) => ({ ...l, encoding: "e3", provenance: true, receiptId: null, inference: { id: l.inferenceId } })),
    );
    expect(byTx.settlement.inferences).toEqual(
      [
        { id: I1, state: "proven" },
        { id: I2, state: "invalid_proof" },
      ].sort((x, y) => (x.id === I1 ? b1.index : b2.index) - (y.id === I1 ? b1.index : b2.index)),
    );
  });

  test("behavior: legacy v1 events: a batch without blob, an individual E1 leaf without inference", async () => {
    const { v1 } = await ask<{ v1: { nodes: Record<string, unknown>[] } }>(
      `{ v1: settlements(where: { abi: v1 }, direction: ASC) { nodes { id kind blobId blobStatus encoding
        leaves { encoding state inferenceId teeId signature timestamp hash leafEncoding inference { id } } } } }`,
    );
    expect(v1.nodes).toEqual([
      { id: S5, kind: "batch", blobId: null, blobStatus: "unavailable", encoding: null, leaves: [] },
      {
        id: S6,
        kind: "individual",
        blobId: null,
        blobStatus: null,
        encoding: "e1",
        leaves: [
          {
            encoding: "e1",
            state: "legacy",
            inferenceId: null,
            teeId: null,
            signature: null,
            timestamp: null,
            hash: null,
            leafEncoding: ["bytes32", "bytes32"],
            inference: null,
          },
        ],
      },
    ]);
  });

  test("behavior: a page of settlements with their receipts is five statements, whether or not each has receipts", async () => {
    const response = await app.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-sql-count": "1" },
      body: JSON.stringify({
        query: `{ settlements(first: 50) { nodes { id receipts(first: 2) { totalCount nodes { id settlement { txHash } } } } } }`,
      }),
    });
    const body = (await response.json()) as {
      data: { settlements: { nodes: { id: string; receipts: { totalCount: number } }[] } };
      extensions: { sqlQueries: number };
    };
    expect(body.data.settlements.nodes.map((n) => [n.id, n.receipts.totalCount])).toEqual(
      [S7, S4, S3, S2, S1, S6, S5].map((id) => [id, id === S7 ? 1 : 0]),
    );
    // The settlements, their receipt pages, the receipts, their counts, and the receipts' leaves with settlements.
    expect(body.extensions.sqlQueries).toBe(5);
  });

  test("args: settlements filtered by blob status, official, signer and relay", async () => {
    const ids = async (where: Record<string, unknown>) =>
      (
        await ask<{ settlements: { totalCount: number; nodes: { id: string }[] } }>(
          `query($w: SettlementFilter) { settlements(where: $w, first: 100) { totalCount nodes { id } } }`,
          { w: where },
        )
      ).settlements.nodes.map((n) => n.id);
    expect(await ids({ blobStatuses: ["pending"] })).toEqual([S4]);
    expect(await ids({ blobStatuses: ["available", "unavailable"] })).toEqual([S7, S3, S1, S5]);
    expect(await ids({ official: false })).toEqual([S3]);
    expect(await ids({ signer: UNOFFICIAL })).toEqual([S3]);
    expect(await ids({ facilitator: UNOFFICIAL })).toEqual([S3]);
    expect(await ids({ relay: RELAY_V1 })).toEqual([S6, S5]);
    expect(await ids({ rootMatches: true })).toEqual([S7, S3, S1]);
    expect(await errorOf(`{ settlement(blobId: "abc") { id } }`)).toMatchInlineSnapshot(
      `"BAD_BLOB_ID: Blob ID "abc" is not a Walrus blob id (43 characters of base64url encoding 32 bytes)."`,
    );
    expect(await errorOf(`{ settlement(txHash: "${tx(1)}", blobId: "${blobId(1)}") { id } }`)).toMatchInlineSnapshot(
      `"BAD_ARGUMENTS: Give settlement exactly one of txHash, merkleRoot and blobId."`,
    );
  });
});

describe("_meta and tees", () => {
  test("default: chain heads from Ponder's checkpoints, chain time, and each relay's pending blobs", async () => {
    const { _meta } = await ask<{ _meta: Record<string, unknown> }>(
      `{ _meta { now chains { chainId name blockNumber timestamp lagSeconds }
        relays { address abi settlements unofficialSettlements pendingBlobs } } }`,
    );
    expect(_meta).toEqual({
      now: iso(T0 + 1000n),
      chains: [
        { chainId: 8453, name: "base", blockNumber: 120, timestamp: iso(T0 + 1000n), lagSeconds: 0 },
        { chainId: 10740, name: "og", blockNumber: 80, timestamp: iso(T0 + 900n), lagSeconds: 100 },
      ],
      relays: [
        { address: RELAY_V1, abi: "v1", settlements: 2, unofficialSettlements: 0, pendingBlobs: 0 },
        { address: RELAY_V3, abi: "v3", settlements: 5, unofficialSettlements: 1, pendingBlobs: 1 },
      ],
    });
  });

  test("default: an enclave's registration, status history, PCR and totals; revoked is derived", async () => {
    const { tees: answer } = await ask<{ tees: Record<string, unknown>[] }>(
      `{ tees { id registry owner teeType pcrHash paymentAddress endpoint source attestationDocument enclaveAttestation { result reasons } enabled
        history { kind blockNumber logIndex txHash } lastHeartbeatAt revoked revokedAt revokedAtBlock revokedTx
        pcr { pcrHash teeType version approved approvedAtBlock revokedAtBlock registry }
        totals { receipts verifiedReceipts inferences provenInferences invalidProofInferences unofficialInferences
          lastSettledAt } } }`,
    );
    const pcr = {
      pcrHash: PCR,
      teeType: 0,
      version: "v1.2",
      approved: true,
      approvedAtBlock: 1,
      revokedAtBlock: null,
      registry: REGISTRY,
    };
    expect(answer).toEqual([
      {
        id: TEE_A,
        registry: REGISTRY,
        owner: OWNER,
        teeType: 0,
        pcrHash: PCR,
        paymentAddress: PAYEE,
        endpoint: "http://127.0.0.1:9000",
        source: "calldata",
        attestationDocument: "0xd284",
        enclaveAttestation: {
          result: "failed",
          reasons: ["its COSE_Sign1 signature does not verify with its certificate's key"],
        },
        enabled: true,
        history: [{ kind: "registered", blockNumber: 2, logIndex: 0, txHash: tx(90) }],
        lastHeartbeatAt: iso(T0 + 450n),
        revoked: false,
        revokedAt: null,
        revokedAtBlock: null,
        revokedTx: null,
        pcr,
        totals: {
          receipts: 1,
          verifiedReceipts: 1,
          inferences: 3,
          provenInferences: 2,
          invalidProofInferences: 0,
          unofficialInferences: 1,
          lastSettledAt: iso(T0 + 500n),
        },
      },
      {
        id: TEE_B,
        registry: REGISTRY,
        owner: OWNER,
        teeType: 0,
        pcrHash: PCR,
        paymentAddress: PAYEE,
        endpoint: "http://127.0.0.1:9001",
        source: "getTEE",
        attestationDocument: null,
        enclaveAttestation: {
          result: "unverifiable",
          reasons: ["the registration transaction did not carry the document"],
        },
        enabled: false,
        history: [
          { kind: "registered", blockNumber: 3, logIndex: 0, txHash: tx(91) },
          { kind: "disabled", blockNumber: 8, logIndex: 2, txHash: tx(92) },
        ],
        lastHeartbeatAt: null,
        revoked: true,
        revokedAt: null,
        revokedAtBlock: 8,
        revokedTx: tx(92),
        pcr,
        totals: {
          receipts: 0,
          verifiedReceipts: 0,
          inferences: 1,
          provenInferences: 0,
          invalidProofInferences: 1,
          unofficialInferences: 0,
          lastSettledAt: iso(T0 + 100n),
        },
      },
    ]);
    expect((await ask<{ pcrs: unknown[] }>(`{ pcrs { pcrHash version } }`)).pcrs).toEqual([
      { pcrHash: PCR, version: "v1.2" },
    ]);
  });
});

describe("search", () => {
  type Hit = { kind: string; key: string; label: string; inference: { id: string } | null; count: number | null };
  const search = async (query: string) =>
    (
      await ask<{ search: (Hit & Record<string, unknown>)[] }>(
        `query($q: String!) { search(query: $q) { kind key label count address inference { id }
          settlement { id } leaves { id } receipts { id } } }`,
        { q: query },
      )
    ).search;

  test("default: a streamed response body pasted whole finds its inference", async () => {
    const hits = await search(streamed);
    expect(hits.map((h) => [h.kind, h.key, h.inference])).toEqual([["INFERENCE", I1, { id: I1 }]]);
    expect(hits[0]!.label).toBe(`Inference ${I1.slice(0, 6)}…${I1.slice(-4)} (proven)`);
  });

  test("behavior: a JSON body, and an inference id, find the inference too", async () => {
    const body = JSON.stringify({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "x" }, finish_reason: "stop" }],
      tee_id: leaf3.teeId,
      tee_request_hash: leaf3.inputHash.slice(2),
      tee_output_hash: leaf3.outputHash.slice(2),
      tee_timestamp: Number(leaf3.timestamp),
      tee_signature: Buffer.from(SIGNATURE.slice(2), "hex").toString("base64"),
    });
    expect((await search(body)).map((h) => [h.kind, h.inference])).toEqual([["INFERENCE", { id: I3 }]]);
    expect((await search(I4)).map((h) => [h.kind, h.inference, h.receipts])).toEqual([
      ["INFERENCE", { id: I4 }, [{ id: RECEIPT_ID }]],
      ["INFERENCE_ID", null, [{ id: RECEIPT_ID }]],
    ]);
  });

  test("behavior: input and output hashes find settled leaves, legacy ones included", async () => {
    expect((await search(LEGACY_INPUT)).map((h) => [h.kind, h.count, h.leaves])).toEqual([
      ["INPUT_HASH", 1, [{ id: leafId(S6, 0) }]],
    ]);
    expect((await search(leaf1.outputHash)).map((h) => [h.kind, h.count, h.leaves])).toEqual([
      ["OUTPUT_HASH", 2, [{ id: leafId(S1, b1.index) }, { id: leafId(S2, 0) }]],
    ]);
  });

  test("behavior: a blob id finds its settlement; a relay and a signer are addresses", async () => {
    expect((await search(blobId(4))).map((h) => [h.kind, h.key, h.settlement])).toEqual([
      ["BLOB_ID", blobId(4), { id: S4 }],
    ]);
    expect((await search(RELAY_V3)).map((h) => [h.kind, h.count])).toEqual([["RELAY", 5]]);
    expect((await search(UNOFFICIAL)).map((h) => [h.kind, h.count])).toEqual([["FACILITATOR", 1]]);
  });

  test("args: neither a key nor a response body, and a body without proof fields", async () => {
    expect(await errorOf(`{ search(query: "hello") { kind } }`)).toMatchInlineSnapshot(
      `"BAD_SEARCH_QUERY: Search query "hello" is not a 32-byte hex string (receipt, payment, inference, transaction, input or output hash, Merkle root or TEE), a 20-byte address, a Walrus blob id, nor a TEE gateway response body."`,
    );
    expect(
      await errorOf(`query($q: String!) { search(query: $q) { kind } }`, { q: '{"choices": [], "tee_id": "0x12"}' }),
    ).toMatchInlineSnapshot(
      `"BAD_SEARCH_QUERY: Search query "{\\"choices\\": [], \\"tee_id\\": \\"0x12\\"}" is not a TEE gateway response with proof fields: Response field "tee_id" is "0x12", expected 0x followed by 64 hex digits."`,
    );
  });
});

describe("inferenceStats", () => {
  test("default: inferences by state and link kind, settlements by blob status and provenance, per bucket", async () => {
    const { inferenceStats } = await ask<{ inferenceStats: Record<string, unknown>[] }>(
      `{ inferenceStats(from: "${iso(T0)}", to: "${iso(T0 + 600n)}", interval: HOUR) { start end inferences
        byState { proven invalidProof unofficial } byLinkKind { exact session none } settlements batchSettlements
        individualSettlements unofficialSettlements blobs { available pending mismatched expired unavailable } } }`,
    );
    expect(inferenceStats).toEqual([
      {
        start: iso(T0),
        end: iso(T0 + 3600n),
        inferences: 4,
        byState: { proven: 2, invalidProof: 1, unofficial: 1 },
        byLinkKind: { exact: 1, session: 0, none: 3 },
        settlements: 7,
        batchSettlements: 5,
        individualSettlements: 2,
        unofficialSettlements: 1,
        blobs: { available: 3, pending: 1, mismatched: 0, expired: 0, unavailable: 1 },
      },
    ]);
    const { split } = await ask<{ split: { inferences: number; settlements: number }[] }>(
      `{ split: inferenceStats(from: "${iso(T0 + 3600n - 7200n)}", to: "${iso(T0 + 7200n)}", interval: HOUR) {
        inferences settlements } }`,
    );
    expect(split).toEqual([
      { inferences: 0, settlements: 0 },
      { inferences: 4, settlements: 7 },
      { inferences: 0, settlements: 0 },
    ]);
    expect(
      await errorOf(`{ inferenceStats(from: "${iso(T0)}", to: "${iso(T0)}", interval: DAY) { inferences } }`),
    ).toMatchInlineSnapshot(
      `"BAD_TIME_RANGE: The range from 2026-01-01T00:00:00.000Z to 2026-01-01T00:00:00.000Z is empty; "to" must be after "from"."`,
    );
  });

  test("default: receipt stats count unofficial receipts", async () => {
    const { stats } = await ask<{ stats: { receipts: number; byState: Record<string, number> }[] }>(
      `{ stats(from: "${iso(T0)}", to: "${iso(T0 + 3600n)}", interval: HOUR) { receipts byState { verified unofficial } } }`,
    );
    expect(stats).toEqual([{ receipts: 1, byState: { verified: 1, unofficial: 0 } }]);
  });
});

describe("/blob/:blobId", () => {
  test("default: the archived bytes, as JSON, immutable; they rebuild the settlement's root", async () => {
    const response = await app.request(`/blob/${blobId(1)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(new TextDecoder().decode(bytes)).toBe(dump1);
    expect(parseTreeDump(bytes).root).toBe(tree1!.root);
  });

  test("behavior: a blob that is not JSON is served as bytes", async () => {
    const response = await app.request(`/blob/${blobId(8)}`);
    expect([response.status, response.headers.get("content-type"), await response.text()]).toEqual([
      200,
      "application/octet-stream",
      "not json",
    ]);
  });

  test("args: not archived, malformed, too large", async () => {
    const answer = async (path: string, routes = app) => {
      const response = await routes.request(path);
      return `${response.status} ${await response.text()}`;
    };
    expect(await answer(`/blob/${blobId(4)}`)).toBe(
      `404 {"error":{"code":"BLOB_NOT_FOUND","message":"Blob \\"${blobId(4)}\\" is not archived here: no indexed settlement's blob with this id has been read."}}`,
    );
    expect(await answer("/blob/not-a-blob-id")).toMatchInlineSnapshot(
      `"400 {"error":{"code":"BAD_BLOB_ID","message":"Blob ID \\"not-a-blob-id\\" is not a Walrus blob id (43 characters of base64url encoding 32 bytes)."}}"`,
    );
    const small = apiRoutes({ db: seeded.db, tables: seeded.tables, limits: { maxBlobBytes: 100 } });
    expect(await answer(`/blob/${blobId(1)}`, small)).toBe(
      `413 {"error":{"code":"BLOB_TOO_LARGE","message":"Blob \\"${blobId(1)}\\" is ${dump1.length} bytes, more than the 100 this server serves."}}`,
    );
  });
});
