import { randomUUID } from "node:crypto";
import type { PaymentPayload, PaymentRequirements, SettleResponse } from "@x402/core/types";
import type { Address } from "viem";
import { PaidRequestError } from "../x402/errors";

/** The header naming a payment session (og-x402's session mode): answered on every session request, sent back by the client. */
export const UPTO_SESSION_HEADER = "X-Upto-Session";

/** tee-gateway's `session_idle_timeout` (`__main__.py`): a session settles after this many idle seconds. */
export const DEFAULT_SESSION_IDLE_SECONDS = 100;
/** A session settles at the latest this long after it opened (the profile's `sessionMaxSeconds`). */
export const DEFAULT_SESSION_MAX_SECONDS = 900;

/** A closed session's settlement was refused or reverted (e.g. its Permit2 nonce was cancelled): its inferences stay unpaid. */
export class SessionSettlementError extends PaidRequestError {
  override name = "SessionSettlementError";
}

/** Why a session was closed: idle, its cap reached (or the next request did not fit), too old, or the gateway closing. */
export type SessionCloseReason = "idle" | "exhausted" | "max_age" | "closing";

/**
 * What became of a session: `open` (taking requests), `settling`, `settled` (one transaction for what it charged),
 * `empty` (charged nothing: no transaction, as the real gateway), `failed` (the settlement was refused or reverted,
 * e.g. the payer cancelled the Permit2 nonce: the inferences stay unpaid).
 */
export type SessionStatus = "open" | "settling" | "settled" | "empty" | "failed";

/** One `upto` payment session: the payer's authorization of at most `cap`, and what its inferences cost so far. */
export type UptoSession = {
  id: string;
  payer: Address;
  /** The payment of the session's first request, verified then, settled once when the session closes. */
  payload: PaymentPayload;
  requirements: PaymentRequirements;
  declaredExtensions?: Record<string, unknown>;
  /** The first request's x402 transport context (its URL names the resource in the settlement's receipt). */
  transportContext?: unknown;
  cap: bigint;
  charged: bigint;
  /** Inferences answered on the session. */
  inferences: number;
  /** Milliseconds (Date.now()). */
  openedAt: number;
  lastActivityAt: number;
  status: SessionStatus;
  closeReason?: SessionCloseReason;
  settlement?: SettleResponse;
  error?: string;
};

export type SessionStoreOptions = {
  idleSeconds?: number;
  maxSeconds?: number;
  /** Settles a closed session for `session.charged` (the facilitator's `settle`, through the resource server). */
  settle: (session: UptoSession) => Promise<SettleResponse>;
  /** Called once a session reached `settled`, `empty` or `failed`. */
  onClosed?: (session: UptoSession) => void;
  /** How often the reaper looks for due sessions (default: a quarter of the idle time, at most one second). */
  reapIntervalMs?: number;
  now?: () => number;
};

/** What charging a session answered: `charged`, or `exhausted` when the cost does not fit what is left of the cap. */
export type ChargeResult = "charged" | "exhausted";

/**
 * The gateway's session store and reaper, as og-x402's `SessionStore` runs them: the first request's `upto`
 * authorization opens a session, later requests add their cost to it, and the reaper settles each session ONCE, for
 * what it charged, when it has idled `idleSeconds`, is `maxSeconds` old, or is exhausted. A session that charged
 * nothing sends no transaction.
 * @example const store = createSessionStore({ idleSeconds: 100, settle: (s) => server.settlePayment(...) })
 */
export function createSessionStore({
  idleSeconds = DEFAULT_SESSION_IDLE_SECONDS,
  maxSeconds = DEFAULT_SESSION_MAX_SECONDS,
  settle,
  onClosed = () => {},
  reapIntervalMs = Math.min(1_000, Math.max(20, (idleSeconds * 1_000) / 4)),
  now = Date.now,
}: SessionStoreOptions) {
  if (!(idleSeconds > 0)) throw new RangeError(`sessionIdleSeconds is ${idleSeconds}; expected a number > 0.`);
  if (!(maxSeconds > 0)) throw new RangeError(`sessionMaxSeconds is ${maxSeconds}; expected a number > 0.`);
  const sessions = new Map<string, UptoSession>();
  const settling = new Set<Promise<void>>();
  const timer = setInterval(() => reap(), reapIntervalMs);
  timer.unref?.();

  function close(session: UptoSession, reason: SessionCloseReason) {
    if (session.status !== "open") return;
    session.closeReason = reason;
    if (session.charged === 0n) {
      session.status = "empty";
      onClosed(session);
      return;
    }
    session.status = "settling";
    const done = settle(session)
      .then(
        (settlement) => {
          session.settlement = settlement;
          session.status = settlement.success ? "settled" : "failed";
          if (!settlement.success)
            session.error = [settlement.errorReason, settlement.errorMessage].filter(Boolean).join(": ");
        },
        (error: unknown) => {
          session.status = "failed";
          session.error = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => {
        settling.delete(done);
        onClosed(session);
      });
    settling.add(done);
  }

  /** Closes every open session that is due now. */
  function reap() {
    const at = now();
    for (const session of sessions.values()) {
      if (session.status !== "open") continue;
      if (at - session.lastActivityAt >= idleSeconds * 1_000) close(session, "idle");
      else if (at - session.openedAt >= maxSeconds * 1_000) close(session, "max_age");
    }
  }

  return {
    /** Opens a session on a verified `upto` payment, charging its first request. */
    open(
      fields: Pick<
        UptoSession,
        "payer" | "payload" | "requirements" | "declaredExtensions" | "transportContext" | "cap"
      >,
      cost: bigint,
    ) {
      const at = now();
      const session: UptoSession = {
        ...fields,
        id: randomUUID(),
        charged: 0n,
        inferences: 0,
        openedAt: at,
        lastActivityAt: at,
        status: "open",
      };
      sessions.set(session.id, session);
      this.charge(session, cost);
      return session;
    },
    /** The open session `id` names, if any. */
    openSession(id: string | undefined): UptoSession | undefined {
      const session = id === undefined ? undefined : sessions.get(id);
      return session?.status === "open" ? session : undefined;
    },
    /**
     * Adds one inference's cost; a cost beyond what is left closes the session (`exhausted`) without charging it, and
     * a session whose cap is reached closes after charging.
     */
    charge(session: UptoSession, cost: bigint): ChargeResult {
      if (session.status !== "open" || session.charged + cost > session.cap) {
        close(session, "exhausted");
        return "exhausted";
      }
      session.charged += cost;
      session.inferences++;
      session.lastActivityAt = now();
      if (session.charged === session.cap) close(session, "exhausted");
      return "charged";
    },
    reap,
    /** Every session so far, oldest first (closed ones included). */
    list: () => [...sessions.values()],
    get: (id: string) => sessions.get(id),
    /** Closes every open session now (e.g. on shutdown) and waits for their settlements. */
    async closeAll() {
      for (const session of sessions.values()) close(session, "closing");
      await this.idle();
    },
    /** Resolves once no settlement is in flight. */
    async idle() {
      while (settling.size > 0) await Promise.all([...settling]);
    },
    stop: () => clearInterval(timer),
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
