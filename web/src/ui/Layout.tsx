import { Suspense } from "react";
import { Link, NavLink, Outlet, ScrollRestoration, useLocation } from "react-router";
import { SearchBox } from "../features/search/SearchBox";
import { IndexingStatus } from "../features/stats/IndexingStatus";
import { Loading } from "./StatusViews";
import { useTheme } from "./theme";

/** Header (brand, navigation, search, theme), the page, and the indexing status. */
export function Layout() {
  const { theme, toggle } = useTheme();
  const { pathname } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <Link to="/" className="brand">
          Settlescan
        </Link>
        <nav className="nav" aria-label="Main">
          <NavLink to="/inferences">Inferences</NavLink>
          <NavLink to="/history">Receipts</NavLink>
          <NavLink to="/payments">Payments</NavLink>
          <NavLink to="/dashboard">Dashboard</NavLink>
          <NavLink to="/tees">TEEs</NavLink>
          <NavLink to="/verify">Verify</NavLink>
        </nav>
        {/* The home page has its own, larger search box. */}
        {pathname === "/" ? null : <SearchBox />}
        <button
          type="button"
          className="theme-toggle"
          onClick={toggle}
          aria-label={`Switch to ${theme === "dark" ? "light" : "dark"} theme`}
          title="Switch theme"
        >
          {theme === "dark" ? "☀" : "☾"}
        </button>
      </header>
      <main id="main" className="main">
        <Suspense fallback={<Loading label="Loading the page" lines={8} />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <IndexingStatus />
      </footer>
      <ScrollRestoration />
    </>
  );
}
