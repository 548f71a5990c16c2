import { paymentIdOf, USDC_ADDRESS_BASE, usdcAbi } from "@settlescan/abis";
import { HTTPFacilitatorClient } from "@x402/core/server";
import { parseEventLogs } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { CLIENTS, PAYEE } from "../accounts";
import { devnetClientOf } from "../deploy";
import { createExactPaymentPayload, createPayingFetch, requestCompletion } from "./client";
import { PaidRequestError } from "./errors";
import { exactAuthorizationOf, paymentIdOfPayment } from "./payment";
import { startTestDevnet, startTestServers, type TestDevnet, type TestServers } from "./testDevnet";
import { exactUsdcRequirementsOf } from "./usdc";

const [ALICE, BOB] = CLIENTS as [(typeof CLIENTS)[number], (typeof CLIENTS)[number]];

let devnet: TestDevnet;
let servers: TestServers;

beforeAll(async () => {
  devnet = await startTestDevnet();
  servers = await startTestServers(devnet);
}, 60_000);
afterAll(async () => {
  await servers?.close();
  await devnet?.stop();
});

describe("createExactPaymentPayload", () => {
  test("default: x402's facilitator verifies and settles the payload, with no resource server involved", async () => {
    const requirements = exactUsdcRequirementsOf({ payTo: PAYEE.address, amount: 2_500n });
    const payment = await createExactPaymentPayload({ account: BOB, requirements });
    const authorization = exactAuthorizationOf(payment);
    expect(payment).toMatchObject({ x402Version: 2, accepted: requirements });
    expect(authorization).toMatchObject({ from: BOB.address, to: PAYEE.address, value: 2_500n, validAfter: 0n });

    const facilitator = new HTTPFacilitatorClient({ url: servers.facilitatorUrl });
    expect(await facilitator.verify(payment, requirements)).toMatchObject({ isValid: true, payer: BOB.address });
    const settled = await facilitator.settle(payment, requirements);
    expect(settled).toMatchObject({ success: true, payer: BOB.address });

    const receipt = await devnetClientOf({ name: "base", ...devnet.deployment.chains.base }).getTransactionReceipt({
      hash: settled.transaction as `0x${string}`,
    });
    const [used] = parseEventLogs({ abi: usdcAbi, logs: receipt.logs, eventName: "AuthorizationUsed" });
    expect(used?.args).toEqual({ authorizer: BOB.address, nonce: authorization.nonce });
    expect(paymentIdOfPayment(payment)).toBe(
      paymentIdOf({ chainId: 8453, token: USDC_ADDRESS_BASE, payer: BOB.address, nonce: authorization.nonce }),
    );
  });

  test("behavior: a payload settles once; the facilitator refuses to replay it", async () => {
    const requirements = exactUsdcRequirementsOf({ payTo: PAYEE.address, amount: 1_000n });
    const payment = await createExactPaymentPayload({ account: ALICE, requirements });
    const facilitator = new HTTPFacilitatorClient({ url: servers.facilitatorUrl });
    expect((await facilitator.settle(payment, requirements)).success).toBe(true);
    // x402 explains the failed simulation through the devnet's Multicall3 (0xcA11…CA11): the nonce is spent.
    expect(await facilitator.verify(payment, requirements)).toMatchObject({
      isValid: false,
      invalidReason: "invalid_exact_evm_nonce_already_used",
      payer: ALICE.address,
    });
  });
});

describe("requestCompletion", () => {
  test("args: a refused request throws PaidRequestError with the gateway's status and answer", async () => {
    const error = await requestCompletion({
      fetch: createPayingFetch({ account: ALICE }),
      url: servers.gatewayUrl,
      request: { kind: "completion", body: { model: "m", prompt: "hi", temperature: "hot" } },
    }).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(PaidRequestError);
    expect((error as Error).message.replace(servers.gatewayUrl, "<gateway>")).toMatchInlineSnapshot(
      `"Paid completion at <gateway>/v1/completions answered 400 without a PAYMENT-RESPONSE header: {"error":"Request field \\"temperature\\" is \\"hot\\", expected a number."}"`,
    );
  });

  test("behavior: an unpaid request is answered 402 and throws without paying", async () => {
    await expect(
      requestCompletion({
        fetch: globalThis.fetch as ReturnType<typeof createPayingFetch>,
        url: servers.gatewayUrl,
        request: { kind: "chat", body: { model: "m", messages: [{ role: "user", content: "hi" }] } },
      }),
    ).rejects.toThrow(/answered 402 without a PAYMENT-RESPONSE header/);
  });
});
