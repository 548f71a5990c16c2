import { teeIdOf } from "@settlescan/abis";
import { useEffect } from "react";
import { useLocation } from "react-router";
import type { Hex } from "viem";
import type { TeesQuery } from "../../graphql/generated/graphql";
import { formatAmount, formatCount, formatDateTime } from "../../lib/format";
import { Badge, CheckBadge } from "../../ui/Badge";
import { Hash } from "../../ui/Hash";

/** Whether keccak256(publicKey) is the teeId, recomputed here rather than taken from the indexer. */
function keyMatchesInBrowser(tee: { id: string; publicKey: string }) {
  try {
    return teeIdOf(tee.publicKey as Hex).toLowerCase() === tee.id.toLowerCase();
  } catch {
    return false;
  }
}

/** Registered enclaves, their status and totals; `/tees#<teeId>` scrolls to and marks one. */
export function TeeTable({ tees }: { tees: TeesQuery["tees"] }) {
  const { hash } = useLocation();
  const selected = decodeURIComponent(hash.slice(1)).toLowerCase();
  useEffect(() => {
    if (selected) document.getElementById(selected)?.scrollIntoView({ block: "center" });
  }, [selected]);
  return (
    <div className="table-wrap">
      <table data-testid="tees">
        <thead>
          <tr>
            <th>TEE id</th>
            <th>Status</th>
            <th>Key → id</th>
            <th>Registered</th>
            <th className="num">Receipts</th>
            <th className="num">Verified</th>
            <th className="num">Invalid proof</th>
            <th className="num">Volume</th>
            <th>Last settled</th>
          </tr>
        </thead>
        <tbody>
          {tees.map((tee) => {
            const browserMatch = keyMatchesInBrowser(tee);
            return (
              <tr
                key={tee.id}
                id={tee.id.toLowerCase()}
                aria-current={selected === tee.id.toLowerCase() ? "true" : undefined}
                style={selected === tee.id.toLowerCase() ? { background: "var(--surface-2)" } : undefined}
              >
                <td>
                  <Hash value={tee.id} short copy />
                </td>
                <td>
                  {tee.revoked ? (
                    <Badge tone="fail" title={tee.revokedTx ?? undefined}>
                      Revoked {formatDateTime(tee.revokedAt)}
                    </Badge>
                  ) : (
                    <Badge tone="pass">Active</Badge>
                  )}
                </td>
                <td title="keccak256 of the registered DER public key equals the TEE id">
                  <CheckBadge
                    status={browserMatch ? "pass" : "fail"}
                    label={browserMatch ? "Verified in your browser" : "Mismatch"}
                  />
                  {browserMatch !== tee.keyMatchesId ? <span className="muted"> (indexer disagrees)</span> : null}
                </td>
                <td>
                  {formatDateTime(tee.registeredAt)} · <Hash value={tee.registeredTx} short />
                </td>
                <td className="num">{formatCount(tee.totals.receipts)}</td>
                <td className="num">{formatCount(tee.totals.verifiedReceipts)}</td>
                <td className="num">{formatCount(tee.totals.invalidProofReceipts)}</td>
                <td className="num">{formatAmount(tee.totals.volume)}</td>
                <td>{formatDateTime(tee.totals.lastSettledAt)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
