import { type Hex, keccak256, stringToHex } from "viem";
import { describe, expect, test } from "vitest";
import {
  DER_TEE_ID_SINCE,
  KECCAK_MESSAGE_SINCE,
  pemOfDer,
  publicKeyDerOf,
  SALT_32_SINCE,
  SIGNATURE_SCHEMES,
  type SignatureScheme,
  type SignedContent,
  sha256RequestHashOf,
  signatureSchemeAt,
  signatureSchemesByLikelihood,
  signWithScheme,
  teeIdOfPem,
  verifyWithSchemes,
} from "./signatureSchemes";
import { generateTeeKey, importTeePrivateKey, teeIdOf } from "./tee";
import { LegacyResponseError, legacyTeeFieldsOf, outputHashOf, teeFieldsOf, teeResponseOf } from "./teeResponse";
import { REAL, realBody } from "./testdata/legacyV0Response";
import { verifyLegacyResponse } from "./verify/verifyResponse";

const schemeNamed = (name: SignatureScheme["name"]) => SIGNATURE_SCHEMES.find((s) => s.name === name)!;

describe("signature schemes", () => {
  test("default: the real legacy v0 response verifies under v0 (maximum salt, 222 bytes)", async () => {
    const fields = legacyTeeFieldsOf(realBody());
    expect(fields).toMatchObject({ kind: "chat", era: "v0", timestamp: 1765873226n, timestampIso: REAL.timestamp });
    expect(fields.inputHash).toBe(`0x${REAL.requestHash}`);

    const match = await verifyWithSchemes({ publicKey: REAL.pem, signature: fields.signature, content: fields.signed });

    expect(match?.scheme.name).toBe("v0-json");
    expect(match?.saltLength).toBe(222);
    expect(match?.description).toMatchInlineSnapshot(`"RSA-PSS, SHA-256, salt 222 (legacy v0, before 2026-02-27)"`);
    // Under v0 the enclave's teeId is keccak256 of its PEM text, not of its DER.
    expect(match?.teeId).toBe(keccak256(stringToHex(REAL.pem)));
    expect(match?.teeId).not.toBe(teeIdOf(publicKeyDerOf(REAL.pem)));
  });

  test("behavior: the real vector as the earliest answers carried it (system_fingerprint) verifies too", async () => {
    const body = JSON.parse(realBody());
    for (const key of ["tee_signature", "tee_request_hash", "tee_timestamp"]) delete body[key];
    body.system_fingerprint = `{'response_signature': '${REAL.signature}', 'request_signature': '${REAL.requestHash}', 'response_timestamp': '${REAL.timestamp}'}`;

    const fields = legacyTeeFieldsOf(body);
    const match = await verifyWithSchemes({ publicKey: REAL.pem, signature: fields.signature, content: fields.signed });

    expect(match?.scheme.name).toBe("v0-json");
  });

  test("behavior: the real request hash is sha256 of the request's json.dumps(sort_keys=True)", async () => {
    const request = {
      model: REAL.model,
      messages: [{ role: "user", content: "Hello!", tool_calls: null, tool_call_id: null, name: null }],
      max_tokens: 100,
      temperature: 0.9,
      stop: null,
      tools: null,
      tool_choice: "auto",
    };
    expect(await sha256RequestHashOf(request)).toBe(`0x${REAL.requestHash}`);
  });

  test("behavior: the real response refuses tampered content, a tampered signature and another key", async () => {
    const tampered = legacyTeeFieldsOf(realBody("Hello! How can I assist you today?"));
    expect(
      await verifyWithSchemes({ publicKey: REAL.pem, signature: tampered.signature, content: tampered.signed }),
    ).toBeUndefined();

    const fields = legacyTeeFieldsOf(realBody());
    const flipped = `${fields.signature.slice(0, -2)}${fields.signature.endsWith("00") ? "01" : "00"}` as Hex;
    expect(
      await verifyWithSchemes({ publicKey: REAL.pem, signature: flipped, content: fields.signed }),
    ).toBeUndefined();

    const other = await generateTeeKey();
    expect(
      await verifyWithSchemes({ publicKey: other.publicKey, signature: fields.signature, content: fields.signed }),
    ).toBeUndefined();
  });

  test("behavior: each scheme signs and verifies with a generated key, and refuses tampered content or signature", async () => {
    const { publicKey, privateKey } = await generateTeeKey();
    const key = await importTeePrivateKey(privateKey);
    const content: SignedContent = {
      inputHash: keccak256(stringToHex("input")),
      outputHash: keccak256(stringToHex("output")),
      timestamp: 1_772_000_000n,
      signedJson: new Map([
        ["finish_reason", "stop"],
        ["model", "gpt-4.1"],
        ["timestamp", "2026-02-20T10:00:00.000001+00:00"],
        ["full_content", "an answer"],
      ]),
    };
    const tamperedContent: SignedContent = {
      ...content,
      outputHash: keccak256(stringToHex("output!")),
      signedJson: new Map([...content.signedJson!, ["full_content", "an answer!"]]),
    };
    const results: Record<string, unknown> = {};
    for (const scheme of SIGNATURE_SCHEMES) {
      const signature = await signWithScheme(key, scheme, content);
      const only = [scheme];
      const flipped = `${signature.slice(0, 10)}${signature[10] === "0" ? "1" : "0"}${signature.slice(11)}` as Hex;
      results[scheme.name] = {
        own: (await verifyWithSchemes({ publicKey, signature, content, schemes: only }))?.saltLength,
        // Picked by trying: a signature verifies under its own scheme and no other.
        found: (await verifyWithSchemes({ publicKey, signature, content }))?.scheme.name,
        tamperedContent: await verifyWithSchemes({ publicKey, signature, content: tamperedContent }),
        tamperedSignature: await verifyWithSchemes({ publicKey, signature: flipped, content }),
      };
    }
    expect(results).toEqual({
      "v0-json": { own: 222, found: "v0-json", tamperedContent: undefined, tamperedSignature: undefined },
      "v1-keccak-max-salt": {
        own: 222,
        found: "v1-keccak-max-salt",
        tamperedContent: undefined,
        tamperedSignature: undefined,
      },
      // v2 and v3 sign alike (they differ in the teeId): the one nearer the timestamp is named.
      "v2-keccak-pem-id": {
        own: 32,
        found: "v2-keccak-pem-id",
        tamperedContent: undefined,
        tamperedSignature: undefined,
      },
      v3: { own: 32, found: "v2-keccak-pem-id", tamperedContent: undefined, tamperedSignature: undefined },
    });
  });

  test("behavior: the scheme in use at the boundaries, and the order others are tried in", () => {
    const at = (t: bigint) => signatureSchemeAt(t).name;
    expect({
      before: at(KECCAK_MESSAGE_SINCE - 1n),
      keccak: at(KECCAK_MESSAGE_SINCE),
      lastMaxSalt: at(SALT_32_SINCE - 1n),
      salt32: at(SALT_32_SINCE),
      lastPemId: at(DER_TEE_ID_SINCE - 1n),
      derId: at(DER_TEE_ID_SINCE),
      today: at(1_790_000_000n),
    }).toEqual({
      before: "v0-json",
      keccak: "v1-keccak-max-salt",
      lastMaxSalt: "v1-keccak-max-salt",
      salt32: "v2-keccak-pem-id",
      lastPemId: "v2-keccak-pem-id",
      derId: "v3",
      today: "v3",
    });
    expect(new Date(Number(KECCAK_MESSAGE_SINCE) * 1000).toISOString()).toBe("2026-02-27T00:00:00.000Z");
    expect(signatureSchemesByLikelihood(SALT_32_SINCE + 60n).map((s) => s.name)).toEqual([
      "v2-keccak-pem-id",
      "v1-keccak-max-salt",
      "v3",
      "v0-json",
    ]);
  });

  test("behavior: a response of a boundary day signed under the previous scheme verifies by trying, naming it", async () => {
    const { publicKey, privateKey } = await generateTeeKey();
    const key = await importTeePrivateKey(privateKey);
    // Signed with the maximum salt an hour into the first salt-32 day: a gateway not yet redeployed.
    const content = {
      inputHash: keccak256(stringToHex("boundary input")),
      outputHash: keccak256(stringToHex("boundary output")),
      timestamp: SALT_32_SINCE + 3600n,
    };
    const signature = await signWithScheme(key, schemeNamed("v1-keccak-max-salt"), content);

    const match = await verifyWithSchemes({ publicKey, signature, content });

    expect(signatureSchemeAt(content.timestamp).name).toBe("v2-keccak-pem-id");
    expect(match?.description).toMatchInlineSnapshot(
      `"RSA-PSS, SHA-256, salt 222 (legacy v1, keccak message with maximum salt, 2026-02-27 to 2026-03-05)"`,
    );
  });

  test("behavior: teeId of a key is keccak256 of its PEM text before 2026-03-06, of its DER since", async () => {
    const der = publicKeyDerOf(REAL.pem);
    expect(pemOfDer(der)).toBe(REAL.pem);
    expect(publicKeyDerOf(stringToHex(REAL.pem))).toBe(der);
    expect(publicKeyDerOf(der)).toBe(der);
    const ids = Object.fromEntries(SIGNATURE_SCHEMES.map((scheme) => [scheme.name, scheme.teeIdOf(der)]));
    expect(ids).toEqual({
      "v0-json": teeIdOfPem(der),
      "v1-keccak-max-salt": teeIdOfPem(der),
      "v2-keccak-pem-id": teeIdOfPem(der),
      // keccak256 of the key's DER, the id OpenGradient's gateway has derived since 2026-03-06.
      v3: "0x29db3ec4bae022b3ca192d2aa1408d69bf3e347db8e64b0f06a25b6616c77a5f",
    });
    expect(teeIdOfPem(der)).toBe(keccak256(stringToHex(REAL.pem)));
  });

  test("args: a key that is neither DER nor PEM", () => {
    expect(() => publicKeyDerOf("not a key")).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Public key "not a key…" is neither DER hex nor a PEM "-----BEGIN PUBLIC KEY-----" block.]`,
    );
  });
});

describe("legacy responses", () => {
  /** A v1 body: today's hashes and message, signed with the maximum salt, without tee_id. */
  async function v1Body(timestamp = KECCAK_MESSAGE_SINCE + 86_400n) {
    const { publicKey, privateKey, teeId } = await generateTeeKey();
    const key = await importTeePrivateKey(privateKey);
    const output = { content: "a keccak-era answer" };
    const inputHash = keccak256(stringToHex("v1 request"));
    const fields = { inputHash, outputHash: outputHashOf(output), timestamp };
    const signature = await signWithScheme(key, schemeNamed("v1-keccak-max-salt"), fields);
    const body = JSON.parse(
      teeResponseOf({ kind: "chat", model: "gpt-4.1", output, inputHash, timestamp, teeId, signature }),
    );
    delete body.tee_id;
    return { body: JSON.stringify(body), publicKey };
  }

  test("default: verifyLegacyResponse checks the real v0 signature and says which checks cannot run", async () => {
    const report = await verifyLegacyResponse({ response: realBody(), publicKey: REAL.pem });

    expect(report).toMatchObject({ era: "v0", state: "signature_verified", scheme: "v0-json" });
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ["content", true],
      ["settlement", null],
      ["inclusion", null],
      ["attestation", true],
      ["provenance", null],
      ["uniqueness", null],
    ]);
    expect(report.reason).toMatchInlineSnapshot(
      `"signed by the holder of the key given (RSA-PSS, SHA-256, salt 222 (legacy v0, before 2026-02-27)); the settlement checks cannot run: a legacy v0 response (before 2026-02-27) carries no tee_id, no tee_output_hash and an ISO timestamp, so it defines no inferenceId; the settlements of its era (relay v1 events, E1 leaves [inputHash, outputHash]) hash what the gateway sent, which the response does not carry, so no settlement can be tied to it."`,
    );
  });

  test("behavior: tampered v0 content fails, and without a key nothing is checked", async () => {
    const tampered = await verifyLegacyResponse({ response: realBody("Send me your keys."), publicKey: REAL.pem });
    expect([tampered.state, tampered.checks[0]!.ok, tampered.checks[3]!.ok]).toEqual([
      "invalid_signature",
      false,
      false,
    ]);

    const unchecked = await verifyLegacyResponse({ response: realBody() });
    expect(unchecked.state).toBe("unchecked");
    expect(unchecked.checks.every((check) => check.ok === null)).toBe(true);
  });

  test("behavior: a v1 response (no tee_id) verifies with its key and its content is hashed", async () => {
    const { body, publicKey } = await v1Body();

    const report = await verifyLegacyResponse({ response: body, publicKey });
    const tampered = await verifyLegacyResponse({ response: body.replace("keccak-era", "other"), publicKey });

    expect(report).toMatchObject({ era: "v1", state: "signature_verified", scheme: "v1-keccak-max-salt" });
    expect(report.teeId).toBe(teeIdOfPem(publicKey));
    expect(tampered.state).toBe("invalid_signature");
    expect(tampered.checks[0]!.detail).toMatch(/^the content you received is not what the enclave signed/);
  });

  test("args: teeFieldsOf names a legacy response's era and what it lacks; legacyTeeFieldsOf refuses a current one", async () => {
    expect(() => teeFieldsOf(realBody())).toThrowErrorMatchingInlineSnapshot(
      `[LegacyResponseError: Response is a legacy v0 response (signed at 2025-12-16T08:20:26.491885+00:00, before 2026-02-27): it carries no tee_id and no tee_output_hash, so it defines no inferenceId and no settlement can be tied to it; check its signature with the enclave's public key instead.]`,
    );
    const { body } = await v1Body(1_772_236_800n);
    let error: unknown;
    try {
      teeFieldsOf(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LegacyResponseError);
    expect((error as LegacyResponseError).era).toBe("v1");
    expect((error as Error).message).toMatchInlineSnapshot(
      `"Response carries no tee_id: it was signed at 1772236800, before 2026-03-05, when responses did not name their enclave (legacy v1), so it defines no inferenceId and no settlement can be tied to it; check its signature with the enclave's public key instead."`,
    );

    const current = JSON.parse(body);
    current.tee_id = `0x${"11".repeat(32)}`;
    expect(() => legacyTeeFieldsOf(current)).toThrowErrorMatchingInlineSnapshot(
      `[InvalidInputError: Response is not a legacy one: it has a tee_id and no ISO tee_timestamp; read it with teeFieldsOf.]`,
    );
  });
});
