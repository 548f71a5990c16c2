import type { UseQueryResult } from "@tanstack/react-query";
import { ApiDownError, ApiRequestError } from "../graphql/errors";

/** Placeholder lines while a view loads; each feature names its own (`LoadingReceipt`) around this. */
export function Loading({ label, lines = 4 }: { label: string; lines?: number }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" data-state="loading">
      <span className="skip-link">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholder lines have no identity.
        <div key={i} className="skeleton" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="status" data-state="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

export function NotFoundState({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="status" data-state="not-found">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/** The API cannot be reached, or answered with an error; says which, and offers a retry when one can help. */
export function ErrorState({ error, retry }: { error: Error; retry?: () => void }) {
  const down = error instanceof ApiDownError;
  return (
    <div className="status error" role="alert" data-state={down ? "api-down" : "error"}>
      <h2>{down ? "The API is not answering" : "The API could not answer this"}</h2>
      <p>{error.message}</p>
      {error instanceof ApiRequestError && error.code ? (
        <p className="muted">
          <code>{error.code}</code>
        </p>
      ) : null}
      {down ? <p className="muted">The explorer reads everything from the Settlescan API; is it running?</p> : null}
      {retry && (down || (error instanceof ApiRequestError && error.retryable)) ? (
        <button type="button" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/**
 * Renders a query's loading, error (API down or bad request), not-found (`isMissing`) and empty (`isEmpty`) states,
 * and `children` with its data otherwise: every data view goes through it.
 */
export function QueryView<T>({
  query,
  loading,
  isMissing,
  missing,
  isEmpty,
  empty,
  children,
}: {
  query: UseQueryResult<T, Error>;
  loading: React.ReactNode;
  isMissing?: (data: T) => boolean;
  missing?: React.ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: React.ReactNode;
  children: (data: T) => React.ReactNode;
}) {
  if (query.isPending) return <>{loading}</>;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  const data = query.data;
  if (isMissing?.(data)) return <>{missing}</>;
  if (isEmpty?.(data)) return <>{empty}</>;
  return <>{children(data)}</>;
}
