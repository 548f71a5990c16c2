import { x402Facilitator } from "@x402/core/facilitator";
import type { PaymentPayload, PaymentRequirements } from "@x402/core/types";
import type { FacilitatorEvmSigner } from "@x402/evm";
import { ExactEvmScheme } from "@x402/evm/exact/facilitator";
import { UptoEvmScheme } from "@x402/evm/upto/facilitator";
import {
  createErc20ApprovalGasSponsoringExtension,
  EIP2612_GAS_SPONSORING,
  type Erc20ApprovalGasSponsoringSigner,
} from "@x402/extensions";
import { Hono } from "hono";
import { type Hash, parseTransaction, recoverTransactionAddress } from "viem";
import { getBalance, sendRawTransaction, sendTransaction, waitForTransactionReceipt } from "viem/actions";
import { InvalidRequestError, PaidRequestError } from "./errors";
import { type AccountClient, facilitatorSignerOf } from "./facilitatorSigner";
import { serialQueue } from "./serialQueue";
import { BASE_NETWORK } from "./usdc";

/** Gas OpenGradient's facilitator assumes for a pre-signed approval that names none (inference-facilitator). */
const DEFAULT_SPONSORED_GAS = 70_000n;

/**
 * The ERC-20-approval gas sponsor as OpenGradient's facilitator runs it (inference-facilitator
 * `createErc20ApprovalGasSponsorSigner`): each transaction is sent and confirmed in turn; before the payer's pre-signed
 * `approve(Permit2, max)`, the facilitator sends the payer the ETH its gas costs. So an approval-sponsored payment is
 * three transactions: funding, approval, settlement.
 */
export function erc20ApprovalSponsorOf(
  client: AccountClient,
  signer: FacilitatorEvmSigner,
  send: ReturnType<typeof serialQueue>,
): Erc20ApprovalGasSponsoringSigner {
  const confirm = async (hash: Hash, what: string) => {
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success") throw new PaidRequestError(`The sponsored ${what} transaction ${hash} reverted.`);
    return hash;
  };
  return {
    ...(signer as unknown as Omit<Erc20ApprovalGasSponsoringSigner, "sendTransactions">),
    async sendTransactions(transactions) {
      const hashes: Hash[] = [];
      for (const transaction of transactions) {
        if (typeof transaction === "string") {
          const parsed = parseTransaction(transaction);
          const payer = await recoverTransactionAddress({
            serializedTransaction: transaction as Parameters<
              typeof recoverTransactionAddress
            >[0]["serializedTransaction"],
          });
          const gasCost = (parsed.gas ?? DEFAULT_SPONSORED_GAS) * (parsed.maxFeePerGas ?? parsed.gasPrice ?? 0n);
          const balance = await getBalance(client, { address: payer });
          if (balance < gasCost)
            await confirm(
              await send(() =>
                sendTransaction(client, {
                  to: payer,
                  value: gasCost - balance,
                  account: client.account,
                  chain: client.chain,
                }),
              ),
              "gas funding",
            );
          hashes.push(
            await confirm(
              await send(() => sendRawTransaction(client, { serializedTransaction: transaction })),
              "approval",
            ),
          );
        } else {
          hashes.push(
            await confirm(
              await send(() =>
                sendTransaction(client, {
                  to: transaction.to,
                  data: transaction.data,
                  ...(transaction.gas !== undefined ? { gas: transaction.gas } : {}),
                  account: client.account,
                  chain: client.chain,
                }),
              ),
              "settlement",
            ),
          );
        }
      }
      return hashes;
    },
  };
}

/**
 * x402's facilitator for payments over Permit2 on the devnet's "base", signing and paying gas as `client`'s account:
 * `upto` (x402's `UptoEvmScheme`: the payer names this account as `witness.facilitator`) and `exact` (x402's
 * `ExactEvmScheme`, Permit2 when the requirements say `assetTransferMethod: "permit2"`, EIP-3009 otherwise), with
 * both gas-sponsoring extensions as OpenGradient's facilitator registers them.
 * @example const facilitator = createPermit2Facilitator(chainClientOf(deployment, "base", FACILITATOR))
 */
export function createPermit2Facilitator(client: AccountClient): x402Facilitator {
  const send = serialQueue();
  // Gotcha: x402 simulates `settle` with readContract, which must be sent from the facilitator (the proxy checks
  // msg.sender == witness.facilitator); facilitatorSignerOf reads through the wallet client, whose account is `from`.
  const signer = facilitatorSignerOf(client, { send });
  return new x402Facilitator()
    .register(BASE_NETWORK, new UptoEvmScheme(signer))
    .register(BASE_NETWORK, new ExactEvmScheme(signer))
    .registerExtension(EIP2612_GAS_SPONSORING)
    .registerExtension(createErc20ApprovalGasSponsoringExtension(erc20ApprovalSponsorOf(client, signer, send)));
}

function paymentBodyOf(json: unknown): [PaymentPayload, PaymentRequirements] {
  const { paymentPayload, paymentRequirements } = (json ?? {}) as Record<string, unknown>;
  if (typeof paymentPayload !== "object" || paymentPayload === null)
    throw new InvalidRequestError(`paymentPayload is "${String(paymentPayload)}"; expected an x402 PaymentPayload.`);
  if (typeof paymentRequirements !== "object" || paymentRequirements === null)
    throw new InvalidRequestError(
      `paymentRequirements is "${String(paymentRequirements)}"; expected x402 PaymentRequirements.`,
    );
  return [paymentPayload as PaymentPayload, paymentRequirements as PaymentRequirements];
}

/**
 * The standard x402 facilitator HTTP API (`GET /supported`, `POST /verify`, `POST /settle`) over `facilitator`.
 * @example const { url } = await serveOnLoopback(facilitatorAppOf(createPermit2Facilitator(client)).fetch)
 */
export function facilitatorAppOf(facilitator: x402Facilitator) {
  return new Hono()
    .get("/supported", (c) => c.json(facilitator.getSupported()))
    .post("/verify", async (c) => c.json(await facilitator.verify(...paymentBodyOf(await c.req.json()))))
    .post("/settle", async (c) => c.json(await facilitator.settle(...paymentBodyOf(await c.req.json()))))
    .onError((error, c) =>
      c.json(
        { error: error instanceof Error ? error.message : String(error) },
        error instanceof InvalidRequestError || error instanceof SyntaxError ? 400 : 500,
      ),
    );
}
