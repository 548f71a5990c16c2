// @vitest-environment happy-dom
import type { VerifyReport } from "@settlescan/abis";
import { cleanup, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, test } from "vitest";
import { VerifyProgress } from "./VerifyProgress";

afterEach(cleanup);

const report: VerifyReport = {
  inferenceId: `0x${"11".repeat(32)}`,
  teeId: `0x${"22".repeat(32)}`,
  inputHash: `0x${"33".repeat(32)}`,
  outputHash: `0x${"44".repeat(32)}`,
  timestamp: 1_767_225_600,
  state: "proven",
  reason: "settled officially in a batch in block 9.",
  checks: (["content", "settlement", "inclusion", "attestation", "provenance", "uniqueness"] as const).map((name) => ({
    name,
    ok: true,
    detail: `${name} detail`,
    source: `${name} source`,
  })),
  enclaveAttestation: {
    result: "unverifiable",
    ok: null,
    reasons: ["not an AWS Nitro attestation document: the devnet's documents are not signed by AWS"],
    detail: "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS.",
    source: "RPC http://127.0.0.1:8546 (chain 10740) at block 4: TEERegistered in tx 0xab",
  },
  sources: [],
  elapsedMs: 12,
};

describe("VerifyProgress", () => {
  test("default: the enclave attestation is its own row after the six checks, with its plain reason", () => {
    render(<VerifyProgress state={{ phase: "done", checks: report.checks, report, elapsedMs: 12 }} />);
    const row = screen.getByTestId("verify-enclave-attestation");
    expect(row.getAttribute("data-status")).toBe("na");
    expect(row.textContent).toContain("Unverifiable");
    expect(screen.getByTestId("verify-detail-enclave-attestation").textContent).toBe(
      "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS.",
    );
    expect(screen.getByTestId("verify-source-enclave-attestation").textContent).toContain("TEERegistered in tx 0xab");
    expect(document.querySelectorAll("[data-testid^=verify-check-]")).toHaveLength(6);
    expect(row.closest("[data-testid^=verify-check-]")).toBeNull();
    expect(screen.getByTestId("verify-state").getAttribute("data-state")).toBe("proven");
  });

  test("behavior: while the checks run there is no enclave row yet", () => {
    render(<VerifyProgress state={{ phase: "running", checks: report.checks.slice(0, 2), startedAt: 0 }} />);
    expect(screen.queryByTestId("verify-enclave-attestation")).toBeNull();
  });
});
