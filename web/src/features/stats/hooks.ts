import { useGraphQLQuery } from "../../graphql/useGraphQLQuery";
import {
  FacilitatorsQuery,
  HeadlineQuery,
  InferenceStatsQuery,
  MetaQuery,
  PaymentStatsQuery,
  ProtocolHealthQuery,
  StatsQuery,
  TopPayeesQuery,
} from "./queries";

/** How often aggregates refresh: a dashboard polls. */
const STATS_REFRESH_MS = 10_000;

export function useHeadline() {
  return useGraphQLQuery(HeadlineQuery, {}, { refetchInterval: STATS_REFRESH_MS, keepPrevious: true });
}

export function useMeta() {
  return useGraphQLQuery(MetaQuery, {}, { refetchInterval: STATS_REFRESH_MS, keepPrevious: true });
}

type StatsArgs = { from: string; to: string; interval: "HOUR" | "DAY" | "WEEK" };

export function useStats(args: StatsArgs | null) {
  return useGraphQLQuery(StatsQuery, args ?? { from: "", to: "", interval: "DAY" }, {
    enabled: args != null,
    refetchInterval: STATS_REFRESH_MS,
    keepPrevious: true,
  });
}

export function useInferenceStats(args: StatsArgs | null) {
  return useGraphQLQuery(InferenceStatsQuery, args ?? { from: "", to: "", interval: "DAY" }, {
    enabled: args != null,
    refetchInterval: STATS_REFRESH_MS,
    keepPrevious: true,
  });
}

export function useProtocolHealth() {
  return useGraphQLQuery(ProtocolHealthQuery, {}, { refetchInterval: STATS_REFRESH_MS, keepPrevious: true });
}

/** Per-payee totals over the range: one bucket per group is enough, so the whole range is asked as weeks. */
export function useTopPayees(args: StatsArgs | null) {
  return useGraphQLQuery(
    TopPayeesQuery,
    args ? { ...args, interval: "WEEK" } : { from: "", to: "", interval: "WEEK" },
    {
      enabled: args != null,
      refetchInterval: STATS_REFRESH_MS,
      keepPrevious: true,
    },
  );
}

export function useFacilitators() {
  return useGraphQLQuery(FacilitatorsQuery, {}, { refetchInterval: STATS_REFRESH_MS, keepPrevious: true });
}

export function usePaymentStats(args: StatsArgs | null) {
  return useGraphQLQuery(PaymentStatsQuery, args ?? { from: "", to: "", interval: "DAY" }, {
    enabled: args != null,
    refetchInterval: STATS_REFRESH_MS,
    keepPrevious: true,
  });
}
