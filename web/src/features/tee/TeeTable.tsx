import { teeIdOf } from "@settlescan/abis";
import { useEffect } from "react";
import { useLocation } from "react-router";
import type { Hex } from "viem";
import type { TeesQuery } from "../../graphql/generated/graphql";
import { formatAmount, formatCount, formatDateTime } from "../../lib/format";
import { Badge, CheckBadge } from "../../ui/Badge";
import { AddressLink, Hash } from "../../ui/Hash";
import { enclaveAttestationViewOf } from "./enclaveAttestation";

/** Whether keccak256(publicKey) is the teeId, recomputed here rather than taken from the indexer. */
function keyMatchesInBrowser(tee: { id: string; publicKey: string }) {
  try {
    return teeIdOf(tee.publicKey as Hex).toLowerCase() === tee.id.toLowerCase();
  } catch {
    return false;
  }
}

/** What disabled an enclave, in words, from its latest status change. */
const DISABLED_BY: Record<string, string> = {
  disabled: "Disabled",
  pcr_revoked: "PCR revoked",
};

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
            <th title="The indexer's re-verification of the registration's attestation document; settlements' attestation check does not depend on it">
              AWS Nitro attestation
            </th>
            <th>PCR hash</th>
            <th>Payment address</th>
            <th>Registered</th>
            <th className="num">Inferences</th>
            <th className="num">Proven</th>
            <th className="num">Invalid proof</th>
            <th className="num">Receipts</th>
            <th className="num">Volume</th>
            <th>Last settled</th>
          </tr>
        </thead>
        <tbody>
          {tees.map((tee) => {
            const browserMatch = keyMatchesInBrowser(tee);
            const lastChange = tee.history.at(-1);
            const nitro = enclaveAttestationViewOf(tee.enclaveAttestation);
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
                  {tee.enabled ? (
                    <Badge tone="pass">Enabled</Badge>
                  ) : (
                    <Badge
                      tone="fail"
                      title={lastChange ? `block ${lastChange.blockNumber}, tx ${lastChange.txHash}` : undefined}
                    >
                      {DISABLED_BY[lastChange?.kind ?? "disabled"] ?? "Disabled"}
                      {lastChange ? ` at block ${lastChange.blockNumber}` : ""}
                    </Badge>
                  )}
                </td>
                <td title="keccak256 of the registered DER public key equals the TEE id">
                  <CheckBadge
                    status={browserMatch ? "pass" : "fail"}
                    label={browserMatch ? "Verified in your browser" : "Mismatch"}
                  />
                  {browserMatch !== tee.keyMatchesId ? <span className="muted"> (indexer disagrees)</span> : null}
                </td>
                <td title={nitro.meaning} data-testid="enclave-attestation">
                  <CheckBadge status={nitro.status} label={nitro.label} />
                  {nitro.detail ? <div className="muted">{nitro.detail}</div> : null}
                </td>
                <td>
                  <Hash value={tee.pcrHash} short />{" "}
                  {tee.pcr?.approved ? null : <Badge tone="fail">{tee.pcr ? "revoked" : "not approved"}</Badge>}
                </td>
                <td>
                  <AddressLink address={tee.paymentAddress} relation="payee" />
                </td>
                <td>
                  {formatDateTime(tee.registeredAt)} · <Hash value={tee.registeredTx} short />
                </td>
                <td className="num">{formatCount(tee.totals.inferences)}</td>
                <td className="num">{formatCount(tee.totals.provenInferences)}</td>
                <td className="num">{formatCount(tee.totals.invalidProofInferences)}</td>
                <td className="num">{formatCount(tee.totals.receipts)}</td>
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
