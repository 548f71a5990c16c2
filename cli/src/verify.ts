// `settlescan verify`: reads a saved gateway response (and optionally its request), verifies it with the one verifier
// in @settlescan/abis against the RPC and aggregator the profile or the flags name, and prints the report.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  BaseError,
  formatReport,
  type NetworkProfile,
  PROFILE_ENV,
  ProfileError,
  VerifyInputError,
  type VerifyReport,
  VerifySourceError,
  verifyResponse,
} from "@settlescan/abis";
import { loadProfile } from "@settlescan/abis/node";
import { isLegacyResponse, runLegacyVerify } from "./legacy";
import { isReceiptInput, runReceiptVerify } from "./receipt";

export const VERIFY_USAGE = `Usage: settlescan verify <response.json> [options]

Checks a TEE gateway response (a JSON body, or a saved SSE stream) from raw data: its hashes, its settlement on the
verification chain, the batch blob on Walrus, the TEE's registration at the settlement's block, and who posted it.
Given a signed x402 receipt instead (the receipt, a SettleResponse or its PAYMENT-RESPONSE header value), checks its
signature, its payment on the payment chain, and its signer beside the payment's payTo.

Options:
  --request <request.json>   the request it answered, to check tee_request_hash too
  --network <name or path>   network profile: devnet (default), opengradient, or a profile file (SETTLESCAN_NETWORK)
  --rpc <url>                verification chain RPC (default: the profile's, or ${PROFILE_ENV.verification.rpcUrl})
  --aggregator <url>         Walrus aggregator (default: the profile's, or ${PROFILE_ENV.walrus.aggregator})
  --hint <api url>           a Settlescan API that may say where the settlement is; what it says is re-checked
  --base-rpc <url>           payment chain RPC, for receipts (default: the profile's, or ${PROFILE_ENV.payment.rpcUrl})
  --public-key <file>        the enclave's public key (PEM, or DER hex), for a legacy response that names no TEE
  --json                     print the report as JSON
  -h, --help                 show this help

A legacy response (signed before 2026-03-05, without tee_id) names no enclave and defines no inferenceId: its
signature is checked with --public-key, and the report says why it cannot be tied to a settlement.

Exit status: 0 proven; 1 a check failed, unofficial, not settled, pending, or a legacy response (never proven); 2 bad
input or an unreachable source.`;

/** Where the command writes, and what it reads files and the environment from. */
export type CommandIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
};

/** Exit statuses of `settlescan verify`. */
export const EXIT = { proven: 0, failed: 1, error: 2 } as const;

/** A mistake in what the user gave (arguments, files): exit 2, with the message alone. */
class UsageError extends BaseError {
  override name = "UsageError";
}

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
};

function urlFlag(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !isHttpUrl(value))
    throw new UsageError(`--${flag} "${value}" is not an http(s) URL; expected e.g. http://127.0.0.1:8546.`);
  return value;
}

async function readInput(path: string, what: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(
      `${path}: cannot be read (${typeof code === "string" ? code : (error as Error).message}); expected the path of ${what}.`,
    );
  }
}

/** A verifier message about an input, as `file: message` ("Response field "x" is…" → "field "x" is…"). */
function inputMessageOf(file: string, message: string): string {
  const text = message.replace(/^(Response|Request) field /, "field ");
  return `${file}: ${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

/**
 * Runs `settlescan verify` with `args` (after the command name) and returns its exit status.
 * @example process.exitCode = await runVerify(["response.json", "--json"], io)
 */
export async function runVerify(args: string[], io: CommandIo): Promise<number> {
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        request: { type: "string" },
        network: { type: "string" },
        rpc: { type: "string" },
        aggregator: { type: "string" },
        hint: { type: "string" },
        "base-rpc": { type: "string" },
        "public-key": { type: "string" },
        json: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    json = values.json;
    if (values.help) {
      io.stdout(VERIFY_USAGE);
      return EXIT.proven;
    }
    const [responsePath, ...extra] = positionals;
    if (responsePath === undefined) throw new UsageError(`Missing <response.json>.\n\n${VERIFY_USAGE}`);
    if (extra.length > 0)
      throw new UsageError(`Unexpected argument "${extra[0]}": verify takes one response file.\n\n${VERIFY_USAGE}`);
    const rpc = urlFlag("rpc", values.rpc);
    const aggregatorFlag = urlFlag("aggregator", values.aggregator);
    const hintUrl = urlFlag("hint", values.hint);
    const baseRpc = urlFlag("base-rpc", values["base-rpc"]);

    const response = await readInput(responsePath, "a saved gateway response (JSON body or SSE stream)", io.cwd);
    const request =
      values.request === undefined
        ? undefined
        : await readInput(values.request, "the JSON request the response answered", io.cwd);
    let profile: NetworkProfile;
    try {
      profile = loadProfile({
        env: { ...io.env, ...(values.network !== undefined && { SETTLESCAN_NETWORK: values.network }) },
        cwd: io.cwd,
      });
    } catch (error) {
      if (!(error instanceof ProfileError) || values.network !== undefined) throw error;
      throw new UsageError(`${error.message} Or pass --network <name or path>.`, { cause: error });
    }
    if (isReceiptInput(response))
      return await runReceiptVerify({ text: response, file: responsePath, profile, rpcUrl: baseRpc, json, io });
    if (isLegacyResponse(response))
      return await runLegacyVerify({
        response,
        file: responsePath,
        publicKey:
          values["public-key"] === undefined
            ? undefined
            : await readInput(values["public-key"], "the enclave's public key (PEM, or DER hex)", io.cwd),
        json,
        stdout: io.stdout,
      }).catch((error: unknown) => {
        if (error instanceof VerifyInputError)
          throw new UsageError(inputMessageOf(responsePath, error.message), { cause: error });
        throw error;
      });
    const rpcUrl = rpc ?? profile.verification.rpcUrl;
    if (rpcUrl === undefined)
      throw new UsageError(
        `The ${profile.name} profile has no RPC URL for the verification chain (${profile.verification.chainId}): pass --rpc <url> or set ${PROFILE_ENV.verification.rpcUrl}.`,
      );
    const aggregator = aggregatorFlag ?? profile.verification.walrus.aggregator;

    let report: VerifyReport;
    try {
      report = await verifyResponse({
        response,
        ...(request !== undefined && { request }),
        profile,
        sources: { rpcUrl, aggregator, ...(hintUrl && { hintUrl }) },
        names: { response: responsePath, request: values.request ?? "the request" },
      });
    } catch (error) {
      if (error instanceof VerifyInputError)
        throw new UsageError(
          inputMessageOf(error.input === "response" ? responsePath : (values.request ?? "request"), error.message),
          { cause: error },
        );
      throw error;
    }
    const { inferenceId, state, reason, checks, enclaveAttestation, settlement, sources, elapsedMs } = report;
    io.stdout(
      json
        ? JSON.stringify(
            { inferenceId, state, reason, checks, enclaveAttestation, settlement, sources, elapsedMs },
            null,
            2,
          )
        : formatReport(report),
    );
    return state === "proven" ? EXIT.proven : EXIT.failed;
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof ProfileError ||
      error instanceof VerifySourceError ||
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" ||
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" ||
      (error as { code?: unknown }).code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL";
    const message = known ? (error as Error).message : `Unexpected failure: ${(error as Error)?.stack ?? error}`;
    if (json) io.stdout(JSON.stringify({ error: { kind: (error as Error)?.name ?? "Error", message } }, null, 2));
    io.stderr(message);
    return EXIT.error;
  }
}
