import { useEffect, useId, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { shapeOfQuery } from "./searchTarget";

/** True when a key press lands in a text field, where "/" is a character rather than a shortcut. */
const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));

/** Lines the box grows to while it holds a pasted multi-line response; longer pastes scroll inside it. */
const MAX_ROWS = 6;

/**
 * The one search box: anything `search` takes, including a whole response body pasted over several lines (JSON or an
 * SSE stream). "/" focuses it from anywhere; Enter opens `/search?q=…` (Shift+Enter adds a line), which goes straight
 * to the page of a single hit; a pasted response also offers "Verify", which opens /verify with it.
 */
export function SearchBox({ autoFocus, initial = "" }: { autoFocus?: boolean; initial?: string }) {
  const navigate = useNavigate();
  const input = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const [value, setValue] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const errorId = useId();

  useEffect(() => setValue(initial), [initial]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !isTyping(event.target)) {
        event.preventDefault();
        input.current?.focus();
        input.current?.select();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <search className="search">
      <form
        ref={form}
        onSubmit={(event) => {
          event.preventDefault();
          const shape = shapeOfQuery(value);
          if (shape.kind === "invalid") {
            setProblem(shape.message);
            return;
          }
          setProblem(null);
          navigate(`/search?q=${encodeURIComponent(shape.query)}`);
        }}
      >
        <textarea
          ref={input}
          name="q"
          rows={Math.min(MAX_ROWS, value.split("\n").length)}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              form.current?.requestSubmit();
            }
          }}
          placeholder="Inference id, response body, tx hash, receipt id, address…"
          aria-label="Search by inference id, pasted response body, receipt id, payment id, transaction hash, input or output hash, address, Merkle root or blob id"
          aria-keyshortcuts="/"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? errorId : undefined}
          autoComplete="off"
          spellCheck={false}
          // biome-ignore lint/a11y/noAutofocus: the home page exists to search; focus goes where the reader types.
          autoFocus={autoFocus}
        />
        <button type="submit" className="primary">
          Search
        </button>
        {shapeOfQuery(value).kind === "response" ? (
          // A pasted response can also be verified here, from the chain and the blob, trusting no server.
          <button type="button" onClick={() => navigate("/verify", { state: { response: value.trim() } })}>
            Verify
          </button>
        ) : null}
      </form>
      {problem ? (
        <p id={errorId} className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </search>
  );
}
