import type { Context } from "ponder:registry";
import { inference, payment, paymentClaim, paymentSession, receipt, sessionBucket } from "ponder:schema";
import { type Address, createPublicClient, type Hex, http } from "viem";
import { profileOf } from "./lib/networks";
import { readOnly, withoutNoReasons } from "./lib/rows";
import {
  compareSessionInferences,
  compareSessionPayments,
  earliestSessionPayment,
  isEarlierSessionPayment,
  isSessionPayerCandidate,
  type SessionInference,
  type SessionPayment,
  sessionBucketIdOf,
  sessionBucketSecondsOf,
  sessionBucketsOf,
  sessionRulesOf,
  sessionSpanOf,
  withSorted,
} from "./lib/sessionLink";
import { type CheckResult, paymentCheckOf, receiptStateOf } from "./lib/verdict";

/** What reconciliation needs of a handler's context: the store. */
export type ReconcileContext = Pick<Context, "db">;

type PaymentRow = typeof payment.$inferSelect;
/** A payment as paid: its row without what reconciliation judges. */
export type PaidPayment = Omit<
  PaymentRow,
  | "state"
  | "receiptCount"
  | "verifiedReceiptCount"
  | "provenAt"
  | "sessionInferenceCount"
  | "provenSessionInferenceCount"
>;
type PaymentSessionRow = typeof paymentSession.$inferSelect;
type ClaimRow = typeof paymentClaim.$inferSelect;
type ReceiptRow = typeof receipt.$inferSelect;

/** Tokens a payment may be made in: the profile's tokens on the payment chain. */
const ACCEPTED_TOKENS = profileOf().payment.tokens.map((t) => t.address);

const reasonsOf = (checks: Record<string, CheckResult>) =>
  Object.entries(checks).flatMap(([check, { ok, reason }]) => (ok || !reason ? [] : [{ check, reason }]));

/**
 * Re-judges every receipt citing `paymentId` from what is indexed now, and the payment's own state. Called after
 * any write that can change the outcome (the payment arriving, a claim on it), on either chain and in any order:
 * the result depends only on the rows, so the final tables do not depend on which chain was indexed first.
 *
 * Callers pass the rows they already hold, so nothing is read twice: `paid` / `claim` as they are now (read when
 * omitted). A row that is not stored yet — `pendingPayment`, or `pending`, a receipt citing the payment — is judged
 * and inserted once, with its final verdict, instead of inserted and then updated. Rows whose verdict did not change
 * are not written.
 */
export async function reconcilePayment(
  context: ReconcileContext,
  paymentId: `0x${string}`,
  known: {
    paid?: PaymentRow | null;
    pendingPayment?: PaidPayment;
    claim?: ClaimRow | null;
    pending?: ReceiptRow;
    sessions?: PaymentSessionRow | null;
  } = {},
) {
  const { db } = context;
  const stored = known.pendingPayment
    ? null
    : known.paid !== undefined
      ? known.paid
      : await db.find(payment, { id: paymentId });
  const paid = known.pendingPayment ?? stored;
  const claim = readOnly(known.claim !== undefined ? known.claim : await db.find(paymentClaim, { id: paymentId }));
  let verified = 0;
  let provenAt: bigint | null = null;
  for (const receiptId of claim?.receiptIds ?? []) {
    const isPending = known.pending?.id === receiptId;
    const row = isPending ? known.pending : readOnly(await db.find(receipt, { id: receiptId }));
    if (!row) continue;
    const judged = judgedReceiptOf(row, paid, claim);
    if (judged.state === "verified") {
      verified++;
      if (provenAt === null || row.settledAt < provenAt) provenAt = row.settledAt;
    }
    if (isPending) await db.insert(receipt).values(withoutNoReasons({ ...row, ...judged }));
    else if (!sameVerdict(row, judged)) await db.update(receipt, { id: receiptId }).set(judged);
  }
  if (!paid) return;
  // Session links are made only to an indexed payment: a payment being inserted has none yet.
  const sessions = readOnly(
    known.pendingPayment
      ? null
      : known.sessions !== undefined
        ? known.sessions
        : await db.find(paymentSession, { id: paymentId }),
  );
  let provenSessions = 0;
  for (const [, proven] of sessions?.inferences ?? []) {
    if (proven === null) continue;
    provenSessions++;
    if (provenAt === null || BigInt(proven) < provenAt) provenAt = BigInt(proven);
  }
  const judged = {
    state: verified > 0 || provenSessions > 0 ? "proven" : "awaiting_proof",
    receiptCount: claim?.receiptIds.length ?? 0,
    verifiedReceiptCount: verified,
    sessionInferenceCount: sessions?.inferences.length ?? 0,
    provenSessionInferenceCount: provenSessions,
    provenAt,
  };
  if (known.pendingPayment) await db.insert(payment).values({ ...known.pendingPayment, ...judged });
  else if (
    stored &&
    (stored.state !== judged.state ||
      stored.receiptCount !== judged.receiptCount ||
      stored.verifiedReceiptCount !== judged.verifiedReceiptCount ||
      stored.sessionInferenceCount !== judged.sessionInferenceCount ||
      stored.provenSessionInferenceCount !== judged.provenSessionInferenceCount ||
      stored.provenAt !== judged.provenAt)
  )
    await db.update(payment, { id: paymentId }).set(judged);
}

