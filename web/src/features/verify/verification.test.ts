import type { VerifyCheck } from "@settlescan/abis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startVerifyNetwork, type VerifyNetwork } from "../../../../abis/src/verify/testNetwork";
import { enclaveRowOf, rowsOf, runVerification, signedInferenceOf, sourcesOf } from "./verification";

const check = (name: VerifyCheck["name"], ok: boolean | null): VerifyCheck => ({
  name,
  ok,
  detail: `${name} detail`,
  source: `${name} source`,
});

describe("rowsOf", () => {
  test("default: decided checks keep their verdict and source, the next one runs, the rest wait", () => {
    expect(rowsOf([check("content", true)], true).map((row) => `${row.name}:${row.status}`)).toEqual([
      "content:pass",
      "settlement:running",
      "inclusion:waiting",
      "attestation:waiting",
      "provenance:waiting",
      "uniqueness:waiting",
    ]);
    expect(rowsOf([check("content", true)], true)[0]).toEqual({
      name: "content",
      status: "pass",
      detail: "content detail",
      source: "content source",
    });
  });

  test("behavior: a stopped run has nothing running; failed and not checkable checks show as such", () => {
    const rows = rowsOf([check("content", false), check("settlement", null)], false);
    expect(rows.map((row) => row.status)).toEqual(["fail", "na", "waiting", "waiting", "waiting", "waiting"]);
  });
});

describe("signedInferenceOf", () => {
  const leaf = {
    encoding: "e3" as const,
    teeId: `0x${"AB".repeat(32)}`,
    inputHash: `0x${"11".repeat(32)}`,
    outputHash: `0x${"22".repeat(32)}`,
    signature: `0x${"33".repeat(256)}`,
    timestamp: "2026-01-01T00:00:00Z",
  };

  test("default: the API's leaf as signed fields, hex lowercased, the ISO time as unix seconds", () => {
    expect(signedInferenceOf(leaf)).toEqual({
      teeId: `0x${"ab".repeat(32)}`,
      inputHash: leaf.inputHash,
      outputHash: leaf.outputHash,
      timestamp: 1767225600n,
      signature: leaf.signature,
    });
  });

  test("behavior: a legacy leaf without an enclave or signature has nothing to re-check", () => {
    expect(
      signedInferenceOf({ encoding: "e1", inputHash: leaf.inputHash, outputHash: leaf.outputHash, teeId: null }),
    ).toBeNull();
    expect(signedInferenceOf({ ...leaf, timestamp: null })).toBeNull();
  });
});

describe("sourcesOf", () => {
  test("default: trimmed, trailing slashes dropped, an empty hint left out", () => {
    expect(
      sourcesOf({ rpcUrl: " http://127.0.0.1:8546/ ", aggregator: "http://127.0.0.1:9000//", hintUrl: " " }),
    ).toEqual({ rpcUrl: "http://127.0.0.1:8546", aggregator: "http://127.0.0.1:9000" });
    expect(sourcesOf({ rpcUrl: "r", aggregator: "a", hintUrl: "http://127.0.0.1:42069/" }).hintUrl).toBe(
      "http://127.0.0.1:42069",
    );
  });
});

describe("runVerification", () => {
  let network: VerifyNetwork;
  beforeAll(async () => {
    network = await startVerifyNetwork();
  }, 60_000);
  afterAll(() => network?.stop());

  test("default: a pasted response and its request are proven, each check heard in order", async () => {
    const one = await network.respond();
    await network.settleBatch([one, await network.respond()]);
    const heard: string[] = [];
    const report = await runVerification(
      { kind: "response", response: one.response, request: one.request },
      { profile: network.profile, sources: network.sources, onCheck: (c) => heard.push(`${c.name}:${c.ok}`) },
    );
    expect(report.state).toBe("proven");
    expect(heard).toEqual([
      "content:true",
      "settlement:true",
      "inclusion:true",
      "attestation:true",
      "provenance:true",
      "uniqueness:true",
    ]);
    expect(report.sources.map((source) => source.kind)).toEqual(["response", "request", "rpc", "aggregator"]);
  });

  test("behavior: an empty request is no request; altered content fails the content check", async () => {
    const one = await network.respond({ content: "The capital of France is Paris." });
    await network.settleBatch([one]);
    const report = await runVerification(
      { kind: "response", response: one.response.replace("Paris", "Lyon"), request: "  " },
      { profile: network.profile, sources: network.sources },
    );
    expect(report.state).toBe("invalid_proof");
    expect(report.checks[0]).toMatchObject({ name: "content", ok: false, source: "the pasted response" });
  });

  test("behavior: the signed fields an explorer page shows are re-checked from the chain, content not checked", async () => {
    const one = await network.respond();
    await network.settleIndividual(one);
    const { teeId, inputHash, outputHash, timestamp, signature } = one.fields;
    const report = await runVerification(
      { kind: "signed", inference: { teeId, inputHash, outputHash, timestamp, signature }, origin: "the page" },
      { profile: network.profile, sources: network.sources },
    );
    expect(report.state).toBe("proven");
    expect(report.inferenceId).toBe(one.fields.inferenceId);
    expect(report.checks.map((c) => c.ok)).toEqual([null, true, true, true, true, true]);
    expect(enclaveRowOf(report)).toEqual({
      status: "na",
      label: "Unverifiable",
      detail: "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS.",
      source: expect.stringContaining(`tx ${network.registration.txHash}`),
    });
  });
});

describe("enclaveRowOf", () => {
  test("default: a verified, failed or unverifiable re-verification becomes a pass, fail or not-checkable row", () => {
    const of = (result: "verified" | "failed" | "unverifiable", ok: boolean | null) =>
      enclaveRowOf({ enclaveAttestation: { result, ok, reasons: [], detail: `${result} detail`, source: "rpc" } });
    expect([of("verified", true), of("failed", false), of("unverifiable", null)]).toEqual([
      { status: "pass", label: "Verified", detail: "verified detail", source: "rpc" },
      { status: "fail", label: "Failed", detail: "failed detail", source: "rpc" },
      { status: "na", label: "Unverifiable", detail: "unverifiable detail", source: "rpc" },
    ]);
  });

  test("behavior: a report without it has no row", () => {
    expect(enclaveRowOf({})).toBeNull();
  });
});
