// The enclave's AWS Nitro attestation, re-verified from the document its registration carried. Reported beside the
// checks, never among them: the registry's own on-chain verification is what the attestation check and the state rest
// on; this says only whether that document also verifies against AWS's PKI here, trusting no precompile.
import { type Address, decodeFunctionData, getAbiItem, getAddress, type Hex } from "viem";
import { AWS_NITRO_ROOT_CERTIFICATE_PEM } from "../attestation/awsNitroRoot";
import { verifyNitroAttestation } from "../attestation/nitro";
import type { NetworkProfile } from "../profile";
import { publicKeyDerOf } from "../signatureSchemes";
import { teeRegistryAbi } from "../teeRegistryAbi";
import { listOf, rpcSourceOf, shortHex } from "./checks";
import type { ChainReader } from "./sources";
import { reasonOf } from "./sources";

const TEE_REGISTERED = getAbiItem({ abi: teeRegistryAbi, name: "TEERegistered" });

/** The registration whose calldata carried the document. */
export type EnclaveRegistration = {
  registry: Address;
  txHash: Hex;
  blockNumber: number;
  /** Unix seconds of the registration's block: the time the document's certificates must have been valid at. */
  timestamp: number;
};

/**
 * The enclave's attestation document re-verified against the AWS Nitro root (`verifyNitroAttestation`): `verified`,
 * `failed` (a Nitro document that does not verify), or `unverifiable` (not a Nitro document, e.g. the devnet's, or
 * one that could not be read). Not one of the checks: it never changes the attestation check or the state.
 */
export type EnclaveAttestation = {
  result: "verified" | "failed" | "unverifiable";
  /** `true` verified, `false` failed, `null` unverifiable: as a check's `ok`, for marks and badges. */
  ok: boolean | null;
  /** Why it is not `verified`, one sentence each; empty when it is. */
  reasons: string[];
  /** `keccak256(pcr0 ‖ pcr1 ‖ pcr2)` of the document, when it is a Nitro document. */
  pcrHash?: Hex;
  moduleId?: string;
  registration?: EnclaveRegistration;
  detail: string;
  source: string;
};

const OK = { verified: true, failed: false, unverifiable: null } as const;

const iso = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Finds the TEE's latest `TEERegistered` log in the profile's registries up to `toBlock`, decodes the
 * `registerTEEWithAttestation` call of its transaction and re-verifies the document with the AWS Nitro root as of the
 * registration's block time, binding it to the registered signing key. Never throws: a source that fails makes it
 * `unverifiable`, saying why.
 * @example await enclaveAttestationOf({ chain, profile, teeId, toBlock: 1234n }) // { result: "unverifiable", … }
 */
