import { NavLink } from "react-router";

/** The two histories: receipts (exact links, with amounts) and every inference (whatever its link). */
export function HistoryTabs() {
  return (
    <nav className="tabs" aria-label="History">
      <NavLink to="/inferences">Inferences</NavLink>
      <NavLink to="/history">Receipts</NavLink>
    </nav>
  );
}
