import { describe, expect, test } from "vitest";
import { type CheckResult, paymentCheckOf, paymentStateOf, receiptStateOf } from "./verdict";

const USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
const facts = {
  paymentId: "0x01",
  payment: { amount: 1000n, token: USDC },
  acceptedTokens: [USDC],
  claimedByValidLeaves: 1000n,
  ownAmount: 1000n,
  ownCounted: true,
};
const ok: CheckResult = { ok: true, reason: null };
const no: CheckResult = { ok: false, reason: "x" };

describe("paymentCheckOf", () => {
  test("default: covered claim passes", () => {
    expect(paymentCheckOf(facts)).toEqual({ ok: true, reason: null, failure: null });
  });

  test("behavior: no payment indexed is unpaid", () => {
    expect(paymentCheckOf({ ...facts, payment: null })).toMatchInlineSnapshot(`
      {
        "failure": "unpaid",
        "ok": false,
        "reason": "No payment with id 0x01 is indexed on the payment chain.",
      }
    `);
  });

  test("behavior: claims above the paid amount are underpaid", () => {
    expect(paymentCheckOf({ ...facts, claimedByValidLeaves: 1001n })).toMatchInlineSnapshot(`
      {
        "failure": "underpaid",
        "ok": false,
        "reason": "Settlements citing this payment claim 1001 units but 1000 were paid.",
      }
    `);
  });

  test("behavior: an uncounted (invalid) leaf's own claim is judged on top of the valid ones", () => {
    expect(paymentCheckOf({ ...facts, claimedByValidLeaves: 600n, ownAmount: 500n, ownCounted: false }).ok).toBe(false);
    expect(paymentCheckOf({ ...facts, claimedByValidLeaves: 500n, ownAmount: 500n, ownCounted: false }).ok).toBe(true);
  });

  test("behavior: a token that is not accepted is unpaid", () => {
    expect(paymentCheckOf({ ...facts, acceptedTokens: ["0x0000000000000000000000000000000000000001"] }).failure).toBe(
      "unpaid",
    );
  });

  test("behavior: token addresses compare case-insensitively", () => {
    expect(paymentCheckOf({ ...facts, payment: { amount: 1000n, token: USDC.toLowerCase() } }).ok).toBe(true);
  });
});

describe("receiptStateOf", () => {
  const all = { payment: ok, inclusion: ok, attestation: ok, provenance: ok, uniqueness: ok };
  test("default: all checks pass", () => expect(receiptStateOf(all, null)).toBe("verified"));
  test("behavior: precedence unofficial, invalid_proof, duplicate, unpaid, underpaid, verified", () => {
    expect(receiptStateOf({ ...all, provenance: no, inclusion: no, uniqueness: no }, "unpaid")).toBe("unofficial");
    expect(receiptStateOf({ ...all, payment: no, inclusion: no, uniqueness: no }, "unpaid")).toBe("invalid_proof");
    expect(receiptStateOf({ ...all, attestation: no, uniqueness: no }, null)).toBe("invalid_proof");
    expect(receiptStateOf({ ...all, payment: no, uniqueness: no }, "underpaid")).toBe("duplicate");
    expect(receiptStateOf({ ...all, payment: no }, "unpaid")).toBe("unpaid");
    expect(receiptStateOf({ ...all, payment: no }, "underpaid")).toBe("underpaid");
  });
});

describe("paymentStateOf", () => {
  test("default: a verified receipt proves it, however late", () => {
    expect(paymentStateOf({ verifiedReceipts: 1, paidAt: 0n, now: 10_000n })).toBe("proven");
  });
  test("behavior: overdue strictly after the 15-minute window of chain time", () => {
    expect(paymentStateOf({ verifiedReceipts: 0, paidAt: 1000n, now: 1900n })).toBe("awaiting_proof");
    expect(paymentStateOf({ verifiedReceipts: 0, paidAt: 1000n, now: 1901n })).toBe("overdue");
  });
});
