/** How an x402 payment moved its tokens, as the payment page names it. */
export const PAYMENT_SCHEME_LABELS = {
  eip3009: "x402 exact · EIP-3009",
  permit2_exact: "x402 exact · Permit2",
  permit2_upto: "x402 upto · Permit2 (session)",
} as const;
