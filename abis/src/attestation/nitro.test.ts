import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bytesToHex, type Hex, sha256 } from "viem";
import { describe, expect, test } from "vitest";
import { devnetAttestationDocumentOf, pcrHashOf } from "../devnetAttestation";
import { AWS_NITRO_ROOT_CERTIFICATE_PEM, AWS_NITRO_ROOT_CERTIFICATE_SHA256 } from "./awsNitroRoot";
import { type CborMap, type CborValue, decodeCbor, encodeCbor } from "./cbor";
import { decodeCoseSign1 } from "./cose";
import { parseNitroAttestationDocument, verifyNitroAttestation } from "./nitro";
import { certificateChainFailures, certificateDerOf, parseCertificate } from "./x509";

// A real AWS Nitro attestation document, produced by an OpenGradient enclave on 2026-02-12: og-evm
// `precompiles/tee/testdata/attestation_doc.bin` (base64 of the COSE_Sign1 bytes), commit 3a0daf71985204e476558745cc6dd984480b1de0.
const DOCUMENT = Uint8Array.from(
  Buffer.from(readFileSync(join(import.meta.dirname, "nitroAttestationDocument.b64"), "utf8").trim(), "base64"),
);
const ROOT = AWS_NITRO_ROOT_CERTIFICATE_PEM;
const message = decodeCoseSign1(DOCUMENT);
const payload = decodeCbor(message.payload) as CborMap;
const cabundle = payload.get("cabundle") as Uint8Array[];

/** The document with its payload map changed by `edit` (its signature, over the original payload, kept). */
function withPayload(edit: (payload: CborMap) => void): Uint8Array {
  const copy: CborMap = new Map(payload);
  edit(copy);
  return encodeCbor([message.protectedHeader, message.unprotectedHeader, encodeCbor(copy), message.signature]);
}

function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack).indexOf(Buffer.from(needle));
}

