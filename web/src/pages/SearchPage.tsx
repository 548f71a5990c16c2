import { SearchResults } from "../features/search/SearchResults";

/** Long or multi-line queries (a pasted response body) are not repeated whole in the title. */
const titleOf = (query: string) =>
  query.includes("\n") || query.length > 80 ? `a pasted response (${query.length} characters)` : query;

export function SearchPage({ query }: { query: string }) {
  return (
    <>
      <h1>
        Search <span className="mono muted">{titleOf(query)}</span>
      </h1>
      <SearchResults query={query} />
    </>
  );
}
