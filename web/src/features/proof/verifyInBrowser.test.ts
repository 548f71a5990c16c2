import {
  type E1Leaf,
  type E3Leaf,
  type ExactLeaf,
  e1,
  e3,
  exact,
  individualBlobOf,
  inferenceIdOf,
  treeDumpOf,
} from "@settlescan/abis";
import vectors from "@settlescan/abis/vectors.json";
import type { Hex } from "viem";
import { describe, expect, test } from "vitest";
import {
  type ApiLeaf,
  type BrowserSubject,
  checkAttestationInBrowser,
  checkBatchRoot,
  checkInclusionInBrowser,
  flipHexDigit,
  secondsOf,
  tamperedBlobOf,
  verifyInBrowser,
} from "./verifyInBrowser";

// The abis package's pinned vectors: three inferences signed by one enclave. Settled here the real way: their leaves
// in a StandardMerkleTree dump (the batch's Walrus blob), exact-link and E3, and one in an individual blob.
const PUBLIC_KEY = vectors.tee.publicKey;
const TEE_ID = vectors.tee.teeId;
const isoOf = (seconds: string) => new Date(Number(seconds) * 1000).toISOString();

const EXACT_LEAVES: ExactLeaf[] = vectors.receipts.map(({ leaf }) => ({
  encoding: "exact",
  teeId: leaf.teeId as Hex,
  inputHash: leaf.inputHash as Hex,
  outputHash: leaf.outputHash as Hex,
  signature: leaf.signature as Hex,
  timestamp: BigInt(leaf.timestamp),
  paymentId: leaf.paymentId as Hex,
  amount: BigInt(leaf.amount),
}));
const E3_LEAVES: E3Leaf[] = EXACT_LEAVES.map(({ paymentId: _, amount: __, ...leaf }) => ({ ...leaf, encoding: "e3" }));
const EXACT_DUMP = treeDumpOf(EXACT_LEAVES, exact);
const EXACT_BLOB = JSON.stringify(EXACT_DUMP);
const E3_DUMP = treeDumpOf(E3_LEAVES, e3);
const E3_BLOB = JSON.stringify(E3_DUMP);
const BLOB_ID = "orGaXuTN-hxHTViVALqcbFN8Cv6fxjaC3OUqg1ZjvZY";

/** A leaf as the API returns it. */
const apiLeafOf = (leaf: ExactLeaf | E3Leaf): ApiLeaf => ({
  ...leaf,
  timestamp: isoOf(leaf.timestamp.toString()),
  amount: "amount" in leaf ? leaf.amount.toString() : null,
  paymentId: "paymentId" in leaf ? leaf.paymentId : null,
});

const batchSubject = (i: number, { encoding = "exact" as "exact" | "e3" } = {}): BrowserSubject => {
  const leaf = encoding === "exact" ? EXACT_LEAVES[i]! : E3_LEAVES[i]!;
  return {
    kind: "batch",
    merkleRoot: (encoding === "exact" ? EXACT_DUMP : E3_DUMP).tree[0],
    blobId: BLOB_ID,
    leafIndex: i,
    leaf: apiLeafOf(leaf),
    inferenceId: vectors.receipts[i]!.inferenceId,
    publicKey: PUBLIC_KEY,
  };
};

