import { Link } from "react-router";
import { NotFoundState } from "../ui/StatusViews";

export function NotFoundPage() {
  return (
    <NotFoundState title="Page not found">
      <p>
        There is no such page. <Link to="/">Search from the start</Link>.
      </p>
    </NotFoundState>
  );
}
