// `settlescan verify` on a legacy response (signed before responses named their enclave, 2026-03-05): the signature
// with the enclave's public key the user gives, and why the settlement checks cannot run.
import {
  checkMarkOf,
  LegacyResponseError,
  type LegacyVerifyReport,
  teeFieldsOf,
  verifyLegacyResponse,
} from "@settlescan/abis";

/** True when `response` is a legacy one (no `tee_id`, signed before 2026-03-05); other faults are the verifier's to report. */
export function isLegacyResponse(response: string): boolean {
  try {
    teeFieldsOf(response);
    return false;
  } catch (error) {
    return error instanceof LegacyResponseError;
  }
}

/** The legacy report as lines a person reads: one per check, then the state. */
export function formatLegacyReport(report: LegacyVerifyReport): string {
  const width = Math.max(...report.checks.map((check) => check.name.length));
  return [
    `Legacy ${report.era} response, signed at ${new Date(report.timestamp * 1000).toISOString().replace(".000Z", "Z")}`,
    ...(report.teeId ? [`  the key's teeId under its scheme: ${report.teeId}`] : []),
    "",
    ...report.checks.map(
      (check) => `${checkMarkOf(check.ok)} ${check.name.padEnd(width)}  ${check.detail} [${check.source}]`,
    ),
    "",
    `State: ${report.state} — ${report.reason}`,
    `Verified in ${report.elapsedMs} ms, trusting no Settlescan server.`,
  ].join("\n");
}

/**
 * Verifies a legacy response with `publicKey` (PEM text or DER hex; undefined: the signature is not checked) and
 * prints the report. Exit 0 never: a legacy response cannot be tied to a settlement, so it is never proven.
 */
export async function runLegacyVerify({
  response,
  file,
  publicKey,
  json,
  stdout,
}: {
  response: string;
  file: string;
  publicKey: string | undefined;
  json: boolean;
  stdout: (text: string) => void;
}): Promise<number> {
  const report = await verifyLegacyResponse({
    response,
    ...(publicKey !== undefined && { publicKey: publicKey.trim() }),
    names: { response: file },
  });
  stdout(json ? JSON.stringify(report, null, 2) : formatLegacyReport(report));
  return 1;
}
