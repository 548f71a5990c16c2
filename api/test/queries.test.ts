import { beforeAll, describe, expect, inject, test } from "vitest";
import { data, gql } from "./client";
import type { Host } from "./environment";

const { hosts, manifest, heads } = inject("api");

const RECEIPT_FIELDS = `
  id state paymentId inferenceId amount paidAmount payer payee facilitator teeId paidAt settledAt latencySeconds
  settlementCount
  payment { id txHash blockNumber chainId token amount state }
  settlement { kind txHash blockNumber chainId relay abi signer official merkleRoot blobId blobStatus leafIndex proof
    leafEncoding leaf { id hash amount paymentId } }
  inference { id state }
  checks { payment inclusion attestation provenance uniqueness }
  reasons { check reason }`;

type Receipt = {
  id: string;
  state: string;
  paymentId: string;
  inferenceId: string;
  amount: string;
  payer: string | null;
  payee: string | null;
  facilitator: string | null;
  teeId: string;
  paidAt: string | null;
  settledAt: string;
  latencySeconds: number | null;
  payment: { id: string; txHash: string; blockNumber: number; chainId: number; amount: string; state: string } | null;
  settlement: {
    kind: string;
    txHash: string;
    official: boolean;
    merkleRoot: string | null;
    blobStatus: string | null;
    leafIndex: number;
    proof: string[];
    leafEncoding: string[];
  };
  inference: { id: string; state: string } | null;
  checks: Record<string, boolean>;
  reasons: { check: string; reason: string }[];
};
type Payment = {
  id: string;
  state: string;
  payer: string;
  payee: string | null;
  facilitator: string;
  token: string;
  amount: string | null;
  txHash: string;
  paidAt: string;
  provenAt: string | null;
  receipts: { id: string }[];
};
type Page<T> = {
  totalCount?: number;
  nodes: T[];
  edges: { cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
};

const settled = manifest.receipts.filter((r) => r.state !== "not_settled");
const seconds = (iso: string) => Date.parse(iso) / 1000;

describe.each(hosts)("$name", (host: Host) => {
  let receipts: Receipt[];
  let payments: Payment[];
  beforeAll(async () => {
    const page = await data<{ receipts: Page<Receipt>; payments: Page<Payment> }>(
      host,
      `{ receipts(first: 1000) { totalCount nodes { ${RECEIPT_FIELDS} } }
         payments(first: 1000) { totalCount nodes { id state payer payee facilitator token amount txHash paidAt provenAt receipts { id } } } }`,
    );
    receipts = page.receipts.nodes;
    payments = page.payments.nodes;
  });

  test("default: every settled receipt of the scenario, in its manifest state with its checks", () => {
    expect(receipts).toHaveLength(settled.length);
    const byId = new Map(receipts.map((r) => [r.id, r]));
    for (const expected of settled) {
      const got = byId.get(expected.receiptId.toLowerCase());
      expect(got, expected.receiptId).toBeDefined();
      expect({ state: got!.state, checks: got!.checks }).toEqual({ state: expected.state, checks: expected.checks });
      expect(got!.settlement.kind).toBe(expected.settlement);
      expect(got!.amount).toBe(expected.amount);
      // Exact-link leaves: E3's values, then the paymentId and amount.
      expect(got!.settlement.leafEncoding).toEqual([
        "bytes32",
        "bytes32",
        "bytes32",
        "bytes",
        "uint256",
        "bytes32",
        "uint256",
      ]);
      expect(got!.inference?.id).toBe(expected.inferenceId.toLowerCase());
    }
    expect(new Set(receipts.map((r) => r.state))).toEqual(
      new Set(["verified", "unpaid", "underpaid", "invalid_proof", "duplicate"]),
    );
  });

  test("default: receipt(id) answers the trail, for one receipt of each state", async () => {
    for (const state of ["verified", "unpaid", "underpaid", "invalid_proof", "duplicate"]) {
      const expected = settled.find((r) => r.state === state)!;
      const { receipt } = await data<{ receipt: Receipt }>(
        host,
        `query($id: ID!) { receipt(id: $id) { ${RECEIPT_FIELDS} } }`,
        {
          id: expected.receiptId.toUpperCase().replace("0X", "0x"),
        },
      );
      expect(receipt.id).toBe(expected.receiptId.toLowerCase());
      expect(receipt.state).toBe(state);
      expect(receipt.paymentId).toBe(expected.paymentId.toLowerCase());
      expect(receipt.inferenceId).toBe(expected.inferenceId.toLowerCase());
      if (state === "unpaid") {
        expect(receipt.payment).toBeNull();
        expect(receipt.latencySeconds).toBeNull();
        expect(receipt.reasons.map((r) => r.check)).toEqual(["payment"]);
      } else {
        const payment = manifest.payments.find((p) => p.paymentId === expected.paymentId)!;
        expect(receipt.payment!.id).toBe(expected.paymentId.toLowerCase());
        expect(receipt.payment!.chainId).toBe(8453);
        expect(receipt.payer).toBe(payment.payer.toLowerCase());
        expect(receipt.latencySeconds).toBe(seconds(receipt.settledAt) - seconds(receipt.paidAt!));
      }
      expect(receipt.settlement.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      if (receipt.settlement.kind === "batch") {
        expect(receipt.settlement.merkleRoot).toMatch(/^0x[0-9a-f]{64}$/);
        expect(receipt.settlement.proof.length).toBeGreaterThan(0);
      }
      if (state === "verified") expect(receipt.reasons).toEqual([]);
      else expect(receipt.reasons.length).toBeGreaterThan(0);
    }
  });

  test("behavior: a receipt no proof cites yet is null", async () => {
    const pending = manifest.receipts.find((r) => r.state === "not_settled")!;
    expect(await data(host, `{ receipt(id: "${pending.receiptId}") { id } }`)).toEqual({ receipt: null });
  });

  test("default: payments and their states (overdue judged at chain time) match the manifest", () => {
    expect(payments).toHaveLength(manifest.payments.length);
    const byId = new Map(payments.map((p) => [p.id, p]));
    for (const expected of manifest.payments) {
      const got = byId.get(expected.paymentId.toLowerCase())!;
      // Links of every kind count: a proven inference linked by session proves a payment too.
      expect(got.state, expected.paymentId).toBe(expected.linkedState);
      expect([got.payer, got.payee, got.facilitator, got.amount]).toEqual([
        expected.payer.toLowerCase(),
        expected.payee.toLowerCase(),
        expected.facilitator.toLowerCase(),
        expected.amount,
      ]);
    }
    expect(new Set(payments.map((p) => p.state))).toEqual(new Set(["awaiting_proof", "overdue", "proven"]));
  });

  test("default: a payment's provenAt is the earliest settlement proving it (verified receipt or session link)", () => {
    const verifiedSettlements = new Map<string, string[]>();
    for (const r of receipts.filter((r) => r.state === "verified"))
      verifiedSettlements.set(r.paymentId, [...(verifiedSettlements.get(r.paymentId) ?? []), r.settledAt]);
    const linkedState = new Map(manifest.payments.map((p) => [p.paymentId.toLowerCase(), p.linkedState]));
    for (const p of payments) {
      const first = verifiedSettlements.get(p.id)?.sort()[0];
      // A proven inference linked by session may prove it earlier than its first verified receipt.
      if (first !== undefined) expect(p.provenAt !== null && p.provenAt <= first, p.id).toBe(true);
      else if (p.provenAt !== null) expect(linkedState.get(p.id), p.id).toBe("proven");
      expect(p.provenAt !== null, p.id).toBe(p.state === "proven");
    }
    expect(payments.some((p) => p.provenAt !== null)).toBe(true);
  });

  test("default: payment(id) and payment(txHash) answer the same payment with its receipts", async () => {
    const split = payments.find((p) => p.receipts.length > 1)!;
    const answer = await data<{ byId: Payment; byTx: Payment }>(
      host,
      `query($id: ID, $tx: String) {
        byId: payment(id: $id) { id state txHash receipts { id paymentId } }
        byTx: payment(txHash: $tx) { id state txHash receipts { id paymentId } } }`,
      { id: split.id, tx: split.txHash },
    );
    expect(answer.byTx).toEqual(answer.byId);
    expect(answer.byId.receipts.length).toBe(split.receipts.length);
    const none = payments.find((p) => p.receipts.length === 0)!;
    expect(await data(host, `{ payment(id: "${none.id}") { receipts { id } } }`)).toEqual({
      payment: { receipts: [] },
    });
  });

  test("args: payments filtered by state, payer and time", async () => {
    for (const state of ["awaiting_proof", "overdue", "proven"]) {
      const { payments: page } = await data<{ payments: Page<Payment> }>(
        host,
        `query($s: [PaymentState!]) { payments(where: { states: $s }, first: 1000) { totalCount nodes { id state } } }`,
        { s: [state] },
      );
      const expected = manifest.payments.filter((p) => p.linkedState === state).length;
      expect(page.totalCount).toBe(expected);
      expect(page.nodes.every((p) => p.state === state)).toBe(true);
    }
    const payer = payments[0]!.payer;
    const { payments: byPayer } = await data<{ payments: Page<Payment> }>(
      host,
      `{ payments(where: { payer: "${payer.toUpperCase().replace("0X", "0x")}" }, first: 1000) { totalCount } }`,
    );
    expect(byPayer.totalCount).toBe(payments.filter((p) => p.payer === payer).length);
    const middle = [...payments].sort((a, b) => a.paidAt.localeCompare(b.paidAt))[Math.floor(payments.length / 2)]!;
    const { payments: late } = await data<{ payments: Page<Payment> }>(
      host,
      `{ payments(where: { from: "${middle.paidAt}" }, first: 1000) { totalCount } }`,
    );
    expect(late.totalCount).toBe(payments.filter((p) => p.paidAt >= middle.paidAt).length);
  });

  test("args: receipts filtered by states, payer, payee, facilitator, TEE, amount and time", async () => {
    const sample = receipts.find((r) => r.state === "verified")!;
    const amounts = receipts.map((r) => BigInt(r.amount)).sort((a, b) => (a < b ? -1 : 1));
    const [low, high] = [amounts[100]!, amounts[400]!];
    const cases: [string, Record<string, unknown>, (r: Receipt) => boolean][] = [
      ["states", { states: ["underpaid", "duplicate"] }, (r) => ["underpaid", "duplicate"].includes(r.state)],
      ["payer", { payer: sample.payer }, (r) => r.payer === sample.payer],
      ["payee", { payee: sample.payee }, (r) => r.payee === sample.payee],
      ["facilitator", { facilitator: sample.facilitator }, (r) => r.facilitator === sample.facilitator],
      ["teeId", { teeId: sample.teeId }, (r) => r.teeId === sample.teeId],
      [
        "amount",
        { minAmount: String(low), maxAmount: String(high) },
        (r) => BigInt(r.amount) >= low && BigInt(r.amount) <= high,
      ],
      [
        "time",
        { from: sample.settledAt, to: new Date((seconds(sample.settledAt) + 121) * 1000).toISOString() },
        (r) =>
          seconds(r.settledAt) >= seconds(sample.settledAt) && seconds(r.settledAt) < seconds(sample.settledAt) + 121,
      ],
      [
        "combined",
        { states: ["verified"], teeId: sample.teeId },
        (r) => r.state === "verified" && r.teeId === sample.teeId,
      ],
    ];
    for (const [name, where, keep] of cases) {
      const { receipts: page } = await data<{ receipts: Page<Receipt> }>(
        host,
        `query($w: ReceiptFilter) { receipts(where: $w, first: 1000) { totalCount nodes { id } } }`,
        { w: where },
      );
      const expected = receipts.filter(keep).map((r) => r.id);
      expect(expected.length, name).toBeGreaterThan(0);
      expect(page.totalCount, name).toBe(expected.length);
      expect(new Set(page.nodes.map((r) => r.id)), name).toEqual(new Set(expected));
    }
  });

  test("behavior: cursor pages in every order join into the whole ordered list", async () => {
    for (const [field, key] of [
      ["SETTLED_AT", (r: Receipt) => BigInt(seconds(r.settledAt))],
      ["PAID_AT", (r: Receipt) => (r.paidAt ? BigInt(seconds(r.paidAt)) : -1n)],
      ["AMOUNT", (r: Receipt) => BigInt(r.amount)],
      ["LATENCY", (r: Receipt) => BigInt(r.latencySeconds ?? -1)],
    ] as const) {
      for (const direction of ["ASC", "DESC"] as const) {
        const seen: string[] = [];
        let after: string | null = null;
        let pages = 0;
        for (;;) {
          const { receipts: page }: { receipts: Page<Receipt> } = await data(
            host,
            `query($after: String, $o: ReceiptOrder) { receipts(first: 150, after: $after, orderBy: $o) {
              nodes { id } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } } }`,
            { after, o: { field, direction } },
          );
          pages++;
          expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
          seen.push(...page.nodes.map((r) => r.id));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(pages).toBe(Math.ceil(receipts.length / 150));
        const sign = direction === "ASC" ? 1 : -1;
        const expected = [...receipts]
          .sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            return x !== y ? (x < y ? -sign : sign) : a.id < b.id ? -sign : sign;
          })
          .map((r) => r.id);
        expect(seen, `${field} ${direction}`).toEqual(expected);
      }
    }
  });

  test("behavior: totalCount is counted only when selected", async () => {
    const query = (extra: string) => `{ receipts(first: 5) { nodes { id } ${extra} } }`;
    const { gql } = await import("./client");
    const [without, withCount] = await Promise.all([gql(host, query("")), gql(host, query("totalCount"))]);
    expect(withCount.extensions!.sqlQueries! - without.extensions!.sqlQueries!).toBe(1);
  });

  test("default: search says what each kind of key is", async () => {
    const verified = receipts.find((r) => r.state === "verified" && r.settlement.kind === "batch")!;
    const unpaid = receipts.find((r) => r.state === "unpaid")!;
    const duplicate = receipts.find((r) => r.state === "duplicate")!;
    const payment = verified.payment!;
    const tee = verified.teeId;
    const kindsOf = async (query: string) => {
      const { search } = await data<{
        search: {
          kind: string;
          key: string;
          label: string;
          receipt: { id: string } | null;
          payment: { id: string } | null;
          settlement: { txHash: string } | null;
          tee: { id: string } | null;
          receipts: { id: string }[];
          address: string | null;
          count: number | null;
        }[];
      }>(
        host,
        `query($q: String!) { search(query: $q) { kind key label receipt { id } payment { id } settlement { txHash }
          tee { id } receipts { id } address count } }`,
        { q: query },
      );
      return search;
    };
    const [receiptHit] = await kindsOf(verified.id);
    expect(receiptHit).toMatchObject({ kind: "RECEIPT_ID", receipt: { id: verified.id } });
    expect(receiptHit!.label).toMatch(/^Receipt 0x[0-9a-f]{4}…[0-9a-f]{4} \(verified\)$/);

    const paymentHits = await kindsOf(payment.id);
    expect(paymentHits).toEqual([expect.objectContaining({ kind: "PAYMENT_ID", payment: { id: payment.id } })]);
    expect(paymentHits[0]!.receipts.map((r) => r.id)).toContain(verified.id);

    const unpaidHits = await kindsOf(unpaid.paymentId);
    expect(unpaidHits).toEqual([
      expect.objectContaining({ kind: "PAYMENT_ID", payment: null, receipts: [{ id: unpaid.id }] }),
    ]);

    expect(await kindsOf(payment.txHash)).toEqual([
      expect.objectContaining({ kind: "PAYMENT_TX", payment: { id: payment.id } }),
    ]);
    expect(await kindsOf(verified.settlement.txHash)).toEqual([
      expect.objectContaining({ kind: "SETTLEMENT_TX", settlement: { txHash: verified.settlement.txHash } }),
    ]);
    expect(await kindsOf(verified.settlement.merkleRoot!)).toEqual([
      expect.objectContaining({ kind: "MERKLE_ROOT", settlement: { txHash: verified.settlement.txHash } }),
    ]);
    // The inference itself, and the receipts citing it (a duplicate: two payments for one inference).
    const inference = await kindsOf(duplicate.inferenceId);
    expect(inference.map((h) => [h.kind, h.count])).toEqual([
      ["INFERENCE", null],
      ["INFERENCE_ID", null],
    ]);
    for (const hit of inference) {
      expect(hit.receipts.length).toBe(2);
      expect(hit.receipts.map((r) => r.id)).toContain(duplicate.id);
    }
    expect(await kindsOf(tee)).toEqual([expect.objectContaining({ kind: "TEE_ID", tee: { id: tee } })]);

    const payerHits = await kindsOf(verified.payer!.toUpperCase().replace("0X", "0x"));
    expect(payerHits.map((h) => [h.kind, h.address, h.count])).toEqual([
      ["PAYER", verified.payer, payments.filter((p) => p.payer === verified.payer).length],
    ]);
    const payeeHits = await kindsOf(verified.payee!);
    expect(payeeHits.map((h) => h.kind)).toEqual(["PAYEE"]);
    const facilitatorHits = await kindsOf(verified.facilitator!);
    expect(facilitatorHits.map((h) => h.kind)).toEqual(["FACILITATOR"]);
    expect(await kindsOf(`0x${"ab".repeat(32)}`)).toEqual([]);
    expect(await kindsOf(`0x${"ab".repeat(20)}`)).toEqual([]);
  });

  test("default: settlements, and settlement(txHash | merkleRoot) with its leaves and receipts", async () => {
    const { settlements } = await data<{
      settlements: Page<{
        id: string;
        kind: string;
        txHash: string;
        merkleRoot: string | null;
        leafCount: number;
        timestamp: string;
      }>;
    }>(host, `{ settlements(first: 1000) { totalCount nodes { id kind txHash merkleRoot leafCount timestamp } } }`);
    expect(settlements.nodes.length).toBe(settlements.totalCount);
    expect(settlements.totalCount).toBe(manifest.settlements.length);
    expect(new Set(settlements.nodes.map((s) => s.kind))).toEqual(new Set(manifest.settlements.map((s) => s.kind)));
    const times = settlements.nodes.map((s) => s.timestamp);
    expect(times).toEqual([...times].sort().reverse());
    const batch = settlements.nodes.find((s) => s.kind === "batch" && s.leafCount > 2)!;
    const query = `query($tx: String, $root: String) { settlement(txHash: $tx, merkleRoot: $root) {
      id txHash merkleRoot blobId blobStatus leafCount
      leaves { index receiptId inclusion attestation uniqueness receipt { id } }
      receipts(first: 1000) { totalCount nodes { id settlement { txHash } } } } }`;
    const [byTx, byRoot] = await Promise.all([
      data<{
        settlement: {
          id: string;
          leaves: { index: number; receiptId: string }[];
          leafCount: number;
          receipts: Page<{ id: string; settlement: { txHash: string } }>;
        };
      }>(host, query, { tx: batch.txHash }),
      data<{ settlement: unknown }>(host, query, { root: batch.merkleRoot }),
    ]);
    expect(byRoot.settlement).toEqual(byTx.settlement);
    const s = byTx.settlement;
    expect(s.id).toBe(batch.id);
    expect(s.leaves.map((l) => l.index)).toEqual([...Array(s.leafCount).keys()]);
    expect(s.receipts.nodes.every((r) => r.settlement.txHash === batch.txHash)).toBe(true);
    expect(s.receipts.totalCount).toBe(receipts.filter((r) => r.settlement.txHash === batch.txHash).length);
    const { settlements: individual } = await data<{ settlements: Page<{ kind: string }> }>(
      host,
      `{ settlements(where: { kind: individual }, first: 1000) { totalCount nodes { kind } } }`,
    );
    expect(individual.totalCount).toBe(settlements.nodes.filter((x) => x.kind === "individual").length);
    expect(await data(host, `{ settlement(txHash: "0x${"00".repeat(32)}") { id } }`)).toEqual({ settlement: null });
  });

  test("behavior: a page of settlements, each with a page of its receipts, is batched and pages like one settlement", async () => {
    type Nested = {
      id: string;
      receipts: {
        totalCount: number;
        nodes: { id: string; settlement: { txHash: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    const nestedQuery = `query($after: String) { settlements(first: 50) { nodes { id txHash
      receipts(first: 2, after: $after, orderBy: { field: AMOUNT, direction: DESC }) {
        totalCount nodes { id settlement { txHash } } pageInfo { hasNextPage endCursor } } } } }`;
    const page = await gql<{ settlements: { nodes: (Nested & { txHash: string })[] } }>(host, nestedQuery);
    expect(page.errors).toBeUndefined();
    const nested = page.data!.settlements.nodes;
    expect(nested.length).toBeGreaterThan(10);
    // settlements page, receipt pages, receipts by id, counts, leaves of the receipts' settlements.
    expect(page.extensions!.sqlQueries).toBeLessThanOrEqual(5);
    const one = `query($tx: String, $after: String) { settlement(txHash: $tx) { id
      receipts(first: 2, after: $after, orderBy: { field: AMOUNT, direction: DESC }) {
        totalCount nodes { id settlement { txHash } } pageInfo { hasNextPage endCursor } } } }`;
    for (const s of nested.slice(0, 10)) {
      const alone = await data<{ settlement: Nested }>(host, one, { tx: s.txHash });
      expect(s.receipts, s.txHash).toEqual(alone.settlement.receipts);
      expect(s.receipts.totalCount).toBe(receipts.filter((r) => r.settlement.txHash === s.txHash).length);
      expect(s.receipts.nodes.every((r) => r.settlement.txHash === s.txHash)).toBe(true);
      if (s.receipts.pageInfo.hasNextPage) {
        const next = await data<{ settlement: Nested }>(host, one, {
          tx: s.txHash,
          after: s.receipts.pageInfo.endCursor,
        });
        expect(next.settlement.receipts.nodes.map((r) => r.id)).not.toContain(s.receipts.nodes[0]!.id);
      }
    }
    expect(nested.some((s) => s.receipts.pageInfo.hasNextPage)).toBe(true);
  });

  test("default: tees with totals", async () => {
    const { tees } = await data<{
      tees: {
        id: string;
        revoked: boolean;
        keyMatchesId: boolean;
        totals: { receipts: number; verifiedReceipts: number; volume: string };
      }[];
    }>(
      host,
      `{ tees { id revoked keyMatchesId registeredAt totals { receipts verifiedReceipts invalidProofReceipts volume lastSettledAt } } }`,
    );
    // A disabled enclave and one whose PCR was revoked are not enabled (revoked, for old queries).
    expect(tees.some((t) => t.revoked)).toBe(true);
    // The registry computes the id from the key, so every registered id matches its key.
    expect(tees.every((t) => t.keyMatchesId)).toBe(true);
    for (const tee of tees) {
      const mine = receipts.filter((r) => r.teeId === tee.id);
      expect(tee.totals.receipts).toBe(mine.length);
      expect(tee.totals.verifiedReceipts).toBe(mine.filter((r) => r.state === "verified").length);
      expect(tee.totals.volume).toBe(String(mine.reduce((s, r) => s + BigInt(r.amount), 0n)));
    }
    // Receipts signed by an enclave no registry knows have no Tee to count them.
    const registered = new Set(tees.map((t) => t.id));
    expect(tees.reduce((n, t) => n + t.totals.receipts, 0)).toBe(
      receipts.filter((r) => registered.has(r.teeId)).length,
    );
    expect(receipts.some((r) => !registered.has(r.teeId))).toBe(true);
  });

  test("default: facilitators with totals", async () => {
    const { facilitators } = await data<{
      facilitators: {
        address: string;
        payments: number;
        paymentVolume: string;
        paymentVolumes: { asset: { address: string }; payments: number; volume: string }[];
        provenPayments: number;
        overduePayments: number;
        awaitingProofPayments: number;
        settlements: number;
        receipts: number;
        verifiedReceipts: number;
      }[];
    }>(
      host,
      `{ facilitators { address payments paymentVolume paymentVolumes { asset { address } payments volume } provenPayments overduePayments awaitingProofPayments
      settlements batchSettlements receipts verifiedReceipts verifiedVolume firstSeenAt lastSeenAt } }`,
    );
    const submitters = new Set(payments.map((p) => p.facilitator));
    for (const address of submitters) {
      const f = facilitators.find((x) => x.address === address)!;
      const mine = payments.filter((p) => p.facilitator === address);
      expect(f.payments).toBe(mine.length);
      expect(f.paymentVolume).toBe(String(mine.reduce((s, p) => s + BigInt(p.amount ?? 0), 0n)));
      // Per token, never added across tokens.
      const tokens = [...new Set(mine.map((p) => p.token))];
      expect(f.paymentVolumes.map((v) => v.asset.address).sort()).toEqual(tokens.sort());
      for (const v of f.paymentVolumes) {
        const inToken = mine.filter((p) => p.token === v.asset.address);
        expect([v.payments, v.volume]).toEqual([
          inToken.length,
          String(inToken.reduce((s, p) => s + BigInt(p.amount ?? 0), 0n)),
        ]);
      }
      expect([f.provenPayments, f.overduePayments, f.awaitingProofPayments]).toEqual(
        ["proven", "overdue", "awaiting_proof"].map((s) => mine.filter((p) => p.state === s).length),
      );
    }
    expect(facilitators.reduce((n, f) => n + f.receipts, 0)).toBe(receipts.length);
  });

  test("default: stats per bucket — receipts, volume, states, latency percentiles and overdue backlog", async () => {
    const query = `query($from: DateTime!, $to: DateTime!, $i: Interval!, $g: StatsGroup) {
      stats(from: $from, to: $to, interval: $i, groupBy: $g) { start end group receipts volume verifiedVolume
        byState { verified unpaid underpaid invalidProof duplicate unofficial } latencyP50 latencyP95 latencyP99 overdueBacklog } }`;
    type Bucket = {
      start: string;
      end: string;
      group: string | null;
      receipts: number;
      volume: string;
      byState: Record<string, number>;
      latencyP50: number | null;
      latencyP99: number | null;
      overdueBacklog: number | null;
    };
    const start = manifest.chainTime.start;
    const from = new Date((start - 3600) * 1000).toISOString();
    const to = new Date((manifest.chainTime.end + 7200) * 1000).toISOString();
    const { stats } = await data<{ stats: Bucket[] }>(host, query, { from, to, i: "HOUR" });
    expect(stats.length).toBeGreaterThanOrEqual(4);
    for (const [a, b] of stats.slice(1).map((b, i) => [stats[i]!, b] as const)) expect(a.end).toBe(b.start);
    expect(stats.reduce((n, b) => n + b.receipts, 0)).toBe(receipts.length);
    expect(stats.reduce((n, b) => n + BigInt(b.volume), 0n)).toBe(receipts.reduce((n, r) => n + BigInt(r.amount), 0n));
    const counts = { verified: 0, unpaid: 0, underpaid: 0, invalidProof: 0, duplicate: 0, unofficial: 0 } as Record<
      string,
      number
    >;
    for (const b of stats) for (const [k, v] of Object.entries(b.byState)) counts[k]! += v;
    const camel = (s: string) => s.replace(/_(.)/g, (_, c: string) => c.toUpperCase());
    for (const state of Object.keys(counts))
      expect(counts[state], state).toBe(receipts.filter((r) => camel(r.state) === state).length);

    // The backlog where chain time is now equals the payments overdue now; it starts at 0 before any payment.
    const { _meta } = await data<{ _meta: { now: string } }>(host, `{ _meta { now } }`);
    const current = stats.find((b) => seconds(b.start) <= seconds(_meta.now) && seconds(_meta.now) < seconds(b.end))!;
    expect(current.overdueBacklog).toBe(payments.filter((p) => p.state === "overdue").length);
    expect(stats[0]!.overdueBacklog).toBe(0);
    expect(stats.at(-1)!.overdueBacklog).toBeNull();
    // Every bucket's backlog, recounted from the payments: due before the bucket's end (or now), not proven by then.
    const { window } = (
      await data<{ _meta: { window: number } }>(host, `{ _meta { window: settlementWindowSeconds } }`)
    )._meta;
    for (const b of stats.filter((b) => b.overdueBacklog !== null)) {
      const at = Math.min(seconds(b.end), seconds(_meta.now));
      const overdue = payments.filter(
        (p) => seconds(p.paidAt) + window < at && (p.provenAt === null || seconds(p.provenAt) > at),
      );
      expect(b.overdueBacklog, b.start).toBe(overdue.length);
    }
    expect(stats.some((b) => (b.overdueBacklog ?? 0) > 0)).toBe(true);

    // percentile_cont over one bucket, checked against the same interpolation in JS.
    const busiest = [...stats].sort((a, b) => b.receipts - a.receipts)[0]!;
    const latencies = receipts
      .filter((r) => r.latencySeconds !== null && r.settledAt >= busiest.start && r.settledAt < busiest.end)
      .map((r) => r.latencySeconds!)
      .sort((a, b) => a - b);
    const percentile = (p: number) => {
      const rank = p * (latencies.length - 1);
      const [lo, hi] = [Math.floor(rank), Math.ceil(rank)];
      return latencies[lo]! + (latencies[hi]! - latencies[lo]!) * (rank - lo);
    };
    expect(busiest.latencyP50).toBeCloseTo(percentile(0.5), 6);
    expect(busiest.latencyP99).toBeCloseTo(percentile(0.99), 6);

    const { stats: byFacilitator } = await data<{ stats: Bucket[] }>(host, query, {
      from,
      to,
      i: "DAY",
      g: "FACILITATOR",
    });
    expect(byFacilitator.reduce((n, b) => n + b.receipts, 0)).toBe(receipts.length);
    for (const b of byFacilitator.filter((x) => x.group !== null))
      expect(b.receipts).toBe(receipts.filter((r) => r.facilitator === b.group).length);
    const { stats: byTee } = await data<{ stats: Bucket[] }>(host, query, { from, to, i: "WEEK", g: "TEE" });
    expect(new Set(byTee.map((b) => b.group))).toEqual(new Set(receipts.map((r) => r.teeId)));
    expect(byTee.every((b) => b.overdueBacklog === null)).toBe(true);
  });

  test("default: _meta gives the indexed block and lag per chain", async () => {
    const { _meta } = await data<{
      _meta: {
        now: string;
        settlementWindowSeconds: number;
        chains: { chainId: number; name: string; blockNumber: number; timestamp: string; lagSeconds: number }[];
      };
    }>(
      host,
      `{ _meta { now settlementWindowSeconds chains { chainId name blockNumber timestamp lagSeconds secondsBehindWallClock } } }`,
    );
    expect(_meta.settlementWindowSeconds).toBe(900);
    expect(_meta.chains.map((c) => [c.name, c.chainId, c.blockNumber])).toEqual([
      ["base", 8453, heads.base],
      ["og", 10740, heads.og],
    ]);
    const latest = Math.max(..._meta.chains.map((c) => seconds(c.timestamp)));
    expect(seconds(_meta.now)).toBe(latest);
    for (const c of _meta.chains) expect(c.lagSeconds).toBe(latest - seconds(c.timestamp));
  });
});

test("behavior: both hosts answer the same page byte for byte", async () => {
  const query = `{ receipts(first: 50, orderBy: { field: AMOUNT, direction: DESC }) { totalCount nodes { ${RECEIPT_FIELDS} } }
    stats(from: "2025-12-31T00:00:00Z", to: "2026-01-02T00:00:00Z", interval: HOUR) { receipts latencyP95 overdueBacklog } }`;
  const [a, b] = await Promise.all(hosts.map((h) => data(h, query)));
  expect(b).toEqual(a);
});
