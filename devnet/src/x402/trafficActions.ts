import {
  devnetAttestationDocumentOf,
  generateTeeKey,
  importTeePrivateKey,
  OPG_ADDRESS_BASE,
  opgAbi,
  type PcrMeasurements,
  PERMIT2_ADDRESS,
  pcrHashOf,
  signInference,
  type TeeFields,
  type TeeRequestKind,
  teeRegistryAbi,
} from "@settlescan/abis";
import type { Address, Hex, LocalAccount } from "viem";
import { bytesToHex, maxUint256, stringToHex } from "viem";
import { readContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { payerAccountOf } from "../accounts";
import { DEFAULT_OPG_MINT } from "../base/opg";
import { permit2Abi, permit2NonceWordOf } from "../base/permit2";
import type { GatewayEnclave } from "../gateway/gateway";
import { TOOL_CALL_PREFIX } from "../gateway/model";
import { type CompletionRequest, createPayingFetch, requestCompletion } from "./client";
import { PaidRequestError } from "./errors";
import type { AccountClient } from "./facilitatorSigner";
import { createGatewayClient, type GatewayClient } from "./gatewayClient";
import type { ClientChainReader } from "./permit2Client";
import { serialQueue } from "./serialQueue";
import { type BatchSettlementData, postSettleData, type SettlementType } from "./settleData";

/** Every outcome live traffic produces, named for the state the indexer should reach (docs/protocol.md). */
export const TRAFFIC_KINDS = [
  "session_batch",
  "session_individual",
  "opg_exact",
  "sponsored_eip2612",
  "sponsored_erc20",
  "cancelled_nonce",
  "proven_batch",
  "proven_individual",
  "proven_exact",
  "private",
  "never_settled",
  "unpaid",
  "underpaid",
  "bad_signature",
  "mismatched",
  "disabled_tee",
  "revoked_pcr",
  "unregistered_tee",
  "duplicate",
  "unofficial",
  "withheld",
  "expired",
  "legacy",
] as const;

export type TrafficKind = (typeof TRAFFIC_KINDS)[number];

/** Kinds paid in OPG over Permit2 (the others pay USDC per request, as before). */
type OpgKind =
  | "session_batch"
  | "session_individual"
  | "opg_exact"
  | "sponsored_eip2612"
  | "sponsored_erc20"
  | "cancelled_nonce";

/**
 * Gives Permit2 an unlimited OPG allowance from each account that has none, as OpenGradient's SDK does before paying
 * (`ensure_opg_approval`).
 */
export async function ensureOpgApprovals(wallets: readonly AccountClient[]) {
  for (const wallet of wallets) {
    const allowance = await readContract(wallet, {
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "allowance",
      args: [wallet.account.address, PERMIT2_ADDRESS],
    });
    if (allowance > 0n) continue;
    const hash = await writeContract(wallet, {
      address: OPG_ADDRESS_BASE,
      abi: opgAbi,
      functionName: "approve",
      args: [PERMIT2_ADDRESS, maxUint256],
      account: wallet.account,
      chain: wallet.chain,
    });
    const receipt = await waitForTransactionReceipt(wallet, { hash });
    if (receipt.status !== "success") throw new PaidRequestError(`OPG.approve(Permit2) (tx ${hash}) reverted.`);
  }
}

/** TEE type 0, "LLMProxy": what the devnet's enclaves register as. */
const LLM_PROXY_TEE_TYPE = 0;

/** What the traffic actions act on: the servers, the registry admin, and a source of randomness. */
export type TrafficContext = {
  gatewayUrl: string;
  /** The plain facilitator's `/settle_data` (for proofs held back until a registry change). */
  facilitatorUrl: string;
  /** The TEE registry on "og" and a client of its admin (DEPLOYER), for the revoked-PCR case. */
  registry: { address: Address; admin: AccountClient };
  /** What fresh enclaves register: the payee and the gateway's endpoint. */
  registration: { paymentAddress: Address; endpoint: string };
  /** Makes the gateway run an enclave registered after it started. */
  addTee: (tee: GatewayEnclave) => void;
  /** Share of settled proofs sent individually rather than batched (0..1), where the kind allows both. */
  individualShare: number;
  random: () => number;
  /** What OPG payments over Permit2 need on "base": a reader, a wallet per payer, and OPG minted by DEPLOYER. */
  base: {
    reader: ClientChainReader;
    /** A client on "base" signing as `account` (cancelling a Permit2 nonce). */
    walletOf: (account: LocalAccount) => AccountClient;
    /** Mints OPG to a fresh payer. */
    mintOpg: (to: Address, amount: bigint) => Promise<void>;
  };
  /** Seed of the fresh payers of the sponsoring kinds (distinct per run, so each starts without an allowance). */
  payerSeed: string;
};

/** One traffic action's outcome: the inference it made (its proof fields). */
export type TrafficResult = { kind: TrafficKind; fields: TeeFields };

/** What a kind asks the gateway for. */
type Plan = Pick<CompletionRequest, "settlementType" | "faults" | "link">;

/** The `/settle_data` batch item of a response's proof fields, as the gateway builds it. */
export function settlementDataOfFields(fields: TeeFields): BatchSettlementData {
  return {
    tee_id: fields.teeId,
    input_hash: fields.inputHash.slice(2),
    output_hash: fields.outputHash.slice(2),
    tee_signature: fields.signatureBase64,
    tee_timestamp: Number(fields.timestamp),
    timestamp: Number(fields.timestamp),
  };
}

/**
 * Produces one inference of each kind through the real HTTP stack: x402's fetch wrapper pays the gateway, x402's
 * facilitator settles the payment on "base", and the gateway hands the proof to a facilitator's `/settle_data`
 * (the exact-link one for exact kinds), with the devnet's fault headers where the kind needs them.
 * @example const act = trafficActionsOf(context); await act("revoked_pcr", ALICE)
 */
export function trafficActionsOf(context: TrafficContext) {
  const fetchers = new Map<Address, ReturnType<typeof createPayingFetch>>();
  const sessionClients = new Map<string, GatewayClient>();
  let freshPayers = 0;
  const registrySend = serialQueue();
  let counter = 0;

  const chance = (share: number) => context.random() < share;
  const modeOf = (): SettlementType => (chance(context.individualShare) ? "individual" : "batch");
  const payingFetchOf = (client: LocalAccount) => {
    const known = fetchers.get(client.address);
    if (known) return known;
    const fetch = createPayingFetch({ account: client });
    fetchers.set(client.address, fetch);
    return fetch;
  };

  /** A request of a random shape: chat, a streamed chat, a chat that calls a tool, or a text completion. */
  function requestOf(client: LocalAccount): Pick<CompletionRequest, "kind" | "body"> {
    const prompt = `devnet prompt ${++counter} from ${client.address.slice(0, 8)} ${context.random().toString(36).slice(2, 8)}`;
    const x = context.random();
    const kind: TeeRequestKind = x < 0.1 ? "completion" : "chat";
    if (kind === "completion") return { kind, body: { model: "devnet/reverse-instruct", prompt, max_tokens: 64 } };
    const messages = [
      { role: "system", content: "Answer backwards." },
      { role: "user", content: x < 0.2 ? `${TOOL_CALL_PREFIX} ${prompt}` : prompt },
    ];
    const tools =
      x < 0.2 ? [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }] : undefined;
    return {
      kind,
      body: {
        model: "devnet/reverse",
        messages,
        temperature: 0.2,
        ...(tools ? { tools } : {}),
        ...(x > 0.9 ? { stream: true } : {}),
      },
    };
  }

  async function complete(client: LocalAccount, plan: Plan & { teeId?: Hex }): Promise<TeeFields> {
    const { fields } = await requestCompletion({
      fetch: payingFetchOf(client),
      url: context.gatewayUrl,
      request: { ...requestOf(client), ...plan },
    });
    return fields;
  }

  /** The client's gateway client paying in `mode` (one per account and mode, so `upto` sessions carry on). */
  const gatewayClientOf = (client: LocalAccount, mode: GatewayClient["mode"]) => {
    const key = `${client.address} ${mode}`;
    const known = sessionClients.get(key);
    if (known) return known;
    const created = createGatewayClient({ account: client, mode, reader: context.base.reader });
    sessionClients.set(key, created);
    return created;
  };

  /** One inference paid through `gateway` (an `upto` session or OPG `exact` over Permit2). */
  async function completeWith(gateway: GatewayClient, plan: Plan): Promise<TeeFields> {
    const { fields } = await gateway.complete(context.gatewayUrl, { ...requestOf(gateway.account), ...plan });
    return fields;
  }

  /** A payer holding OPG and no Permit2 allowance, paying a fresh session through one gas-sponsoring path. */
  async function sponsored(sponsoring: "eip2612" | "erc20Approval"): Promise<TeeFields> {
    const payer = payerAccountOf(context.payerSeed, freshPayers++);
    await context.base.mintOpg(payer.address, DEFAULT_OPG_MINT);
    const gateway = createGatewayClient({
      account: payer,
      mode: "upto",
      reader: context.base.reader,
      gasSponsoring: [sponsoring],
    });
    return completeWith(gateway, { settlementType: modeOf() });
  }

  /** A client opens a session of its own, then cancels its Permit2 nonce: the session's settlement will fail. */
  async function cancelledNonce(client: LocalAccount): Promise<TeeFields> {
    const gateway = createGatewayClient({ account: client, mode: "upto", reader: context.base.reader });
    const fields = await completeWith(gateway, { settlementType: "batch" });
    const [payment] = gateway.payments();
    if (!payment) throw new PaidRequestError("The session was opened without a payment the client signed.");
    const { permit2Authorization } = payment.payload as { permit2Authorization: { nonce: string } };
    const { wordPos, mask } = permit2NonceWordOf(BigInt(permit2Authorization.nonce));
    const wallet = context.base.walletOf(client);
    const hash = await writeContract(wallet, {
      address: PERMIT2_ADDRESS,
      abi: permit2Abi,
      functionName: "invalidateUnorderedNonces",
      args: [wordPos, mask],
      account: wallet.account,
      chain: wallet.chain,
    });
    const receipt = await waitForTransactionReceipt(wallet, { hash });
    if (receipt.status !== "success")
      throw new PaidRequestError(`Permit2.invalidateUnorderedNonces (tx ${hash}) reverted.`);
    return fields;
  }

  async function registry(functionName: string, args: readonly unknown[]) {
    const { address, admin } = context.registry;
    const hash = await registrySend(() =>
      writeContract(admin, {
        address,
        abi: teeRegistryAbi,
        functionName,
        args,
        account: admin.account,
        chain: admin.chain,
      } as Parameters<typeof writeContract>[1]),
    );
    const receipt = await waitForTransactionReceipt(admin, { hash });
    if (receipt.status !== "success") throw new PaidRequestError(`TEERegistry.${functionName} (tx ${hash}) reverted.`);
  }

  /** A fresh enclave on a fresh measurement, both approved and registered now. */
  async function freshEnclave(): Promise<GatewayEnclave & { pcrHash: Hex }> {
    const { teeId, publicKey, privateKey } = await generateTeeKey();
    const random48 = () => bytesToHex(crypto.getRandomValues(new Uint8Array(48)));
    const pcrs: PcrMeasurements = { pcr0: random48(), pcr1: random48(), pcr2: random48() };
    await registry("approvePCR", [pcrs, `devnet-live-${teeId.slice(2, 10)}`, LLM_PROXY_TEE_TYPE]);
    await registry("registerTEEWithAttestation", [
      devnetAttestationDocumentOf({ ...pcrs, signingPublicKey: publicKey }),
      publicKey,
      stringToHex("settlescan devnet enclave TLS certificate"),
      context.registration.paymentAddress,
      context.registration.endpoint,
      LLM_PROXY_TEE_TYPE,
    ]);
    const key = await importTeePrivateKey(privateKey);
    return { teeId, pcrHash: pcrHashOf(pcrs), sign: (fields) => signInference(key, fields) };
  }

  /** Kinds that are one request with the right headers. */
  const plans: Record<Exclude<TrafficKind, "revoked_pcr" | OpgKind>, () => Plan> = {
    proven_batch: () => ({ settlementType: "batch" }),
    proven_individual: () => ({ settlementType: "individual" }),
    proven_exact: () => ({ link: "exact" }),
    private: () => ({ settlementType: "private" }),
    never_settled: () => ({ settlementType: modeOf(), faults: ["unsettled"] }),
    unpaid: () => ({ link: "exact", faults: ["unpaid"] }),
    underpaid: () => ({ link: "exact", faults: ["underpaid"] }),
    // The devnet's TEE precompile accepts any signature, so a bad one lands individually too.
    bad_signature: () => ({ ...maybeExact(), faults: ["bad_signature"] }),
    mismatched: () => ({ ...maybeExact("batch"), faults: ["mismatched"] }),
    // The relay's verifier refuses an individual settlement from a disabled or unknown enclave: batches only.
    disabled_tee: () => ({ ...maybeExact("batch"), faults: ["disabled_tee"] }),
    unregistered_tee: () => ({ settlementType: "batch", faults: ["unregistered_tee"] }),
    duplicate: () => ({ ...maybeExact(), faults: ["duplicate"] }),
    unofficial: () => ({ settlementType: modeOf(), faults: ["unofficial"] }),
    withheld: () => ({ settlementType: "batch", faults: ["withheld"] }),
    expired: () => ({ settlementType: "batch", faults: ["expired"] }),
    legacy: () => ({ settlementType: modeOf(), faults: ["legacy"] }),
  };

  /** Half of the kinds that can be exact receipts go to the exact-link facilitator; the rest are plain proofs. */
  function maybeExact(settlementType: SettlementType = modeOf()): Plan {
    return chance(0.5) ? { link: "exact" } : { settlementType };
  }

  /** The kinds paid in OPG over Permit2: sessions (most of the real network), exact, sponsoring, a cancelled nonce. */
  const opg: Record<OpgKind, (client: LocalAccount) => Promise<TeeFields>> = {
    session_batch: (client) => completeWith(gatewayClientOf(client, "upto"), { settlementType: "batch" }),
    session_individual: (client) => completeWith(gatewayClientOf(client, "upto"), { settlementType: "individual" }),
    opg_exact: (client) => completeWith(gatewayClientOf(client, "exact_permit2"), { settlementType: modeOf() }),
    sponsored_eip2612: () => sponsored("eip2612"),
    sponsored_erc20: () => sponsored("erc20Approval"),
    cancelled_nonce: cancelledNonce,
  };

  return async (kind: TrafficKind, client: LocalAccount): Promise<TrafficResult> => {
    if (kind in opg) return { kind, fields: await opg[kind as OpgKind](client) };
    if (kind !== "revoked_pcr") return { kind, fields: await complete(client, plans[kind as keyof typeof plans]()) };
    // A fresh enclave signs on a fresh PCR; the PCR is revoked (no TEEDisabled event) before its proof is posted.
    const enclave = await freshEnclave();
    context.addTee(enclave);
    const fields = await complete(client, { faults: ["unsettled"], teeId: enclave.teeId });
    await registry("revokePCR", [enclave.pcrHash, LLM_PROXY_TEE_TYPE]);
    await postSettleData(context.facilitatorUrl, { type: "batch", data: settlementDataOfFields(fields) });
    return { kind, fields };
  };
}