/** A receipt's payment-dependent fields, judged from its own checks, the payment (if paid) and all claims on it. */
function judgedReceiptOf(row: ReceiptRow, paid: PaidPayment | null, claim: ClaimRow | null) {
  const ownCounted = receiptCounts(row);
  const payment = paymentCheckOf({
    paymentId: row.paymentId,
    payment: paid && { amount: paid.amount, token: paid.token },
    acceptedTokens: ACCEPTED_TOKENS,
    claimedByValidLeaves: claim?.claimedAmount ?? 0n,
    ownAmount: row.amount,
    ownCounted,
  });
  const checks = {
    payment,
    inclusion: { ok: row.checkInclusion, reason: reasonOf(row.reasons, "inclusion") },
    attestation: { ok: row.checkAttestation, reason: reasonOf(row.reasons, "attestation") },
    provenance: { ok: row.checkProvenance, reason: reasonOf(row.reasons, "provenance") },
    uniqueness: { ok: row.checkUniqueness, reason: reasonOf(row.reasons, "uniqueness") },
  };
  return {
    state: receiptStateOf(checks, payment.failure),
    checkPayment: payment.ok,
    reasons: reasonsOf(checks),
    paidAmount: paid?.amount ?? null,
    payer: paid?.payer ?? row.payer,
    payee: paid?.payee ?? null,
    facilitator: paid?.facilitator ?? null,
    paidAt: paid?.paidAt ?? null,
    latencySeconds: paid ? row.settledAt - paid.paidAt : null,
  };
}

/** A receipt's claim counts toward its payment when its proof holds and it was officially posted, first. */
export function receiptCounts(
  row: Pick<ReceiptRow, "checkInclusion" | "checkAttestation" | "checkProvenance" | "checkUniqueness">,
) {
  return row.checkInclusion && row.checkAttestation && row.checkProvenance && row.checkUniqueness;
}

function sameVerdict(row: ReceiptRow, judged: ReturnType<typeof judgedReceiptOf>) {
  return (
    row.state === judged.state &&
    row.checkPayment === judged.checkPayment &&
    row.paidAmount === judged.paidAmount &&
    row.payer === judged.payer &&
    row.payee === judged.payee &&
    row.facilitator === judged.facilitator &&
    row.paidAt === judged.paidAt &&
    row.latencySeconds === judged.latencySeconds &&
    JSON.stringify(row.reasons) === JSON.stringify(judged.reasons)
  );
}

function reasonOf(reasons: { check: string; reason: string }[], check: string) {
  return reasons.find((r) => r.check === check)?.reason ?? null;
}

// ── Session links (docs/protocol.md §4) ───────────────────────────────────────────────────────────────────────────
// Both chains' handlers meet in `session_bucket` rows, by key: an inference that learns its payer looks for payments
// already indexed; a payment looks for inferences already waiting. Each keeps the earliest payment in the window, so
// the final link does not depend on which chain was indexed first.

const SESSION_RULES = sessionRulesOf(profileOf());
const BUCKET_SECONDS = sessionBucketSecondsOf(SESSION_RULES);
const ACCEPTED = new Set(ACCEPTED_TOKENS.map((t) => t.toLowerCase()));
const lower = (address: string) => address.toLowerCase();

type InferenceRow = typeof inference.$inferSelect;
type BucketRow = typeof sessionBucket.$inferSelect;

/** What a session-linked inference gives its payment: whether (and when) it is proven. */
export type SessionContribution = { paymentId: Hex; provenAt: bigint | null } | null;

/** The contribution of an inference row as stored: only a session link counts toward its payment's session counts. */
export const sessionContributionOf = (
  row: Pick<InferenceRow, "linkKind" | "paymentId" | "state" | "settledAt"> | null | undefined,
): SessionContribution =>
  row?.linkKind === "session" && row.paymentId
    ? { paymentId: row.paymentId, provenAt: row.state === "proven" ? row.settledAt : null }
    : null;