describe("the real document (og-evm testdata)", () => {
  test("default: verifies against the AWS root as of its own timestamp", async () => {
    const verification = await verifyNitroAttestation(DOCUMENT, { rootCertificate: ROOT });
    expect(verification).toMatchInlineSnapshot(`
      {
        "certificatesCheckedAt": 2026-02-12T17:56:02.724Z,
        "checks": {
          "chain": true,
          "pcrApproved": null,
          "signature": true,
          "userDataBindsKey": null,
        },
        "moduleId": "i-0340e0cb833504eb6-enc019c12d31f78864d",
        "nonce": "0x0123456789abcdef0123456789abcdef01234567",
        "pcrHash": "0x8082af22571613eabd5dad9c7e857c4f16154ded3d387386d8193b53906f6a24",
        "pcrs": {
          "pcr0": "0x9baef83909784e4d2cb84466c02931bb8125e948b62029029e80bfa1698bfd7069408e4ab20d1c99c859e8f774cce0ff",
          "pcr1": "0x4b4d5b3661b3efc12920900c80e126e4ce783c522de6c02a2a5bf7af3a2b9327b86776f188e4be1c1c404a129dbda493",
          "pcr2": "0x769925c8ae0c5c2d1aa86de149213b1c5dec642557bf0c426c6581f0e562a042d1c7d2578443515d103f74ce55337666",
        },
        "publicKey": "0x64756d6d79",
        "reasons": [],
        "result": "verified",
        "timestamp": 2026-02-12T17:56:02.724Z,
        "userData": "0x1220b735546536e78ee12beea2d384fcda35f7491446c6858f79fa7ad5e4ae89b49f1220abf9d7453422eb419fc1391604b070a81bd6a61f4d9ae0ee71ab24d77670c154",
        "userDataHashes": {
          "signingKeyHash": "0xabf9d7453422eb419fc1391604b070a81bd6a61f4d9ae0ee71ab24d77670c154",
          "tlsCertificateHash": "0xb735546536e78ee12beea2d384fcda35f7491446c6858f79fa7ad5e4ae89b49f",
        },
      }
    `);
    // The registry's pcrHash, computed independently (OpenGradient's published PCR hash for this document).
    expect(pcrHashOf(verification.pcrs!)).toBe("0x8082af22571613eabd5dad9c7e857c4f16154ded3d387386d8193b53906f6a24");
    expect(verification.timestamp?.toISOString().slice(0, 19)).toBe("2026-02-12T17:56:02");
  });

  test("behavior: a verification takes a few milliseconds", async () => {
    await verifyNitroAttestation(DOCUMENT, { rootCertificate: ROOT });
    const runs = 20;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await verifyNitroAttestation(DOCUMENT, { rootCertificate: ROOT });
    const each = (performance.now() - started) / runs;
    console.log(`verifyNitroAttestation: ${each.toFixed(2)} ms per document (mean of ${runs}, 6 ECDSA P-384 checks)`);
    expect(each).toBeLessThan(250);
  });

  test("behavior: the trusted root is AWS's (its documented fingerprint) and the document's bundle starts with it", async () => {
    const der = certificateDerOf(ROOT);
    expect(sha256(der)).toBe(AWS_NITRO_ROOT_CERTIFICATE_SHA256);
    expect(bytesToHex(cabundle[0]!)).toBe(bytesToHex(der));
  });

  test("behavior: the certificate fields agree with Node's X509Certificate", async () => {
    for (const der of [...cabundle, payload.get("certificate") as Uint8Array]) {
      const ours = parseCertificate(der);
      const node = new X509Certificate(der);
      expect(ours.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
      expect(ours.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
      expect(ours.commonName).toBe(/CN=(.*)/.exec(node.subject)?.[1]);
      expect(ours.isCa).toBe(node.ca);
      expect(ours.curve).toBe("P-384");
      expect(bytesToHex(ours.subjectPublicKeyInfo)).toBe(
        bytesToHex(node.publicKey.export({ type: "spki", format: "der" })),
      );
    }
    expect(parseCertificate(payload.get("certificate") as Uint8Array).subjectName).toMatchInlineSnapshot(
      `"CN=i-0340e0cb833504eb6-enc019c12d31f78864d.us-east-2.aws, OU=AWS, O=Amazon, L=Seattle, ST=Washington, C=US"`,
    );
  });

  test("behavior: certificates are checked as of `at`: a day later the document's certificate has expired", async () => {
    const verification = await verifyNitroAttestation(DOCUMENT, {
      rootCertificate: ROOT,
      at: new Date("2026-02-13T18:00:00Z"),
    });
    expect(verification.result).toBe("failed");
    expect(verification.checks).toEqual({ signature: true, chain: false, userDataBindsKey: null, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its certificate chain fails: CA bundle certificate "i-0340e0cb833504eb6.us-east-2.aws.nitro-enclaves" is not valid on 2026-02-13T18:00:00.000Z (valid 2026-02-12T17:00:33.000Z to 2026-02-13T17:00:33.000Z)",
        "its certificate chain fails: the document's certificate "i-0340e0cb833504eb6-enc019c12d31f78864d.us-east-2.aws" is not valid on 2026-02-13T18:00:00.000Z (valid 2026-02-12T17:55:59.000Z to 2026-02-12T20:56:02.000Z)",
      ]
    `);
  });
});

describe("tampered copies fail", () => {
  test("behavior: a flipped payload byte breaks the signature", async () => {
    const nonce = payload.get("nonce") as Uint8Array;
    const verification = await verifyNitroAttestation(flipped(DOCUMENT, indexOf(DOCUMENT, nonce) + 3), {
      rootCertificate: ROOT,
    });
    expect(verification.result).toBe("failed");
    expect(verification.nonce).toBe("0x0123456689abcdef0123456789abcdef01234567");
    expect(verification.checks).toEqual({ signature: false, chain: true, userDataBindsKey: null, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its signature does not verify: the COSE_Sign1 signature does not verify with the public key of the document's certificate",
      ]
    `);
  });

  test("behavior: a flipped signature byte", async () => {
    const verification = await verifyNitroAttestation(flipped(DOCUMENT, DOCUMENT.length - 10), {
      rootCertificate: ROOT,
    });
    expect(verification.result).toBe("failed");
    expect(verification.checks.signature).toBe(false);
    expect(verification.checks.chain).toBe(true);
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its signature does not verify: the COSE_Sign1 signature does not verify with the public key of the document's certificate",
      ]
    `);
  });

  test("behavior: a CA bundle certificate removed", async () => {
    const document = withPayload((copy) => copy.set("cabundle", [cabundle[0]!, cabundle[1]!, cabundle[3]!]));
    const verification = await verifyNitroAttestation(document, { rootCertificate: ROOT });
    expect(verification.result).toBe("failed");
    expect(verification.checks).toEqual({ signature: false, chain: false, userDataBindsKey: null, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its signature does not verify: the COSE_Sign1 signature does not verify with the public key of the document's certificate",
        "its certificate chain fails: CA bundle certificate "i-0340e0cb833504eb6.us-east-2.aws.nitro-enclaves" is not issued by CA bundle certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" (issuer names differ)",
      ]
    `);
  });

  test("behavior: a CA bundle certificate replaced by another", async () => {
    const document = withPayload((copy) =>
      copy.set("cabundle", [cabundle[0]!, cabundle[1]!, cabundle[1]!, cabundle[3]!]),
    );
    const verification = await verifyNitroAttestation(document, { rootCertificate: ROOT });
    expect(verification.result).toBe("failed");
    expect(verification.checks).toEqual({ signature: false, chain: false, userDataBindsKey: null, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its signature does not verify: the COSE_Sign1 signature does not verify with the public key of the document's certificate",
        "its certificate chain fails: CA bundle certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" is not issued by CA bundle certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" (issuer names differ)",
        "its certificate chain fails: CA bundle certificate "i-0340e0cb833504eb6.us-east-2.aws.nitro-enclaves" is not issued by CA bundle certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" (issuer names differ)",
      ]
    `);
  });

  test("behavior: a certificate whose signature was made by another key", async () => {
    // Every name still matches; only the ECDSA check sees that another key made the signature.
    const leaf = parseCertificate(payload.get("certificate") as Uint8Array);
    const other = parseCertificate(cabundle[3]!);
    const failures = await certificateChainFailures({
      leaf: { ...leaf, signature: other.signature },
      bundle: cabundle.map(parseCertificate),
      root: parseCertificate(certificateDerOf(ROOT)),
      at: new Date("2026-02-12T17:56:02Z"),
    });
    expect(failures).toMatchInlineSnapshot(`
      [
        "the document's certificate "i-0340e0cb833504eb6-enc019c12d31f78864d.us-east-2.aws" is not signed by the key of "i-0340e0cb833504eb6.us-east-2.aws.nitro-enclaves"",
      ]
    `);
  });

  test("behavior: a wrong root", async () => {
    const wrongRoot = new X509Certificate(cabundle[1]!).toString();
    const verification = await verifyNitroAttestation(DOCUMENT, { rootCertificate: wrongRoot });
    expect(verification.result).toBe("failed");
    expect(verification.checks).toEqual({ signature: true, chain: false, userDataBindsKey: null, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its certificate chain fails: the root certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" allows 2 CAs below it; the chain has 4",
        "its certificate chain fails: CA bundle certificate "aws.nitro-enclaves" is not issued by the root certificate "fa81a085809d0853.us-east-2.aws.nitro-enclaves" (issuer names differ)",
      ]
    `);
  });
});

