import {
  inferenceIdOf,
  OPG_ADDRESS_BASE,
  opgAbi,
  PERMIT2_ADDRESS,
  paymentIdOf,
  settlementRelayV3Abi,
  teeRegistryAbi,
  USDC_ADDRESS_BASE,
  usdcAbi,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import {
  type Address,
  createPublicClient,
  decodeFunctionData,
  getAddress,
  type Hex,
  http,
  numberToHex,
  parseEventLogs,
} from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FACILITATOR, FACILITATOR_2, PAYEE } from "./accounts";
import { type Devnet, startDevnet } from "./devnet";
import type { Manifest } from "./manifest";
import { planScenario, SCENARIO_START_TIME, SESSION_CAP } from "./scenarioPlan";
import { runScenario } from "./scenarioRun";

/** A payment as read back from "base": who paid whom, when (chain order), and its Settlescan id. */
type ChainPayment = {
  paymentId: Hex;
  scheme: "eip3009" | "permit2_upto";
  payer: Address;
  payee: Address;
  asset: Address;
  amount: bigint;
  maxAmount: bigint | null;
  nonce: Hex;
  timestamp: bigint;
  order: [bigint, number, number];
};

describe("a scenario with OPG sessions, played on the devnet", () => {
  let devnet: Devnet;
  let manifest: Manifest;
  let payments: ChainPayment[];

  beforeAll(async () => {
    devnet = await startDevnet({ ports: "free", timestamp: BigInt(SCENARIO_START_TIME - 3600) });
    const plan = planScenario({
      seed: "sessions",
      receipts: 60,
      inferences: 160,
      sessions: 40,
      payers: 40,
      individualShare: 0.6,
      payees: [PAYEE.address],
      facilitators: [FACILITATOR.address, FACILITATOR_2.address],
      batchSize: 20,
    });
    manifest = await runScenario({ deployment: devnet.deployment, plan });
    payments = await chainPaymentsOf(devnet);
  }, 180_000);
  afterAll(() => devnet?.stop());

  test("default: the manifest's payments are exactly those on chain, with scheme, asset, amounts, nonce and payer", () => {
    const fields = (p: Omit<ChainPayment, "timestamp" | "order">) => ({
      paymentId: p.paymentId,
      scheme: p.scheme,
      payer: p.payer,
      payee: p.payee,
      asset: p.asset,
      amount: p.amount.toString(),
      maxAmount: p.maxAmount === null ? null : p.maxAmount.toString(),
      nonce: p.nonce,
    });
    const expected = manifest.payments.map((p) =>
      fields({ ...p, amount: BigInt(p.amount), maxAmount: p.maxAmount === null ? null : BigInt(p.maxAmount) }),
    );
    const sort = (list: ReturnType<typeof fields>[]) =>
      [...list].sort((a, b) => a.paymentId.localeCompare(b.paymentId));
    expect(sort(payments.map(fields))).toEqual(sort(expected));
    expect(payments.filter((p) => p.scheme === "permit2_upto")).toHaveLength(40);
    expect(payments.filter((p) => p.scheme === "eip3009").length).toBeGreaterThan(40);
    expect(payments.filter((p) => p.scheme === "permit2_upto").every((p) => p.maxAmount === SESSION_CAP)).toBe(true);
  });

  test("default: every inference's link is what the session rule gives over the chain's payments and individual settlements", async () => {
    const og = createPublicClient({ transport: http(devnet.deployment.chains.og.rpcUrl) });
    const { relay, teeRegistry } = devnet.deployment.contracts;
    const events = parseEventLogs({
      abi: settlementRelayV3Abi,
      logs: await og.getLogs({ address: relay.address, fromBlock: 0n }),
      eventName: "IndividualSettlement",
    });
    const paymentAddresses = new Map<Hex, Address>();
    const paymentAddressOf = async (teeId: Hex) => {
      const known = paymentAddresses.get(teeId);
      if (known) return known;
      const tee = await og.readContract({
        address: teeRegistry.address,
        abi: teeRegistryAbi,
        functionName: "getTEE",
        args: [teeId],
      });
      paymentAddresses.set(teeId, tee.paymentAddress);
      return tee.paymentAddress;
    };
    const { sessionIdleSeconds, sessionMaxSeconds } = manifest.gateway;
    // The first individual settlement of each inference names its payer; its link is the earliest payment in the window.
    const fromChain = new Map<Hex, { kind: "session" | "none"; paymentId?: Hex }>();
    for (const { args } of events) {
      const inferenceId = inferenceIdOf(args);
      if (fromChain.has(inferenceId)) continue;
      const payee = await paymentAddressOf(args.teeId);
      const end = args.timestamp + BigInt(sessionIdleSeconds + sessionMaxSeconds);
      const found = payments
        .filter(
          (p) =>
            p.payer === args.ethAddress && p.payee === payee && p.timestamp >= args.timestamp && p.timestamp <= end,
        )
        .sort((a, b) => compareOrder(a.order, b.order))[0];
      fromChain.set(inferenceId, found ? { kind: "session", paymentId: found.paymentId } : { kind: "none" });
    }

    const mismatches: string[] = [];
    for (const inference of manifest.inferences) {
      const expected =
        inference.population === "exact" ? inference.link : (fromChain.get(inference.inferenceId) ?? { kind: "none" });
      if (JSON.stringify(inference.link) !== JSON.stringify(expected))
        mismatches.push(
          `${inference.inferenceId}: manifest ${JSON.stringify(inference.link)}, chain ${JSON.stringify(expected)}`,
        );
    }
    expect(mismatches).toEqual([]);
    const kinds = (kind: string) => manifest.inferences.filter((i) => i.link.kind === kind);
    const sessionLinked = kinds("session");
    expect(sessionLinked.length).toBeGreaterThan(10);
    // Both schemes are linked by session: OPG sessions and, from the same payers, USDC payments.
    const schemeOf = new Map(payments.map((p) => [p.paymentId, p.scheme]));
    expect(new Set(sessionLinked.map((i) => schemeOf.get(i.link.paymentId as Hex)))).toEqual(
      new Set(["permit2_upto", "eip3009"]),
    );
    expect(kinds("exact").length).toBe(manifest.inferences.filter((i) => i.population === "exact").length);
    expect(kinds("none").length).toBeGreaterThan(0);
  });

  test("behavior: a payment linked to a proven inference by session is proven once links count", () => {
    const proven = new Set(
      manifest.inferences.filter((i) => i.link.kind === "session" && i.state === "proven").map((i) => i.link.paymentId),
    );
    expect(proven.size).toBeGreaterThan(0);
    for (const payment of manifest.payments)
      expect(payment.linkedState).toBe(proven.has(payment.paymentId) ? "proven" : payment.state);
    expect(manifest.payments.some((p) => p.scheme === "permit2_upto" && p.linkedState === "proven")).toBe(true);
  });
});

