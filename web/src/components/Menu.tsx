import { useEffect, useRef, useState, type ReactNode } from "react";

/** A button that opens a small menu of actions. */
export function MenuButton({
  label,
  items,
  testId,
  className,
  disabled,
}: {
  label: ReactNode;
  items: { id: string; label: ReactNode; onSelect: () => void; disabled?: boolean }[];
  testId?: string;
  className?: string;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const h = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("mousedown", h);
    return () => window.removeEventListener("mousedown", h);
  }, [open]);
  return (
    <div className="menu-anchor" ref={ref}>
      <button
        className={"btn " + (className ?? "")}
        onClick={() => setOpen((o) => !o)}
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid={testId}
        disabled={disabled}
      >
        {label} <span aria-hidden>▾</span>
      </button>
      {open && (
        <div className="menu" role="menu" style={{ right: 0, top: 36 }}>
          {items.map((i) => (
            <button
              key={i.id}
              role="menuitem"
              data-item={i.id}
              disabled={i.disabled}
              onClick={() => {
                setOpen(false);
                i.onSelect();
              }}
            >
              {i.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
