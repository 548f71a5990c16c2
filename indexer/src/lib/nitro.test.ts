import { readFileSync } from "node:fs";
import { devnetAttestationDocumentOf } from "@settlescan/abis";
import { bytesToHex, type Hex } from "viem";
import { expect, test } from "vitest";
import { enclaveAttestationOf } from "./nitro";

// A real AWS Nitro document (og-evm testdata, 2026-02-12T17:56:02Z), checked in beside abis' verifier.
const DOCUMENT = bytesToHex(
  Buffer.from(
    readFileSync(new URL("../../../abis/src/attestation/nitroAttestationDocument.b64", import.meta.url), "utf8").trim(),
    "base64",
  ),
);
// Not the key the document's user data commits to: its SHA-256 preimage is not published.
const PUBLIC_KEY: Hex = "0x30820122300d06092a864886f70d01010105000382010f00";
const AN_HOUR_LATER = 1_770_919_200n; // 2026-02-12T18:00:00Z
const A_DAY_LATER = 1_771_005_600n; // 2026-02-13T18:00:00Z

test("default: a registration whose transaction did not carry the document is unverifiable", async () => {
  expect(
    await enclaveAttestationOf(null, { publicKey: PUBLIC_KEY, registeredAt: AN_HOUR_LATER }),
  ).toMatchInlineSnapshot(`
    {
      "nitroReasons": [
        "the registration transaction did not carry the document",
      ],
      "nitroResult": "unverifiable",
    }
  `);
});

test("behavior: the devnet's document is unverifiable", async () => {
  const document = devnetAttestationDocumentOf({
    pcr0: `0x${"01".repeat(48)}`,
    pcr1: `0x${"02".repeat(48)}`,
    pcr2: `0x${"03".repeat(48)}`,
    signingPublicKey: PUBLIC_KEY,
  });
  expect(
    await enclaveAttestationOf(document, { publicKey: PUBLIC_KEY, registeredAt: AN_HOUR_LATER }),
  ).toMatchInlineSnapshot(`
    {
      "nitroReasons": [
        "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS",
      ],
      "nitroResult": "unverifiable",
    }
  `);
});

test("behavior: an AWS-signed document fails when its user data does not commit to the registered key", async () => {
  expect(
    await enclaveAttestationOf(DOCUMENT, { publicKey: PUBLIC_KEY, registeredAt: AN_HOUR_LATER }),
  ).toMatchInlineSnapshot(`
      {
        "nitroReasons": [
          "its user data commits to the signing key with SHA-256 0xabf9d7453422eb419fc1391604b070a81bd6a61f4d9ae0ee71ab24d77670c154, not to the registered key (SHA-256 0x1bdfab9a657d2ef25ff540bef938b0fb78808ee5f95b611df832f4f589d570b8)",
        ],
        "nitroResult": "failed",
      }
    `);
});

test("behavior: the certificates are checked as of the registration's block time", async () => {
  const { nitroResult, nitroReasons } = await enclaveAttestationOf(DOCUMENT, {
    publicKey: PUBLIC_KEY,
    registeredAt: A_DAY_LATER,
  });
  expect(nitroResult).toBe("failed");
  expect(nitroReasons.filter((reason) => reason.startsWith("its certificate chain fails"))).toMatchInlineSnapshot(`
    [
      "its certificate chain fails: CA bundle certificate "i-0340e0cb833504eb6.us-east-2.aws.nitro-enclaves" is not valid on 2026-02-13T18:00:00.000Z (valid 2026-02-12T17:00:33.000Z to 2026-02-13T17:00:33.000Z)",
      "its certificate chain fails: the document's certificate "i-0340e0cb833504eb6-enc019c12d31f78864d.us-east-2.aws" is not valid on 2026-02-13T18:00:00.000Z (valid 2026-02-12T17:55:59.000Z to 2026-02-12T20:56:02.000Z)",
    ]
  `);
});
