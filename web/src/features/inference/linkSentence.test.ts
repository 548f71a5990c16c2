import { describe, expect, test } from "vitest";
import { linkSentenceOf } from "./linkSentence";

const PAYER = "0x00000000000000000000000000000000000000a1";
const PAYEE = "0x9deebb5d1b22e4a6e027977cead13893a7e4cc1a";
const PAYMENT = `0x${"ab".repeat(32)}`;
const AT = "2026-01-01T00:00:00.000Z";

describe("linkSentenceOf", () => {
  test("default: each kind says how sure the tie is", () => {
    expect(linkSentenceOf({ kind: "exact", payment: { id: PAYMENT } }, AT)).toMatchInlineSnapshot(
      `"The settled leaf itself names the payment 0xabab…abab, so the tie is stated on chain."`,
    );
    expect(
      linkSentenceOf(
        {
          kind: "session",
          payer: PAYER,
          payee: PAYEE,
          windowEnd: "2026-01-01T00:16:40.000Z",
          payment: { id: PAYMENT },
        },
        AT,
      ),
    ).toMatchInlineSnapshot(
      `"An individual settlement named 0x0000…00a1, whose earliest payment to the enclave's address 0x9dee…cc1a settled between the response (2026-01-01 00:00:00 UTC) and the session's end (2026-01-01 00:16:40 UTC); Settlescan inferred the tie from payer and time, nothing on chain states it."`,
    );
  });

  test("behavior: a known payer without a payment in the window, and no payer at all", () => {
    expect(
      linkSentenceOf({ kind: "none", payer: PAYER, payee: PAYEE, windowEnd: "2026-01-01T00:16:40.000Z" }, AT),
    ).toMatchInlineSnapshot(
      `"An individual settlement named 0x0000…00a1 as the payer, but no payment from it to 0x9dee…cc1a settled between 2026-01-01 00:00:00 UTC and 2026-01-01 00:16:40 UTC."`,
    );
    expect(linkSentenceOf({ kind: "none" }, AT)).toMatch(/^Nothing on chain names a payment or a payer/);
  });
});
