import type { FilterField } from "./FilterBar";

/**
 * Values as a filter's options, each with its label.
 * @example optionsOf(["exact", "none"], LINK_KIND_LABELS) // [{ value: "exact", label: "Exact" }, { value: "none", label: "None" }]
 */
export const optionsOf = <T extends string>(values: readonly T[], labels: Readonly<Record<T, string>>) =>
  values.map((value) => ({ value, label: labels[value] }));

/** The checkboxes of a list field, one per allowed value. */
export const checksOf = <V, T extends string>(
  key: keyof V & string,
  legend: string,
  values: readonly T[],
  labels: Readonly<Record<T, string>>,
): FilterField<V> => ({ kind: "checks", key, legend, options: optionsOf(values, labels) });

/** The parties of a payment, each an address typed. */
export const partyFilters = <V extends { payer: string; payee: string; facilitator: string }>(): FilterField<V>[] => [
  { kind: "text", key: "payer", label: "Payer", placeholder: "0x… address" },
  { kind: "text", key: "payee", label: "Payee", placeholder: "0x… address" },
  { kind: "text", key: "facilitator", label: "Facilitator", placeholder: "0x… address" },
];

/** The enclave, by its TEE id. */
export const enclaveFilter = <V extends { teeId: string }>(): FilterField<V> => ({
  kind: "text",
  key: "teeId",
  label: "Enclave (TEE id)",
  placeholder: "0x… 32 bytes",
});

/**
 * The days (or instants) of a range, labelled by what happened then.
 * @example rangeFilters("Paid") // "Paid from (UTC)", "Paid through (UTC)"
 */
export const rangeFilters = <V extends { from: string; to: string }>(event: string): FilterField<V>[] => [
  { kind: "text", key: "from", label: `${event} from (UTC)`, placeholder: "YYYY-MM-DD" },
  { kind: "text", key: "to", label: `${event} through (UTC)`, placeholder: "YYYY-MM-DD" },
];
