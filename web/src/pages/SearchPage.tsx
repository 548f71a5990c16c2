import { SearchResults } from "../features/search/SearchResults";

export function SearchPage({ query }: { query: string }) {
  return (
    <>
      <h1>
        Search <span className="mono muted">{query}</span>
      </h1>
      <SearchResults query={query} />
    </>
  );
}