let paymentChain: ReturnType<typeof createPublicClient> | undefined;
/**
 * A failed read fails the handler, which stops the indexer: so it is retried through an outage of the payment chain's
 * RPC as Ponder's own requests are, here for about a minute (0.25 s doubling, 8 retries), not viem's default ~1 s.
 */
const CONTRACT_READ_RETRIES = { retryCount: 8, retryDelay: 250 } as const;
const contracts = new Map<string, Promise<boolean>>();
/**
 * Whether `address` has code on the payment chain (a contract cannot be a session's payer, §4): one `eth_getCode`
 * per distinct address and process, at the block of the first payment that would be linked.
 */
function isContract(address: Address, block: bigint) {
  const key = lower(address);
  let found = contracts.get(key);
  if (!found) {
    paymentChain ??= createPublicClient({ transport: http(profileOf().payment.rpcUrl, CONTRACT_READ_RETRIES) });
    found = paymentChain.getCode({ address, blockNumber: block }).then((code) => code !== undefined && code !== "0x");
    // A failed read is asked again next time, not remembered.
    found.catch(() => contracts.delete(key));
    contracts.set(key, found);
  }
  return found;
}

/** The earliest payment of `payer` to `payee` settled in `[from, until]`, if the payer is not a contract. */
export async function sessionPaymentOf(
  context: ReconcileContext,
  { payer, payee, from, until }: { payer: Address; payee: Address; from: bigint; until: bigint },
): Promise<SessionPayment | null> {
  const found: SessionPayment[] = [];
  for (const bucket of sessionBucketsOf(from, until, BUCKET_SECONDS)) {
    const row = readOnly(await context.db.find(sessionBucket, { id: sessionBucketIdOf(payer, payee, bucket) }));
    if (row) found.push(...row.payments);
  }
  const earliest = earliestSessionPayment(found, { from, until });
  if (!earliest || (await isContract(payer, BigInt(earliest[1])))) return null;
  return earliest;
}

/**
 * Records an inference as waiting in its session's bucket, for payments indexed after it, with its session payment
 * so far (`sessionPaymentOf`).
 */
export async function addSessionInference(
  context: ReconcileContext,
  {
    payer,
    payee,
    timestamp,
    inferenceId,
    current,
  }: { payer: Address; payee: Address; timestamp: bigint; inferenceId: Hex; current: SessionPayment | null },
) {
  const entry: SessionInference = [String(timestamp), inferenceId, current];
  const id = sessionBucketIdOf(payer, payee, timestamp / BUCKET_SECONDS);
  const row = readOnly(await context.db.find(sessionBucket, { id }));
  if (row)
    await context.db
      .update(sessionBucket, { id })
      .set({ inferences: withSorted(row.inferences, entry, compareSessionInferences) });
  else
    await context.db
      .insert(sessionBucket)
      .values({ id, payer: lower(payer) as Hex, payee: lower(payee) as Hex, payments: [], inferences: [entry] });
}

/**
 * Moves an inference's session contribution from one payment to another (a link made, moved, removed, or its
 * inference proven), and re-judges both payments' states and session counts.
 */
export async function moveSessionContribution(
  context: ReconcileContext,
  inferenceId: Hex,
  before: SessionContribution,
  after: SessionContribution,
) {
  if (before?.paymentId === after?.paymentId && before?.provenAt === after?.provenAt) return;
  const { db } = context;
  const touched = new Map<Hex, PaymentSessionRow | null>();
  if (before) {
    const row = readOnly(await db.find(paymentSession, { id: before.paymentId }));
    const inferences = (row?.inferences ?? []).filter(([id]) => id !== inferenceId);
    touched.set(
      before.paymentId,
      row && (await db.update(paymentSession, { id: before.paymentId }).set({ inferences })),
    );
  }
  if (after) {
    const known = readOnly(
      touched.has(after.paymentId)
        ? touched.get(after.paymentId)
        : await db.find(paymentSession, { id: after.paymentId }),
    );
    const entry: [Hex, string | null] = [inferenceId, after.provenAt === null ? null : String(after.provenAt)];
    const inferences = [...(known?.inferences ?? []).filter(([id]) => id !== inferenceId), entry].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    touched.set(
      after.paymentId,
      known
        ? await db.update(paymentSession, { id: after.paymentId }).set({ inferences })
        : await db.insert(paymentSession).values({ id: after.paymentId, inferences }),
    );
  }
  for (const [paymentId, sessions] of touched) await reconcilePayment(context, paymentId, { sessions });
}

/**
 * A payment just indexed, offered to the session rule: kept in its payer's bucket, and linked to each inference of
 * that payer waiting for a payment to this payee whose window holds it, where it is earlier than the inference's
 * current one. Exact links keep precedence (the inference remembers the session payment all the same).
 */
