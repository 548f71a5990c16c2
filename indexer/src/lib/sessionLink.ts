import type { ProfileGateway } from "@settlescan/abis";
import { type Address, type Hex, zeroAddress } from "viem";

/**
 * The session link of docs/protocol.md §4, as pure rules: whose address may be a payer, which payee and window an
 * inference's session has, and which payment of a payer settles it (the earliest in the window, in chain order).
 */

/** tee-gateway's defaults (100 s idle, 900 s at most): the window where neither the registry nor the profile says. */
export const DEFAULT_SESSION_SECONDS = 100 + 900;

/** A payment as the session rule orders it: `[paidAt, block, logIndex, paymentId]` (bigints as decimal strings). */
export type SessionPayment = [paidAt: string, block: string, logIndex: number, paymentId: Hex];
/**
 * An inference waiting for its session's payment: `[timestamp, inferenceId, current]`, where `current` is its session
 * payment so far (null while none), so that a payment offered to it is judged without reading a row.
 */
export type SessionInference = [timestamp: string, inferenceId: Hex, current: SessionPayment | null];

/** What the rule needs of the profile: its gateways, and the contracts that can never be a payer. */
export type SessionRules = {
  gateways: readonly ProfileGateway[];
  /** Permit2 and x402's Permit2 proxies: an individual settlement of a Permit2 payment names the proxy, not the payer. */
  notPayers: readonly Address[];
};

const lower = (address: string) => address.toLowerCase();

/** The session rules of a profile: its gateways; Permit2 and the proxies are never payers. */
export function sessionRulesOf(profile: {
  gateways: readonly ProfileGateway[];
  payment: { permit2?: Address; proxies?: { exact?: Address; upto?: Address } };
}): SessionRules {
  const { permit2, proxies } = profile.payment;
  return {
    gateways: profile.gateways,
    notPayers: [permit2, proxies?.exact, proxies?.upto].filter((a): a is Address => a !== undefined),
  };
}

/**
 * Whether an individual settlement's `ethAddress` may name the payer: not the zero address, not Permit2 nor one of
 * its proxies (whether it is a contract is asked of the payment chain, see `reconcile.ts`).
 */
export function isSessionPayerCandidate(rules: SessionRules, ethAddress: Address) {
  const address = lower(ethAddress);
  return address !== zeroAddress && !rules.notPayers.some((a) => lower(a) === address);
}

/** How long after an inference its session's payment may settle, for a payee: its gateway's idle + max seconds. */
export function sessionSpanOf(rules: SessionRules, payee: Address): bigint {
  const gateway = rules.gateways.find((g) => lower(g.paymentAddress) === lower(payee));
  if (gateway) return BigInt(gateway.sessionIdleSeconds + gateway.sessionMaxSeconds);
  // An enclave paid at an address the profile does not list: the widest window the profile knows.
  const widest = Math.max(0, ...rules.gateways.map((g) => g.sessionIdleSeconds + g.sessionMaxSeconds));
  return BigInt(widest > 0 ? widest : DEFAULT_SESSION_SECONDS);
}

/**
 * An inference's session: who is paid (the enclave's registered `paymentAddress`; the profile's first gateway where
 * the registry has none) and the window `[timestamp, timestamp + idle + max]`. Null when no payee is known.
 *
 * @example sessionOf(rules, { timestamp: 1000n, paymentAddress: null }) // { payee: gateways[0].paymentAddress, from: 1000n, until: 2000n }
 */
export function sessionOf(
  rules: SessionRules,
  { timestamp, paymentAddress }: { timestamp: bigint; paymentAddress: Address | null },
) {
  const registered = paymentAddress && lower(paymentAddress) !== zeroAddress ? paymentAddress : null;
  const payee = registered ?? rules.gateways[0]?.paymentAddress;
  if (!payee) return null;
  return { payee, from: timestamp, until: timestamp + sessionSpanOf(rules, payee) };
}

/**
 * The width of the time buckets sessions are looked up in: the widest window, so a window spans at most two buckets.
 */
export function sessionBucketSecondsOf(rules: SessionRules): bigint {
  const widest = Math.max(
    DEFAULT_SESSION_SECONDS,
    ...rules.gateways.map((g) => g.sessionIdleSeconds + g.sessionMaxSeconds),
  );
  return BigInt(widest);
}

/** The buckets a time range `[from, until]` touches, oldest first. */
export function sessionBucketsOf(from: bigint, until: bigint, bucketSeconds: bigint): bigint[] {
  const buckets: bigint[] = [];
  for (let b = (from < 0n ? 0n : from) / bucketSeconds; b <= until / bucketSeconds; b++) buckets.push(b);
  return buckets;
}

/** The key of a payer's payments to a payee in one time bucket (lower-case addresses). */
export const sessionBucketIdOf = (payer: Address, payee: Address, bucket: bigint) =>
  `${lower(payer)}-${lower(payee)}-${bucket}`;

/** Chain order of payments: paidAt, then block, then log index (negative when `a` is earlier). */
export function compareSessionPayments(a: SessionPayment, b: SessionPayment) {
  const byTime = BigInt(a[0]) - BigInt(b[0]);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  const byBlock = BigInt(a[1]) - BigInt(b[1]);
  if (byBlock !== 0n) return byBlock < 0n ? -1 : 1;
  return a[2] - b[2];
}

/**
 * Whether a payment offered to an inference would be its session payment rather than its current one (null while
 * none): strictly earlier in chain order.
 *
 * @example isEarlierSessionPayment(["1000", "7", 2, id], ["990", "6", 0, other]) // true
 */
export function isEarlierSessionPayment(current: SessionPayment | null | undefined, offered: SessionPayment) {
  return !current || compareSessionPayments(offered, current) < 0;
}

/** The earliest payment settled within `[from, until]` (inclusive), or null. */
export function earliestSessionPayment(
  payments: Iterable<SessionPayment>,
  { from, until }: { from: bigint; until: bigint },
): SessionPayment | null {
  let earliest: SessionPayment | null = null;
  for (const p of payments) {
    const paidAt = BigInt(p[0]);
    if (paidAt < from || paidAt > until) continue;
    if (!earliest || compareSessionPayments(p, earliest) < 0) earliest = p;
  }
  return earliest;
}

/** A list with `entry` added in order (a repeated entry is kept once): equal whichever order entries arrive in. */
export function withSorted<T>(list: readonly T[], entry: T, compare: (a: T, b: T) => number): T[] {
  const index = list.findIndex((e) => compare(e, entry) >= 0);
  if (index >= 0 && compare(list[index]!, entry) === 0) return [...list];
  return index < 0 ? [...list, entry] : [...list.slice(0, index), entry, ...list.slice(index)];
}

/** Waiting inferences in order: timestamp, then id. */
export function compareSessionInferences(a: SessionInference, b: SessionInference) {
  const byTime = BigInt(a[0]) - BigInt(b[0]);
  if (byTime !== 0n) return byTime < 0n ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
