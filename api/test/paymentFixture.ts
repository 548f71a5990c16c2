import { OPG_ADDRESS_BASE, USDC_ADDRESS_BASE } from "@settlescan/abis";
import * as tables from "@settlescan/indexer/ponder.schema.ts";
import { type MemoryDatabase, memoryDatabase, rowOf } from "@settlescan/indexer/test/memoryDatabase.ts";
import { getTableConfig } from "drizzle-orm/pg-core";
import { apiRoutes } from "../src/app";
import { ponderCheckpoint } from "../src/checkpoint";
import type { Db } from "../src/db";
import { checkpointOf } from "./seededDatabase";

// Payments of every scheme in two tokens, over three hours of chain time, in an in-memory PGlite: what the payments
// aggregate and the payments export are tested on.

type Hex = `0x${string}`;
const address = (n: number): Hex => `0x${n.toString(16).padStart(40, "0")}`;
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;

/** 2026-01-01T00:00:00Z; chain time is three hours later. */
export const T0 = 1_767_225_600n;
export const NOW = T0 + 3n * 3600n;
export const USDC = USDC_ADDRESS_BASE.toLowerCase();
export const OPG = OPG_ADDRESS_BASE.toLowerCase();
/** A token no profile names: its amounts stay in base units. */
export const OTHER = address(0x70);
export const ALICE = address(0xa1);
export const BOB = address(0xb0);
export const FACILITATOR = address(0xf1);
export const FACILITATOR_2 = address(0xf2);
export const PAYEE = address(0xee);
const OPG_UNIT = 10n ** 18n;

type Scheme = "eip3009" | "permit2_exact" | "permit2_upto";
type Seed = {
  n: number;
  token: string;
  scheme: Scheme;
  payer: Hex;
  facilitator: Hex;
  amount: bigint;
  maxAmount?: bigint;
  at: bigint;
  proven?: boolean;
  /** Inferences linked to it (exact for EIP-3009 and exact, session for upto). */
  inferences?: number;
};

/** The seeded payments: what each test's expectation is derived from. */
export const PAYMENTS: Seed[] = [
  {
    n: 1,
    token: USDC,
    scheme: "eip3009",
    payer: ALICE,
    facilitator: FACILITATOR,
    amount: 1_500_000n,
    at: T0 + 100n,
    proven: true,
    inferences: 1,
  },
  { n: 2, token: USDC, scheme: "eip3009", payer: BOB, facilitator: FACILITATOR_2, amount: 2_000_000n, at: T0 + 200n },
  {
    n: 3,
    token: OPG,
    scheme: "permit2_upto",
    payer: ALICE,
    facilitator: FACILITATOR,
    amount: (3n * OPG_UNIT) / 100n,
    maxAmount: OPG_UNIT / 10n,
    at: T0 + 300n,
    proven: true,
    inferences: 3,
  },
  {
    n: 4,
    token: OPG,
    scheme: "permit2_exact",
    payer: BOB,
    facilitator: FACILITATOR_2,
    amount: OPG_UNIT,
    at: T0 + 400n,
    inferences: 1,
  },
  {
    n: 5,
    token: OPG,
    scheme: "permit2_upto",
    payer: ALICE,
    facilitator: FACILITATOR,
    amount: (5n * OPG_UNIT) / 100n,
    maxAmount: OPG_UNIT / 10n,
    at: T0 + 3600n + 10n,
    inferences: 2,
  },
  {
    n: 6,
    token: OPG,
    scheme: "permit2_upto",
    payer: BOB,
    facilitator: FACILITATOR_2,
    amount: 0n,
    maxAmount: OPG_UNIT / 10n,
    at: NOW - 60n,
  },
  {
    n: 7,
    token: OTHER,
    scheme: "permit2_exact",
    payer: BOB,
    facilitator: FACILITATOR,
    amount: 42n,
    at: T0 + 2n * 3600n + 5n,
  },
  // Before the range the tests ask about.
  { n: 8, token: USDC, scheme: "eip3009", payer: ALICE, facilitator: FACILITATOR, amount: 9_000_000n, at: T0 - 10n },
];

export const paymentIdOf = (n: number) => word(0x9a00 + n);

export type PaymentFixture = { db: MemoryDatabase; app: ReturnType<typeof apiRoutes>; stop: () => Promise<void> };

/** The seeded database and the API's routes over it. */
export async function startPaymentFixture(
  limits: Parameters<typeof apiRoutes>[0]["limits"] = {},
): Promise<PaymentFixture> {
  const db = await memoryDatabase();
  const { name, columns } = getTableConfig(ponderCheckpoint);
  await db.execute(
    `create table "${name}" (${columns.map((c) => `"${c.name}" ${c.getSQLType()}${c.primary ? " primary key" : ""}`).join(", ")})`,
  );
  await db.insert(ponderCheckpoint).values([
    { chainName: "base", chainId: 8453, latestCheckpoint: checkpointOf(NOW, 8453, 500n) },
    { chainName: "og", chainId: 10740, latestCheckpoint: checkpointOf(NOW - 30n, 10740, 900n) },
  ]);
  await db.insert(tables.payment).values(
    PAYMENTS.map((p) => ({
      ...rowOf(tables.payment, p.n),
      id: paymentIdOf(p.n),
      chainId: 8453,
      token: p.token,
      scheme: p.scheme,
      payer: p.payer,
      payee: PAYEE,
      facilitator: p.facilitator,
      amount: p.amount,
      maxAmount: p.maxAmount ?? null,
      nonce: word(0x4e00 + p.n),
      txHash: word(0x7000 + p.n),
      blockNumber: BigInt(100 + p.n),
      logIndex: 0,
      paidAt: p.at,
      state: p.proven ? "proven" : "awaiting_proof",
      provenAt: p.proven ? p.at + 120n : null,
      mismatch: null,
    })) as never,
  );
  const inferences: Record<string, unknown>[] = PAYMENTS.flatMap((p) =>
    Array.from({ length: p.inferences ?? 0 }, (_, k) => ({
      ...rowOf(tables.inference, p.n * 100 + k),
      paymentId: paymentIdOf(p.n),
      linkKind: p.scheme === "permit2_upto" ? "session" : "exact",
    })),
  );
  // An inference tied to no payment, which no count may include.
  inferences.push({ ...rowOf(tables.inference, 9999), paymentId: null, linkKind: "none" });
  await db.insert(tables.inference).values(inferences as never);
  const app = apiRoutes({ db: db as unknown as Db, tables, limits });
  return { db, app, stop: () => db.$client.close() };
}

/** One GraphQL operation through the API's routes; its data, or its errors as "CODE: message". */
export async function askOf<T>(app: PaymentFixture["app"], query: string, variables: Record<string, unknown> = {}) {
  const response = await app.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors) throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("\n"));
  return body.data as T;
}