export async function linkSessionPayment(
  context: ReconcileContext,
  paid: Pick<PaymentRow, "id" | "payer" | "payee" | "token" | "paidAt" | "blockNumber" | "logIndex">,
) {
  if (!ACCEPTED.has(lower(paid.token)) || !isSessionPayerCandidate(SESSION_RULES, paid.payer)) return;
  const { db } = context;
  const entry: SessionPayment = [String(paid.paidAt), String(paid.blockNumber), paid.logIndex, paid.id];
  const span = sessionSpanOf(SESSION_RULES, paid.payee);
  const ownBucket = paid.paidAt / BUCKET_SECONDS;
  // The own bucket is the last of the window's: it is written once, with the payment and any links it made.
  let own: BucketRow | null = null;
  for (const bucket of sessionBucketsOf(paid.paidAt - span, paid.paidAt, BUCKET_SECONDS)) {
    const id = sessionBucketIdOf(paid.payer, paid.payee, bucket);
    const row = readOnly(await db.find(sessionBucket, { id }));
    const inferences = row ? await offerSessionPayment(context, row.inferences, paid, entry, span) : [];
    if (bucket === ownBucket) own = row && { ...row, inferences };
    else if (row && inferences !== row.inferences) await db.update(sessionBucket, { id }).set({ inferences });
  }
  const ownId = sessionBucketIdOf(paid.payer, paid.payee, ownBucket);
  if (own)
    await db
      .update(sessionBucket, { id: ownId })
      .set({ payments: withSorted(own.payments, entry, compareSessionPayments), inferences: own.inferences });
  else
    await db.insert(sessionBucket).values({
      id: ownId,
      payer: lower(paid.payer) as Hex,
      payee: lower(paid.payee) as Hex,
      payments: [entry],
      inferences: [],
    });
}

/**
 * Offers a payment to the inferences waiting in one bucket: each whose window holds it and whose session payment so
 * far (kept in its entry) is later or none is read and linked. Returns the entries, the same list when none changed.
 */
async function offerSessionPayment(
  context: ReconcileContext,
  waiting: SessionInference[],
  paid: Pick<PaymentRow, "payer" | "payee" | "paidAt">,
  entry: SessionPayment,
  span: bigint,
): Promise<SessionInference[]> {
  let changed: SessionInference[] | undefined;
  for (let i = 0; i < waiting.length; i++) {
    const [timestamp, inferenceId, current] = waiting[i]!;
    const t = BigInt(timestamp);
    if (t > paid.paidAt || paid.paidAt - t > span || !isEarlierSessionPayment(current, entry)) continue;
    if (await isContract(paid.payer, BigInt(entry[1]))) continue;
    if (!(await linkSession(context, inferenceId, paid, entry, current ?? null))) continue;
    changed ??= [...waiting];
    changed[i] = [timestamp, inferenceId, entry];
  }
  return changed ?? waiting;
}

/** Makes `entry` an inference's session payment (and its link, unless exact): whether it did. */
async function linkSession(
  context: ReconcileContext,
  inferenceId: Hex,
  paid: Pick<PaymentRow, "payer" | "payee">,
  entry: SessionPayment,
  current: SessionPayment | null,
) {
  const { db } = context;
  const row = await db.find(inference, { id: inferenceId });
  if (!row?.payer || !row.sessionPayee || row.sessionUntil === null) return false;
  if (lower(row.payer) !== lower(paid.payer) || lower(row.sessionPayee) !== lower(paid.payee)) return false;
  const paidAt = BigInt(entry[0]);
  if (paidAt < row.timestamp || paidAt > row.sessionUntil) return false;
  if (row.sessionPaymentId) {
    if (row.sessionPaymentId === entry[3]) return false;
    // The bucket's entry knows the current payment; a row it does not describe is read (never expected).
    const known =
      current?.[3] === row.sessionPaymentId ? current : await sessionPaymentRowOf(context, row.sessionPaymentId);
    if (known && compareSessionPayments(known, entry) <= 0) return false;
  }
  const exact = row.linkKind === "exact";
  const updated = await db.update(inference, { id: inferenceId }).set({
    sessionPaymentId: entry[3],
    ...(exact ? {} : { linkKind: "session", paymentId: entry[3], receiptId: null }),
  });
  await moveSessionContribution(context, inferenceId, sessionContributionOf(row), sessionContributionOf(updated));
  return true;
}

async function sessionPaymentRowOf(context: ReconcileContext, paymentId: Hex): Promise<SessionPayment | null> {
  const row = await context.db.find(payment, { id: paymentId });
  return row && [String(row.paidAt), String(row.blockNumber), row.logIndex, row.id];
}
