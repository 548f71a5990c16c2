import { useEffect, useRef, useState } from "react";
import { isRetryable } from "./errors";
import type { TypedDocumentString } from "./generated/graphql";
import { subscribeGraphQL } from "./subscribe";

/** Reconnect delays after a broken stream: quick at first, then every half minute at most. */
const RECONNECT_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

export type SubscriptionStatus = "connecting" | "live" | "down";

/**
 * Keeps one GraphQL subscription open while mounted, reconnecting after a break, and calls `onNext` with each
 * result. Returns the stream's status, so a view can fall back to polling while it is not live.
 */
export function useGraphQLSubscription<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onNext: (data: TResult) => void,
  { enabled = true }: { enabled?: boolean } = {},
): SubscriptionStatus {
  const [status, setStatus] = useState<SubscriptionStatus>("connecting");
  const handler = useRef(onNext);
  handler.current = onNext;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let attempt = 0;
    const run = async () => {
      while (!controller.signal.aborted) {
        setStatus("connecting");
        try {
          await subscribeGraphQL(document, JSON.parse(key) as TVariables, {
            signal: controller.signal,
            onOpen: () => {
              attempt = 0;
              setStatus("live");
            },
            onNext: (data) => handler.current(data),
          });
          // The server completed the stream: reopen it after the shortest delay.
        } catch (error) {
          setStatus("down");
          if (!isRetryable(error)) return;
        }
        const delay = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]!;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    };
    void run();
    return () => controller.abort();
  }, [document, key, enabled]);
  return status;
}