describe("key binding and PCR approval", () => {
  test("args: an expectedSigningKeyDer the user data does not commit to", async () => {
    const verification = await verifyNitroAttestation(DOCUMENT, {
      rootCertificate: ROOT,
      expectedSigningKeyDer: "0x3059301306072a8648ce3d020106082a8648ce3d03010703420004",
    });
    expect(verification.result).toBe("failed");
    expect(verification.checks).toEqual({ signature: true, chain: true, userDataBindsKey: false, pcrApproved: null });
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its user data commits to the signing key with SHA-256 0xabf9d7453422eb419fc1391604b070a81bd6a61f4d9ae0ee71ab24d77670c154, not to the registered key (SHA-256 0x1aa0ad0054afc2f841e72ddbadb37e06f52b5c7621679bbe60fe3aa4c461c594)",
      ]
    `);
  });

  test("args: an expectedTlsCertDer the user data does not commit to", async () => {
    const verification = await verifyNitroAttestation(DOCUMENT, {
      rootCertificate: ROOT,
      expectedTlsCertDer: cabundle[0]!,
    });
    expect(verification.checks.userDataBindsKey).toBe(false);
    expect(verification.reasons).toMatchInlineSnapshot(`
      [
        "its user data commits to the TLS certificate with SHA-256 0xb735546536e78ee12beea2d384fcda35f7491446c6858f79fa7ad5e4ae89b49f, not to the registered certificate (SHA-256 0x641a0321a3e244efe456463195d606317ed7cdcc3c1756e09893f3c68f79bb5b)",
      ]
    `);
  });

  test("behavior: user data in nitriding's layout binds the key and certificate it hashes", async () => {
    const signingKey = "0x30820122300d06092a864886f70d01010105000382010f00" as Hex;
    const tlsCertificate = "0x3082010a" as Hex;
    const userData = new Uint8Array(68);
    userData.set([0x12, 0x20], 0);
    userData.set(Buffer.from(sha256(tlsCertificate).slice(2), "hex"), 2);
    userData.set([0x12, 0x20], 34);
    userData.set(Buffer.from(sha256(signingKey).slice(2), "hex"), 36);
    const document = withPayload((copy) => copy.set("user_data", userData));
    const bound = await verifyNitroAttestation(document, {
      rootCertificate: ROOT,
      expectedSigningKeyDer: signingKey,
      expectedTlsCertDer: tlsCertificate,
    });
    // The payload changed, so AWS's signature no longer holds; the binding itself does.
    expect(bound.checks).toEqual({ signature: false, chain: true, userDataBindsKey: true, pcrApproved: null });
    expect(bound.userDataHashes).toEqual({
      signingKeyHash: sha256(signingKey),
      tlsCertificateHash: sha256(tlsCertificate),
    });

    const unbound = await verifyNitroAttestation(
      withPayload((copy) => copy.set("user_data", userData.subarray(0, 64))),
      { rootCertificate: ROOT, expectedSigningKeyDer: signingKey },
    );
    expect(unbound.checks.userDataBindsKey).toBe(false);
    expect(unbound.reasons.at(-1)).toMatchInlineSnapshot(
      `"its user data (64 bytes) is not nitriding's 0x1220 ‖ sha256(TLS certificate) ‖ 0x1220 ‖ sha256(signing key), so it binds no key"`,
    );
  });

  test("args: approvedPcrHashes", async () => {
    const approved = await verifyNitroAttestation(DOCUMENT, {
      rootCertificate: ROOT,
      approvedPcrHashes: ["0x8082AF22571613EABD5DAD9C7E857C4F16154DED3D387386D8193B53906F6A24"],
    });
    expect(approved.result).toBe("verified");
    expect(approved.checks.pcrApproved).toBe(true);

    const notApproved = await verifyNitroAttestation(DOCUMENT, {
      rootCertificate: ROOT,
      approvedPcrHashes: ["0xb4c9585138438b60a72e11257b3c8a96d20c621e53d016f27657285361f77e87"],
    });
    expect(notApproved.result).toBe("failed");
    expect(notApproved.checks).toEqual({ signature: true, chain: true, userDataBindsKey: null, pcrApproved: false });
    expect(notApproved.reasons).toMatchInlineSnapshot(`
      [
        "its pcrHash 0x8082af22571613eabd5dad9c7e857c4f16154ded3d387386d8193b53906f6a24 is not among the 1 approved PCR hashes",
      ]
    `);
  });
});

describe("documents that are not AWS Nitro documents", () => {
  test("behavior: the devnet's document is unverifiable", async () => {
    const document = devnetAttestationDocumentOf({
      pcr0: `0x${"01".repeat(48)}`,
      pcr1: `0x${"02".repeat(48)}`,
      pcr2: `0x${"03".repeat(48)}`,
      signingPublicKey: "0x30820122300d06092a864886f70d01010105000382010f00",
    });
    expect(await verifyNitroAttestation(document, { rootCertificate: ROOT })).toMatchInlineSnapshot(`
      {
        "checks": {
          "chain": null,
          "pcrApproved": null,
          "signature": null,
          "userDataBindsKey": null,
        },
        "reasons": [
          "not an AWS Nitro attestation document: the devnet's documents are not signed by AWS",
        ],
        "result": "unverifiable",
      }
    `);
  });

  test("args: bytes that are not COSE_Sign1, or not hex", async () => {
    const reasons = async (document: Uint8Array | Hex) =>
      (await verifyNitroAttestation(document, { rootCertificate: ROOT })).reasons;
    expect(await reasons("0x")).toMatchInlineSnapshot(`
      [
        "not an AWS Nitro attestation document: it is not a COSE_Sign1 message (CBOR input ends where an item was expected (at byte 0 of 0).)",
      ]
    `);
    expect(await reasons("0x8401020304")).toMatchInlineSnapshot(`
      [
        "not an AWS Nitro attestation document: it is not a COSE_Sign1 message (COSE_Sign1's protected header must be a byte string; got the value "1".)",
      ]
    `);
    expect(await reasons(DOCUMENT.subarray(0, 1000))).toMatchInlineSnapshot(`
      [
        "not an AWS Nitro attestation document: it is not a COSE_Sign1 message (CBOR item declares 4448 bytes but only 990 bytes follow (at byte 7 of 1000).)",
      ]
    `);
    expect(await reasons("nitro" as Hex)).toMatchInlineSnapshot(`
      [
        "not an AWS Nitro attestation document: "nitro" is not hex bytes",
      ]
    `);
    const noModule = withPayload((copy) => copy.delete("module_id"));
    expect(await reasons(noModule)).toMatchInlineSnapshot(`
      [
        "not an AWS Nitro attestation document: its COSE_Sign1 payload is not a Nitro document. It has no module_id (a non-empty text string).",
      ]
    `);
  });
});

describe("cbor", () => {
  test("default: round trip", () => {
    const value: CborValue = [
      0,
      23,
      24,
      -1,
      -25,
      2 ** 40,
      2n ** 64n - 1n,
      "Signature1",
      new Uint8Array([1, 2]),
      true,
      null,
      new Map<string | number, CborValue>([
        [1, -35],
        ["a", []],
      ]),
      { tag: 18, value: [] },
    ];
    expect(decodeCbor(encodeCbor(value))).toEqual(value);
    expect(bytesToHex(encodeCbor(["Signature1", new Uint8Array(), 1000]))).toBe("0x836a5369676e617475726531401903e8");
  });

  test("behavior: indefinite lengths (AWS writes the payload map so)", () => {
    expect(decodeCbor(Uint8Array.from([0xbf, 0x61, 0x61, 0x9f, 0x01, 0xff, 0xff]))).toEqual(new Map([["a", [1]]]));
    expect(decodeCbor(Uint8Array.from([0x5f, 0x41, 0x01, 0x42, 0x02, 0x03, 0xff]))).toEqual(new Uint8Array([1, 2, 3]));
    expect(parseNitroAttestationDocument(message.payload).cabundle).toHaveLength(4);
  });

  test("args: malformed input", () => {
    const error = (bytes: number[]) => {
      try {
        decodeCbor(Uint8Array.from(bytes));
      } catch (thrown) {
        return (thrown as Error).message;
      }
    };
    expect(error([0xbf, 0x01])).toMatchInlineSnapshot(`"CBOR input ends where an item was expected (at byte 2 of 2)."`);
    expect(error([0xa2, 0x01, 0x02, 0x01, 0x03])).toMatchInlineSnapshot(
      `"CBOR map repeats the key "1" (at byte 3 of 5)."`,
    );
    expect(error([0x01, 0x02])).toMatchInlineSnapshot(
      `"CBOR input goes on after the item: 1 more bytes (at byte 1 of 2)."`,
    );
    expect(error([0xfb, 0, 0, 0, 0, 0, 0, 0, 0])).toMatchInlineSnapshot(
      `"CBOR simple value or float (initial byte 0xfb) is not supported (at byte 0 of 9)."`,
    );
    expect(error([0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toMatchInlineSnapshot(
      `"CBOR item declares 18446744073709551615 items but only 0 bytes follow (at byte 0 of 9)."`,
    );
  });
});
