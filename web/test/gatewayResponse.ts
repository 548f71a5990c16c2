import {
  eventBytesOfBlobId,
  individualBlobOf,
  inputHashOf,
  outputHashOf,
  settlementRelayV3Abi,
  teeFieldsOf,
  teeResponseOf,
  uploadBlob,
} from "@settlescan/abis";
import { FACILITATOR, PAYEE } from "@settlescan/devnet/accounts";
import type { Deployment } from "@settlescan/devnet/deployment";
import { rpc } from "@settlescan/devnet/rpc";
import { loadTees, runModel } from "@settlescan/devnet/tees";
import { createPublicClient, createWalletClient, http } from "viem";

/** How far the chain's clock is moved on before a response is signed. */
const LATER_SECONDS = 15 * 60;

/**
 * A gateway response as its user holds it, answered and signed by the devnet's enclave tee-alpha the way the devnet
 * gateway does (the prompt reversed) at the verification chain's time, then settled individually by the facilitator
 * (its blob uploaded, `settleIndividual` posted). The scenario's own responses carry random hashes, not content; this
 * one's content hashes to what the enclave signed.
 */
export async function settledGatewayResponse(deployment: Deployment, prompt: string) {
  const og = deployment.chains.og;
  const client = createPublicClient({ transport: http(og.rpcUrl) });
  const wallet = createWalletClient({ account: FACILITATOR, transport: http(og.rpcUrl) });
  const tee = (await loadTees())["tee-alpha"];
  // Past the scenario's last batches (some of whose blobs stay pending) by more than the verifier's 5-minute lead, so
  // the search for this inference's settlements holds nothing unreadable that could be an earlier one.
  await rpc(og.rpcUrl, "evm_increaseTime", [LATER_SECONDS]);
  await rpc(og.rpcUrl, "anvil_mine", ["0x1"]);
  const { timestamp } = await client.getBlock();
  const request = JSON.stringify({ model: "devnet/reverse", messages: [{ role: "user", content: prompt }] });
  const content = runModel(prompt);
  const inputHash = inputHashOf(request, "chat");
  const signature = await tee.sign({ inputHash, outputHash: outputHashOf({ content }), timestamp });
  const response = teeResponseOf({
    kind: "chat",
    model: "devnet/reverse",
    output: { content },
    inputHash,
    timestamp,
    teeId: tee.teeId,
    signature,
  });
  const fields = teeFieldsOf(response);
  const blobId = await uploadBlob(
    deployment.walrus.publisherUrl,
    individualBlobOf({
      input: JSON.parse(request),
      output: JSON.parse(response),
      teeSignature: fields.signatureBase64,
      teeId: fields.teeId,
      timestamp,
      ethAddress: PAYEE.address,
    }),
  );
  const hash = await wallet.writeContract({
    chain: null,
    address: deployment.contracts.relay.address,
    abi: settlementRelayV3Abi,
    functionName: "settleIndividual",
    args: [
      fields.teeId,
      fields.inputHash,
      fields.outputHash,
      timestamp,
      PAYEE.address,
      eventBytesOfBlobId(blobId),
      fields.signature,
    ],
  });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`settleIndividual ${hash} reverted.`);
  return { request, response, inferenceId: fields.inferenceId };
}
