import { type Hex, keccak256, stringToHex } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";

/** Anvil's default mnemonic: the devnet's well-known accounts (never hold real funds with them). */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";

const anvilAccount = (addressIndex: number) => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex });

/** Anvil account 0: deploys and owns every contract (docs/protocol.md). */
export const DEPLOYER = anvilAccount(0);
/** Anvil account 1: the x402 facilitator submitting payments on "base" and proofs on "og". */
export const FACILITATOR = anvilAccount(1);
/** Anvil account 2: the inference provider that x402 payments pay to. */
export const PAYEE = anvilAccount(2);
/** Anvil account 10: a second facilitator, so analytics by facilitator have more than one row. */
export const FACILITATOR_2 = anvilAccount(10);
/** Anvil account 11: the exact-link facilitator's signer on "og" (an official signer of the v3 relay). */
export const EXACT_FACILITATOR = anvilAccount(11);
/** Anvil account 12: posts to the v3 relay (which lets anyone post) without being one of its known signers. */
export const UNOFFICIAL_POSTER = anvilAccount(12);
/** Anvil accounts 3–9: named clients of the live traffic generator. */
export const CLIENTS = [3, 4, 5, 6, 7, 8, 9].map(anvilAccount);

/** A payer derived from a scenario seed: deterministic, holds no ETH (x402 payers never pay gas). */
export function payerAccountOf(seed: string, index: number) {
  return privateKeyToAccount(keccak256(stringToHex(`settlescan payer ${seed} ${index}`)) as Hex);
}
