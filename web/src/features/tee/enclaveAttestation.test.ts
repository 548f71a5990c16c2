import { expect, test } from "vitest";
import { enclaveAttestationViewOf } from "./enclaveAttestation";

test("default: a verified document shows a pass badge and no reasons", () => {
  expect(enclaveAttestationViewOf({ result: "verified", reasons: [] })).toMatchInlineSnapshot(`
    {
      "detail": "",
      "label": "AWS-verified",
      "meaning": "AWS signed the attestation document, valid at registration, and it commits to the registered key",
      "status": "pass",
    }
  `);
});

test("behavior: an unverifiable document shows why (the devnet's are not signed by AWS)", () => {
  expect(
    enclaveAttestationViewOf({
      result: "unverifiable",
      reasons: ["not an AWS Nitro attestation document: the devnet's documents are not signed by AWS"],
    }),
  ).toMatchInlineSnapshot(`
    {
      "detail": "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS",
      "label": "Unverifiable",
      "meaning": "Not an AWS Nitro document, or not in the registration transaction",
      "status": "na",
    }
  `);
});

test("behavior: a failed document shows every reason", () => {
  const view = enclaveAttestationViewOf({
    result: "failed",
    reasons: ["its COSE_Sign1 signature does not verify", "its user data binds no key"],
  });
  expect([view.status, view.label, view.detail]).toMatchInlineSnapshot(`
    [
      "fail",
      "Failed",
      "its COSE_Sign1 signature does not verify; its user data binds no key",
    ]
  `);
});
