import { parseTreeDump } from "@settlescan/abis";
import { beforeAll, describe, expect, inject, test } from "vitest";
import { data, errorsOf } from "./client";
import type { Host } from "./environment";

// The real protocol's side of the shared scenario: every inference the plan settled (or did not), every relay event,
// and the archived blobs, as both hosts answer them.
const { hosts, manifest } = inject("api");

type Checks = { inclusion: boolean; attestation: boolean; provenance: boolean; uniqueness: boolean };
type Inference = {
  id: string;
  state: string;
  teeId: string;
  inputHash: string;
  outputHash: string;
  timestamp: string;
  settlementCount: number;
  checks: Checks;
  settlement: { official: boolean; state: string; kind: string; leaf: { signature: string | null } };
  settlements: { state: string; blockNumber: number; logIndex: number; leafIndex: number }[];
};
type Settlement = {
  id: string;
  kind: string;
  abi: string;
  official: boolean;
  signer: string;
  txHash: string;
  merkleRoot: string | null;
  blobId: string | null;
  blobStatus: string | null;
  leafCount: number;
  inferences: { id: string }[];
};

const INFERENCE_FIELDS = `id state teeId inputHash outputHash timestamp settlementCount
  checks { inclusion attestation provenance uniqueness }
  settlement { official state kind leaf { signature } }
  settlements { state blockNumber logIndex leafIndex }`;
const SETTLEMENT_FIELDS = `id kind abi official signer txHash merkleRoot blobId blobStatus leafCount inferences { id }`;

