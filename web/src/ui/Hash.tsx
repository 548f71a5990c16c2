import { useState } from "react";
import { Link } from "react-router";
import { shortHex } from "../lib/format";

/** Copies a value to the clipboard, saying so for a moment. */
export function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="copy"
      aria-label={`Copy ${value}`}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      }}
    >
      {copied ? "copied" : "copy"}
    </button>
  );
}

/**
 * A hex id or address: shortened in tables (`short`), whole in detail views, linked when `to` is given, with the full
 * value in the title and a copy button.
 */
export function Hash({ value, to, short, copy }: { value: string; to?: string; short?: boolean; copy?: boolean }) {
  const text = short ? shortHex(value) : value;
  const body = (
    <span className="mono" title={value}>
      {text}
    </span>
  );
  return (
    <>
      {to ? (
        <Link to={to} title={value}>
          {body}
        </Link>
      ) : (
        body
      )}
      {copy ? <CopyButton value={value} /> : null}
    </>
  );
}

/** An address linked to its page. */
export function AddressLink({
  address,
  relation,
  short = true,
}: {
  address: string | null | undefined;
  relation?: string;
  short?: boolean;
}) {
  if (!address) return <span className="muted">—</span>;
  return <Hash value={address} short={short} to={`/address/${address}${relation ? `?role=${relation}` : ""}`} />;
}