const compareOrder = (a: ChainPayment["order"], b: ChainPayment["order"]) =>
  Number(a[0] - b[0]) || a[1] - b[1] || a[2] - b[2];

/** Every x402 payment on "base", read back from logs and calldata: USDC EIP-3009 and OPG `upto` sessions. */
async function chainPaymentsOf(devnet: Devnet): Promise<ChainPayment[]> {
  const base = createPublicClient({ transport: http(devnet.deployment.chains.base.rpcUrl) });
  const { usdc } = devnet.deployment.contracts;
  const timestamps = new Map<bigint, bigint>();
  const timeOf = async (blockNumber: bigint) => {
    if (!timestamps.has(blockNumber)) timestamps.set(blockNumber, (await base.getBlock({ blockNumber })).timestamp);
    return timestamps.get(blockNumber)!;
  };
  const payments: ChainPayment[] = [];

  const usdcEvents = parseEventLogs({
    abi: usdcAbi,
    logs: await base.getLogs({ address: usdc.address, fromBlock: BigInt(usdc.startBlock) }),
  });
  for (const used of usdcEvents) {
    if (used.eventName !== "AuthorizationUsed") continue;
    const transfer = usdcEvents.find((e) => e.transactionHash === used.transactionHash && e.eventName === "Transfer");
    if (!transfer) throw new Error(`AuthorizationUsed in ${used.transactionHash} has no Transfer beside it.`);
    const { from, to, value } = transfer.args as { from: Address; to: Address; value: bigint };
    const { authorizer, nonce } = used.args as { authorizer: Address; nonce: Hex };
    expect(authorizer).toBe(from);
    payments.push({
      paymentId: paymentIdOf({ chainId: 8453, token: USDC_ADDRESS_BASE, payer: from, nonce }),
      scheme: "eip3009",
      payer: from,
      payee: to,
      asset: USDC_ADDRESS_BASE,
      amount: value,
      maxAmount: null,
      nonce,
      timestamp: await timeOf(used.blockNumber),
      order: [used.blockNumber, used.transactionIndex, used.logIndex],
    });
  }

  const settled = parseEventLogs({
    abi: x402UptoPermit2ProxyAbi,
    logs: await base.getLogs({ address: X402_UPTO_PERMIT2_PROXY_ADDRESS, fromBlock: 0n }),
  });
  for (const event of settled) {
    const transaction = await base.getTransaction({ hash: event.transactionHash });
    const call = decodeFunctionData({ abi: x402UptoPermit2ProxyAbi, data: transaction.input });
    expect(call.functionName).toBe("settle");
    const [permit, amount, owner, witness] = call.args as unknown as [
      { permitted: { token: Address; amount: bigint }; nonce: bigint },
      bigint,
      Address,
      { to: Address },
    ];
    const receipt = await base.getTransactionReceipt({ hash: event.transactionHash });
    const [transfer] = parseEventLogs({ abi: opgAbi, logs: receipt.logs, eventName: "Transfer" });
    expect(transfer?.args).toEqual({ from: owner, to: witness.to, value: amount });
    expect(getAddress(transfer?.address as Address)).toBe(OPG_ADDRESS_BASE);
    const nonce = numberToHex(permit.nonce, { size: 32 });
    payments.push({
      paymentId: paymentIdOf({ chainId: 8453, token: PERMIT2_ADDRESS, payer: owner, nonce }),
      scheme: "permit2_upto",
      payer: owner,
      payee: witness.to,
      asset: permit.permitted.token,
      amount,
      maxAmount: permit.permitted.amount,
      nonce,
      timestamp: await timeOf(event.blockNumber),
      order: [event.blockNumber, event.transactionIndex, event.logIndex],
    });
  }
  return payments;
}