/** Every node of a connection, page after page. */
async function all<T>(host: Host, field: string, fields: string): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Record<string, { nodes: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> =
      await data(
        host,
        `query($after: String) { ${field}(first: 1000, after: $after) {
          nodes { ${fields} } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    nodes.push(...page[field]!.nodes);
    if (!page[field]!.pageInfo.hasNextPage) return nodes;
    after = page[field]!.pageInfo.endCursor;
  }
}

const indexed = manifest.inferences.filter((i) => i.state !== "not_indexed");

describe.each(hosts)("$name", (host: Host) => {
  let inferences: Map<string, Inference>;
  let settlements: Settlement[];
  beforeAll(async () => {
    inferences = new Map(
      (await all<Inference>(host, "inferences", INFERENCE_FIELDS)).map((i) => [i.id, i] as [string, Inference]),
    );
    settlements = await all<Settlement>(host, "settlements", SETTLEMENT_FIELDS);
  });

  test("default: every manifest inference's state, checks and settlement count", () => {
    expect(inferences.size).toBe(indexed.length);
    for (const expected of indexed) {
      const got = inferences.get(expected.inferenceId.toLowerCase());
      expect(got, expected.inferenceId).toBeDefined();
      expect(
        { state: got!.state, checks: got!.checks, settlementCount: got!.settlementCount },
        `${expected.inferenceId} (${expected.fault})`,
      ).toEqual({ state: expected.state, checks: expected.checks, settlementCount: expected.settlementCount });
    }
    expect(new Set([...inferences.values()].map((i) => i.state))).toEqual(
      new Set(["proven", "invalid_proof", "unofficial"]),
    );
  });

  test("default: the counting settlement is the inference's state; its settlements are in chain order", () => {
    for (const inference of inferences.values()) {
      const order = inference.settlements.map((s) => [s.blockNumber, s.logIndex, s.leafIndex]);
      const sorted = [...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!);
      expect(order, inference.id).toEqual(sorted);
      expect(inference.settlements.length).toBe(inference.settlementCount);
      if (inference.state === "unofficial") expect(inference.settlement.official).toBe(false);
      else expect(inference.settlement.official, inference.id).toBe(true);
      expect(inference.settlement.state === "proven", inference.id).toBe(inference.state === "proven");
    }
    // A re-settled proven inference: its later official settlement is a duplicate; unofficial-then-official: proven.
    const duplicates = indexed.filter((i) => i.population === "plain" && i.fault === "duplicate");
    expect(duplicates.length).toBeGreaterThan(0);
    for (const d of duplicates) {
      const got = inferences.get(d.inferenceId.toLowerCase())!;
      expect(got.settlements.map((s) => s.state)).toContain("duplicate");
    }
    for (const u of indexed.filter((i) => i.fault === "unofficial_then_official")) {
      const got = inferences.get(u.inferenceId.toLowerCase())!;
      expect([got.state, got.settlements.map((s) => s.state)]).toEqual(["proven", ["unofficial", "proven"]]);
    }
  });

  test("default: inference(id) for one inference of each state; null for what is not indexed", async () => {
    for (const state of ["proven", "invalid_proof", "unofficial"]) {
      const expected = indexed.find((i) => i.state === state)!;
      const { inference } = await data<{ inference: Inference }>(
        host,
        `query($id: ID!) { inference(id: $id) { ${INFERENCE_FIELDS} } }`,
        { id: expected.inferenceId },
      );
      expect(inference).toEqual(inferences.get(expected.inferenceId.toLowerCase()));
    }
    const missing = manifest.inferences.filter((i) => i.state === "not_indexed");
    expect(new Set(missing.map((i) => i.fault))).toEqual(new Set(["pending", "expired", "private", "never_settled"]));
    for (const fault of ["pending", "expired", "private", "never_settled"]) {
      const { inference } = await data<{ inference: unknown }>(host, `query($id: ID!) { inference(id: $id) { id } }`, {
        id: missing.find((i) => i.fault === fault)!.inferenceId,
      });
      expect(inference, fault).toBeNull();
    }
  });

  test("default: every relay event, with its kind, ABI, provenance, blob status and leaf count", () => {
    const key = (s: {
      kind: string;
      abi: string;
      official: boolean;
      blobId: string | null;
      blobStatus: string | null;
      leafCount: number;
    }) => JSON.stringify([s.kind, s.abi, s.official, s.blobId, s.blobStatus, s.leafCount]);
    expect(settlements.map(key).sort()).toEqual(manifest.settlements.map(key).sort());
    for (const status of ["available", "pending", "mismatched", "expired", "unavailable"])
      expect(
        settlements.some((s) => s.blobStatus === status),
        status,
      ).toBe(true);
  });

  test("behavior: a pending batch is listed, with no leaves, while its inferences are null", async () => {
    const { settlements: pending } = await data<{ settlements: { totalCount: number; nodes: Settlement[] } }>(
      host,
      `{ settlements(where: { blobStatuses: [pending] }, first: 100) { totalCount nodes { ${SETTLEMENT_FIELDS} } } }`,
    );
    expect(pending.totalCount).toBe(manifest.settlements.filter((s) => s.blobStatus === "pending").length);
    expect(pending.nodes.every((s) => s.leafCount === 0 && s.inferences.length === 0)).toBe(true);
    const { _meta } = await data<{ _meta: { relays: { pendingBlobs: number }[] } }>(
      host,
      `{ _meta { relays { address abi pendingBlobs } } }`,
    );
    expect(_meta.relays.reduce((n, r) => n + r.pendingBlobs, 0)).toBe(pending.totalCount);
    const withheld = manifest.inferences.find((i) => i.fault === "pending")!;
    expect(await data(host, `{ inference(id: "${withheld.inferenceId}") { id } }`)).toEqual({ inference: null });
  });

  test("default: /blob/{id} serves each read batch's blob; it rebuilds the event's root unless mismatched", async () => {
    const batches = settlements.filter((s) => s.kind === "batch" && s.blobId !== null);
    const checked = { available: 0, mismatched: 0 };
    for (const s of batches) {
      const response = await fetch(`${host.url}/blob/${s.blobId}`);
      if (s.blobStatus === "pending" || s.blobStatus === "expired") {
        expect(response.status, `${s.id} ${s.blobStatus}`).toBe(404);
        continue;
      }
      expect(response.status, s.id).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json");
      expect(response.headers.get("cache-control")).toContain("immutable");
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (s.blobStatus === "available") {
        expect(parseTreeDump(bytes).root, s.id).toBe(s.merkleRoot);
        checked.available++;
      } else if (s.blobStatus === "mismatched") {
        // Either it parses to another root, or it is no tree dump at all.
        const root = (() => {
          try {
            return parseTreeDump(bytes).root;
          } catch {
            return null;
          }
        })();
        expect(root, s.id).not.toBe(s.merkleRoot);
        checked.mismatched++;
      }
    }
    expect(checked.available).toBeGreaterThan(0);
    expect(checked.mismatched).toBeGreaterThan(0);
  });

  test("default: search finds an inference from a response body pasted whole", async () => {
    const proven = [...inferences.values()].find((i) => i.state === "proven" && i.settlement.leaf.signature)!;
    const body = JSON.stringify({
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "…" }, finish_reason: "stop" }],
      tee_id: proven.teeId,
      tee_request_hash: proven.inputHash.slice(2),
      tee_output_hash: proven.outputHash.slice(2),
      tee_timestamp: Date.parse(proven.timestamp) / 1000,
      tee_signature: Buffer.from(proven.settlement.leaf.signature!.slice(2), "hex").toString("base64"),
    });
    const { search } = await data<{ search: { kind: string; key: string; inference: { id: string } }[] }>(
      host,
      `query($q: String!) { search(query: $q) { kind key inference { id } } }`,
      { q: body },
    );
    expect(search).toEqual([{ kind: "INFERENCE", key: proven.id, inference: { id: proven.id } }]);
  });

  test("default: legacy leaves (no inference id) are found by their input or output hash", async () => {
    const readable = manifest.legacy.filter((l) => l.kind !== "batch");
    expect(readable.length).toBeGreaterThan(0);
    for (const legacy of readable) {
      const { search } = await data<{
        search: { kind: string; leaves: { encoding: string; state: string; inferenceId: string | null }[] }[];
      }>(host, `query($q: String!) { search(query: $q) { kind leaves { encoding state inferenceId } } }`, {
        q: legacy.inputHash,
      });
      expect(search.map((h) => h.kind)).toEqual(["INPUT_HASH"]);
      expect(search[0]!.leaves).toContainEqual({ encoding: "e1", state: "legacy", inferenceId: null });
    }
  });

  test("default: inferenceStats counts every inference by state, and the batches by blob status", async () => {
    const start = manifest.chainTime.start - 86_400;
    const end = manifest.chainTime.end + 86_400;
    const { inferenceStats } = await data<{
      inferenceStats: {
        inferences: number;
        byState: Record<string, number>;
        settlements: number;
        unofficialSettlements: number;
        blobs: Record<string, number>;
      }[];
    }>(
      host,
      `query($from: DateTime!, $to: DateTime!) { inferenceStats(from: $from, to: $to, interval: DAY) {
        inferences byState { proven invalidProof unofficial } settlements unofficialSettlements
        blobs { available pending mismatched expired unavailable } } }`,
      { from: new Date(start * 1000).toISOString(), to: new Date(end * 1000).toISOString() },
    );
    const sum = (f: (b: (typeof inferenceStats)[number]) => number) => inferenceStats.reduce((n, b) => n + f(b), 0);
    expect(sum((b) => b.inferences)).toBe(indexed.length);
    expect(sum((b) => b.byState.proven!)).toBe(indexed.filter((i) => i.state === "proven").length);
    expect(sum((b) => b.byState.invalidProof!)).toBe(indexed.filter((i) => i.state === "invalid_proof").length);
    expect(sum((b) => b.byState.unofficial!)).toBe(indexed.filter((i) => i.state === "unofficial").length);
    expect(sum((b) => b.settlements)).toBe(manifest.settlements.length);
    expect(sum((b) => b.unofficialSettlements)).toBe(manifest.settlements.filter((s) => !s.official).length);
    for (const status of ["available", "pending", "mismatched", "expired", "unavailable"])
      expect(
        sum((b) => b.blobs[status]!),
        status,
      ).toBe(manifest.settlements.filter((s) => s.blobStatus === status).length);
  });
});

test("args: a malformed inference id, blob id or settlement lookup says what was expected", async () => {
  expect(await errorsOf(`{ inference(id: "0x12") { id } }`)).toMatchInlineSnapshot(`
    [
      "BAD_INFERENCE_ID: Inference ID "0x12" is not a 32-byte hex string.",
    ]
  `);
  expect(await errorsOf(`{ settlement(blobId: "nope") { id } }`)).toMatchInlineSnapshot(`
    [
      "BAD_BLOB_ID: Blob ID "nope" is not a Walrus blob id (43 characters of base64url encoding 32 bytes).",
    ]
  `);
  const answers = await Promise.all(
    hosts.map(async (host) => {
      const response = await fetch(`${host.url}/blob/nope`);
      return `${response.status} ${await response.text()}`;
    }),
  );
  expect(answers[1]).toBe(answers[0]);
  expect(answers[0]).toMatchInlineSnapshot(
    `"400 {"error":{"code":"BAD_BLOB_ID","message":"Blob ID \\"nope\\" is not a Walrus blob id (43 characters of base64url encoding 32 bytes)."}}"`,
  );
});