export async function enclaveAttestationOf({
  chain,
  profile,
  teeId,
  toBlock,
  logBlockRange,
}: {
  chain: ChainReader;
  profile: NetworkProfile;
  teeId: Hex;
  /** The last block searched: the settlement's block, else the head. */
  toBlock: bigint;
  logBlockRange: bigint;
}): Promise<EnclaveAttestation> {
  const registries = profile.verification.teeRegistries.filter(
    (registry) => registry.startBlock === undefined || BigInt(registry.startBlock) <= toBlock,
  );
  const unverifiable = (reason: string, source: string, registration?: EnclaveRegistration): EnclaveAttestation => ({
    result: "unverifiable",
    ok: null,
    reasons: [reason],
    ...(registration && { registration }),
    detail: `${reason}.`,
    source,
  });
  if (registries.length === 0)
    return unverifiable(`the profile lists no TEE registry deployed by block ${toBlock}`, rpcSourceOf(chain));
  const fromBlock = BigInt(Math.min(...registries.map((r) => r.startBlock ?? profile.verification.startBlock ?? 0)));
  const searched = `TEERegistered(${shortHex(teeId)}) of registry ${listOf(registries.map((r) => r.address))} in blocks ${fromBlock}–${toBlock}`;
  try {
    const logs = await chain.read(`eth_getLogs(TEERegistered, blocks ${fromBlock}–${toBlock})`, (c) =>
      c.getLogs({
        address: registries.map((r) => r.address),
        event: TEE_REGISTERED,
        args: { teeId },
        fromBlock,
        toBlock,
        blockRange: logBlockRange,
      }),
    );
    const latest = logs
      .filter((log) => log.transactionHash !== null && log.blockNumber !== null)
      .sort((a, b) =>
        a.blockNumber === b.blockNumber ? a.logIndex! - b.logIndex! : a.blockNumber! < b.blockNumber! ? -1 : 1,
      )
      .at(-1);
    if (!latest)
      return unverifiable(
        `no registration of TEE ${teeId} was found`,
        `${rpcSourceOf(chain)}: eth_getLogs ${searched}`,
      );
    const txHash = latest.transactionHash!;
    const blockNumber = latest.blockNumber!;
    const [tx, timestamp] = await Promise.all([
      chain.read(`eth_getTransactionByHash(${txHash})`, (c) => c.getTransaction({ hash: txHash })),
      chain.timestampOf(blockNumber),
    ]);
    const registry = getAddress(latest.address);
    const registration = { registry, txHash, blockNumber: Number(blockNumber), timestamp: Number(timestamp) };
    const source = `${rpcSourceOf(chain, blockNumber)}: TEERegistered in tx ${txHash} (${iso(timestamp)}), its input; AWS Nitro root certificate`;
    let call: ReturnType<typeof decodeFunctionData<typeof teeRegistryAbi>> | undefined;
    try {
      call = decodeFunctionData({ abi: teeRegistryAbi, data: tx.input });
    } catch {
      call = undefined;
    }
    if (call?.functionName !== "registerTEEWithAttestation") {
      const to = tx.to ? getAddress(tx.to) : "a contract creation";
      const what = call ? `a ${call.functionName} call` : "not a registerTEEWithAttestation call";
      return unverifiable(
        to === registry
          ? `the registration's input is ${what}, which carries no attestation document`
          : `the registration tx went to ${to}, not the registry, and its input is ${what}, so the document could not be read`,
        source,
        registration,
      );
    }
    const [document, signingPublicKey] = call.args;
    const nitro = await verifyNitroAttestation(document, {
      rootCertificate: AWS_NITRO_ROOT_CERTIFICATE_PEM,
      at: new Date(Number(timestamp) * 1000),
      expectedSigningKeyDer: signingKeyDerOf(signingPublicKey),
    });
    const found = `${nitro.moduleId ? `module ${nitro.moduleId}` : ""}${nitro.pcrHash ? `${nitro.moduleId ? ", " : ""}PCR hash ${shortHex(nitro.pcrHash)}` : ""}`;
    const detail =
      nitro.result === "verified"
        ? `the document registered in block ${blockNumber} is signed by AWS Nitro (certificate chain valid at ${iso(timestamp)}) and binds the registered signing key${found ? ` (${found})` : ""}.`
        : nitro.result === "failed"
          ? `the Nitro document registered in block ${blockNumber}${found ? ` (${found})` : ""} does not verify: ${nitro.reasons.join("; ")}.`
          : `${nitro.reasons.join("; ")}.`;
    return {
      result: nitro.result,
      ok: OK[nitro.result],
      reasons: nitro.reasons,
      ...(nitro.pcrHash && { pcrHash: nitro.pcrHash }),
      ...(nitro.moduleId && { moduleId: nitro.moduleId }),
      registration,
      detail,
      source,
    };
  } catch (error) {
    return unverifiable(
      `its registration could not be read from the RPC (${reasonOf(error)})`,
      `${rpcSourceOf(chain)}: eth_getLogs ${searched}`,
    );
  }
}

/** The registered signing key as DER: enclaves registered before 2026-03-06 may have sent their PEM text's bytes. */
function signingKeyDerOf(signingPublicKey: Hex): Hex {
  try {
    return publicKeyDerOf(signingPublicKey);
  } catch {
    return signingPublicKey;
  }
}
