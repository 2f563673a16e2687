// A plain-text YAML editor with line numbers; a validation error is marked at its line.

import { useRef } from "react";

export interface EditorError {
  line?: number;
  column?: number;
  message: string;
}

export function YamlEditor({
  value,
  onChange,
  error,
  readOnly,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  error: EditorError | null;
  readOnly?: boolean;
  testId?: string;
}) {
  const ta = useRef<HTMLTextAreaElement>(null);
  const lines = value.split("\n");
  const errLine = error?.line;

  function goTo(line: number, column = 1) {
    const el = ta.current;
    if (!el) return;
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += (lines[i]?.length ?? 0) + 1;
    pos += Math.max(0, column - 1);
    el.focus();
    el.setSelectionRange(pos, pos);
    const container = el.parentElement;
    if (container) container.scrollTop = Math.max(0, (line - 5) * 19);
  }

  return (
    <div className="section">
      <div className="editor" data-testid={testId}>
        <div className="gutter mono" aria-hidden>
          {lines.map((_, i) => (
            <div key={i} className={errLine === i + 1 ? "err" : ""} data-line={i + 1}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea
          ref={ta}
          className="mono"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          rows={Math.max(lines.length, 16)}
          wrap="off"
          spellCheck={false}
          readOnly={readOnly}
          aria-label="Policy YAML"
          aria-invalid={!!error}
          onKeyDown={(e) => {
            if (e.key === "Tab" && !readOnly) {
              e.preventDefault();
              const el = e.currentTarget;
              const s = el.selectionStart;
              const next = value.slice(0, s) + "  " + value.slice(el.selectionEnd);
              onChange(next);
              requestAnimationFrame(() => el.setSelectionRange(s + 2, s + 2));
            }
          }}
        />
      </div>
      {error && (
        <div className="editor-error" data-testid="editor-error" data-line={error.line ?? ""}>
          <span className="where">
            {error.line ? `Line ${error.line}${error.column ? `, column ${error.column}` : ""}` : "Error"}
          </span>
          <span>{error.message}</span>
          {error.line && (
            <button className="btn small" onClick={() => goTo(error.line!, error.column)}>
              Go to line
            </button>
          )}
        </div>
      )}
    </div>
  );
}