describe("plan", () => {
  const options = { seed: "sessions plan", receipts: 40, inferences: 80, payers: 20, individualShare: 0.5 };
  const replacer = (_: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

  test("behavior: the same seed plans the same session payments", () => {
    const first = JSON.stringify(planScenario({ ...options, sessions: 12 }).payments, replacer);
    expect(JSON.stringify(planScenario({ ...options, sessions: 12 }).payments, replacer)).toBe(first);
    const sessions = planScenario({ ...options, sessions: 12 }).payments.filter((p) => p.scheme === "permit2_upto");
    expect(sessions).toHaveLength(12);
    expect(sessions.every((p) => p.payee === PAYEE.address && p.amount > 0n && p.amount <= SESSION_CAP)).toBe(true);
  });

  test("default: without sessions the plan is USDC only; sessions change nothing else", () => {
    const plan = planScenario(options);
    expect(plan.payments.every((p) => p.scheme === "eip3009" && p.maxAmount === null)).toBe(true);
    const withSessions = planScenario({ ...options, sessions: 5 });
    // Sessions come from their own random stream: inferences, settlements and USDC payments stay as they were (only
    // the payments' indexes move).
    const json = (value: unknown) => JSON.stringify(value, replacer);
    expect(json(withSessions.inferences)).toBe(json(plan.inferences));
    expect(json(withSessions.settlements)).toBe(json(plan.settlements));
    const usdc = (p: typeof plan) =>
      p.payments.filter((x) => x.scheme === "eip3009").map(({ index: _, ...payment }) => payment);
    expect(json(usdc(withSessions))).toBe(json(usdc(plan)));
    const paymentOf = (p: typeof plan) => p.leaves.map((leaf) => json({ ...p.payments[leaf.payment], index: 0 }));
    expect(paymentOf(withSessions)).toEqual(paymentOf(plan));
  });
});