describe("verifyInBrowser", () => {
  test("default: every leaf of a valid blob passes inclusion and attestation", async () => {
    for (const encoding of ["exact", "e3"] as const)
      for (const i of [0, 1, 2]) {
        const result = await verifyInBrowser(
          batchSubject(i, { encoding }),
          encoding === "exact" ? EXACT_BLOB : E3_BLOB,
        );
        expect(result.inclusion.status).toBe("pass");
        expect(result.attestation).toEqual({
          status: "pass",
          reason: "The RSA-PSS signature verifies with the registered public key.",
        });
        expect(result.tampered).toBeNull();
      }
    const { inclusion } = await verifyInBrowser(batchSubject(2), EXACT_BLOB);
    expect(inclusion.reason).toBe(
      `Leaf 2 of 3 hashes to ${exact.leafHashOf(EXACT_LEAVES[2]!)}, which is in the blob's tree; with its 1-step proof it gives the event's merkleRoot.`,
    );
  });

  test("behavior: a tampered blob fails inclusion", async () => {
    const result = await verifyInBrowser(batchSubject(0), EXACT_BLOB, "blob");
    expect(result.tampered).toBe("one hex digit of the leaf's first value in the blob");
    expect(result.inclusion.status).toBe("fail");
    expect(result.inclusion.reason).toMatch(/^The blob is not a valid tree dump: Blob value 0 does not hash to tree\[/);
    // The signature is checked against the API's leaf and the registry's key, not the blob: it still verifies.
    expect(result.attestation.status).toBe("pass");
  });

  test("behavior: a wrong root fails inclusion", async () => {
    const result = await verifyInBrowser(batchSubject(1), EXACT_BLOB, "root");
    expect(result.inclusion).toEqual({
      status: "fail",
      reason: `The blob's 3 EXACT leaves rebuild root ${EXACT_DUMP.tree[0]}, not the event's merkleRoot ${flipHexDigit(EXACT_DUMP.tree[0]!)}.`,
    });
  });

  test("behavior: a tampered signature fails attestation (and no longer matches the blob's leaf)", async () => {
    const result = await verifyInBrowser(batchSubject(0), EXACT_BLOB, "signature");
    expect(result.attestation).toEqual({
      status: "fail",
      reason: "The RSA-PSS signature does not verify with the registered public key.",
    });
    expect(result.inclusion).toEqual({
      status: "fail",
      reason: "No leaf of the blob has the values the indexer reports for leaf 0.",
    });
  });

  test("behavior: a blob the API has not archived cannot be re-checked, which is not a failure", async () => {
    const result = await verifyInBrowser(batchSubject(0), null);
    expect(result.inclusion).toEqual({
      status: "na",
      reason: `Blob ${BLOB_ID} is not archived by this Settlescan yet (pending or expired): inclusion cannot be re-checked until it is.`,
    });
    expect(result.attestation.status).toBe("pass");
    expect((await verifyInBrowser(batchSubject(0), { error: "The API is down." })).inclusion).toEqual({
      status: "na",
      reason: `Blob ${BLOB_ID} could not be fetched: The API is down.`,
    });
  });
});

describe("checkInclusionInBrowser", () => {
  test("behavior: the leaf is found by its values when the index is off", () => {
    const check = checkInclusionInBrowser({ ...batchSubject(1), leafIndex: 0 }, EXACT_BLOB);
    expect(check.status).toBe("pass");
    expect(check.reason).toMatch(/^Leaf 1 of 3/);
  });

  test("behavior: a blob leaf settling another inference fails", () => {
    const other = vectors.receipts[1]!.inferenceId;
    expect(checkInclusionInBrowser({ ...batchSubject(0), inferenceId: other }, EXACT_BLOB)).toEqual({
      status: "fail",
      reason: `Leaf 0 of the blob settles inference ${vectors.receipts[0]!.inferenceId}, not ${other}.`,
    });
  });

  test("behavior: a leaf the blob does not hold fails", () => {
    const leaf = { ...apiLeafOf(EXACT_LEAVES[0]!), amount: "999999" };
    expect(checkInclusionInBrowser({ ...batchSubject(0), leaf }, EXACT_BLOB).status).toBe("fail");
  });

  test("behavior: a legacy E1 batch is re-checked from its hashes", () => {
    const leaves: E1Leaf[] = EXACT_LEAVES.map(({ inputHash, outputHash }) => ({
      encoding: "e1",
      inputHash,
      outputHash,
    }));
    const dump = treeDumpOf(leaves, e1);
    const subject: BrowserSubject = {
      kind: "batch",
      merkleRoot: dump.tree[0],
      blobId: BLOB_ID,
      leafIndex: 1,
      leaf: { encoding: "e1", inputHash: leaves[1]!.inputHash, outputHash: leaves[1]!.outputHash },
      publicKey: null,
    };
    expect(checkInclusionInBrowser(subject, JSON.stringify(dump)).status).toBe("pass");
    expect(checkInclusionInBrowser({ ...subject, blobId: null }, null)).toEqual({
      status: "na",
      reason: "A v1 batch names no blob: its leaves cannot be read, so inclusion cannot be re-checked.",
    });
  });

  test("args: a blob that is not a tree dump fails, never throws", () => {
    expect(checkInclusionInBrowser(batchSubject(0), "<html>")).toEqual({
      status: "fail",
      reason: 'The blob is not a valid tree dump: Blob is not JSON (6 characters, starting "<html>").',
    });
  });

  describe("individual settlements", () => {
    const leaf = E3_LEAVES[0]!;
    const subject: BrowserSubject = {
      kind: "individual",
      merkleRoot: null,
      blobId: BLOB_ID,
      leafIndex: 0,
      leaf: apiLeafOf(leaf),
      publicKey: PUBLIC_KEY,
    };
    const blobWith = (signature: string) =>
      individualBlobOf({
        input: { model: "m", messages: [] },
        output: { tee_request_hash: leaf.inputHash.slice(2), tee_output_hash: leaf.outputHash.slice(2) },
        teeSignature: btoa(String.fromCharCode(...Buffer.from(signature.slice(2), "hex"))),
        teeId: leaf.teeId,
        timestamp: leaf.timestamp,
        ethAddress: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      });

    test("default: the event is the leaf, and it matches its blob", () => {
      expect(checkInclusionInBrowser(subject, blobWith(leaf.signature))).toEqual({
        status: "pass",
        reason:
          "Individual settlement: the event's fields are the leaf, so it is included by construction, and they match its blob.",
      });
    });

    test("behavior: without its blob, included by construction", () => {
      expect(checkInclusionInBrowser(subject, null).reason).toBe(
        "Individual settlement: the event's fields are the leaf, so it is included by construction; its blob is not archived here, so it was not compared.",
      );
    });

    test("behavior: an event that differs from its blob fails", () => {
      expect(checkInclusionInBrowser(subject, blobWith(flipHexDigit(leaf.signature)))).toEqual({
        status: "fail",
        reason: "The event's signature differs from its blob's.",
      });
    });
  });
});

describe("checkAttestationInBrowser", () => {
  const leaf = apiLeafOf(E3_LEAVES[0]!);

  test("behavior: a changed output hash fails", async () => {
    const changed = { ...leaf, outputHash: flipHexDigit(leaf.outputHash) };
    expect((await checkAttestationInBrowser({ leaf: changed, publicKey: PUBLIC_KEY })).status).toBe("fail");
  });

  test("behavior: an enclave no registry registered", async () => {
    expect(await checkAttestationInBrowser({ leaf, publicKey: null })).toEqual({
      status: "fail",
      reason: `Enclave ${TEE_ID} is not in the TEE registry.`,
    });
  });

  test("behavior: a key that does not hash to the teeId", async () => {
    const other = { ...leaf, teeId: flipHexDigit(TEE_ID) };
    expect((await checkAttestationInBrowser({ leaf: other, publicKey: PUBLIC_KEY })).reason).toBe(
      `The registered public key hashes to ${TEE_ID}, not to teeId ${other.teeId}.`,
    );
  });

  test("behavior: legacy leaves say why nothing can be verified", async () => {
    const legacy = { encoding: "e2" as const, inputHash: leaf.inputHash, outputHash: leaf.outputHash };
    expect(await checkAttestationInBrowser({ leaf: legacy, publicKey: null })).toMatchInlineSnapshot(`
      {
        "reason": "An E2 leaf holds a digest of the signature, not the signature nor the enclave's id: it cannot be verified.",
        "status": "na",
      }
    `);
  });
});

test("checkBatchRoot: the root from the blob's own leaves", () => {
  expect(checkBatchRoot({ blob: E3_BLOB, merkleRoot: E3_DUMP.tree[0] })).toMatchObject({
    status: "pass",
    reason: `The blob's 3 E3 leaves rebuild the event's merkleRoot ${E3_DUMP.tree[0]}.`,
  });
  expect(checkBatchRoot({ blob: E3_BLOB, merkleRoot: null }).status).toBe("fail");
});

test("tamperedBlobOf: changes one digit of the leaf's first value", () => {
  const tampered = JSON.parse(tamperedBlobOf(E3_BLOB, 1)) as typeof E3_DUMP;
  expect(tampered.values[1]!.value[0]).toBe(flipHexDigit(E3_DUMP.values[1]!.value[0]!));
  expect(tampered.tree).toEqual(E3_DUMP.tree);
  expect(tamperedBlobOf("not json 0xab", 0)).toBe("not json 0xbb");
});

test("secondsOf: the signed uint256 from ISO chain time", () => {
  expect(secondsOf(isoOf("1767225600"))).toBe(1767225600n);
  expect(secondsOf("yesterday")).toBeNull();
  expect(inferenceIdOf({ ...E3_LEAVES[0]!, timestamp: secondsOf(leafTimestamp())! })).toBe(
    vectors.receipts[0]!.inferenceId,
  );
});

const leafTimestamp = () => isoOf(vectors.receipts[0]!.leaf.timestamp);
