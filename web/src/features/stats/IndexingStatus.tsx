import { formatDateTime, formatDuration } from "../../lib/format";
import { useMeta } from "./hooks";

/** One line in the footer: indexed block per chain and how far one side lags the other. */
export function IndexingStatus() {
  const meta = useMeta();
  if (meta.isPending) return <span>Connecting to the API…</span>;
  if (meta.isError) return <span role="status">API unreachable: {meta.error.message}</span>;
  const { chains, now } = meta.data._meta;
  return (
    <span>
      {chains
        .map((c) => `${c.name} #${c.blockNumber}${c.lagSeconds > 0 ? ` (${formatDuration(c.lagSeconds)} behind)` : ""}`)
        .join(" · ")}
      {now ? ` · chain time ${formatDateTime(now)}` : ""}
    </span>
  );
}
