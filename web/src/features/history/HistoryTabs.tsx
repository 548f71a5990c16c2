import { NavLink } from "react-router";

/** The three histories: every inference (whatever its link), receipts (exact links, with amounts), and payments. */
export function HistoryTabs() {
  return (
    <nav className="tabs" aria-label="History">
      <NavLink to="/inferences">Inferences</NavLink>
      <NavLink to="/history">Receipts</NavLink>
      <NavLink to="/payments">Payments</NavLink>
    </nav>
  );
}
