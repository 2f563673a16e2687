// Slide-out panel (Drawer) and dialog (Modal); both close on Escape and on the backdrop.

import { useEffect, type ReactNode } from "react";

function useEscape(onClose: () => void) {
  useEffect(() => {
    const h = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", h);
    return () => window.removeEventListener("keydown", h);
  }, [onClose]);
}

export function Drawer({
  onClose,
  head,
  children,
  testId,
  label,
}: {
  onClose: () => void;
  head: ReactNode;
  children: ReactNode;
  testId: string;
  label: string;
}) {
  useEscape(onClose);
  return (
    <>
      <div className="overlay" onClick={onClose} />
      <aside className="drawer" role="dialog" aria-label={label} data-testid={testId}>
        <div className="drawer-head">{head}</div>
        <div className="drawer-body">{children}</div>
      </aside>
    </>
  );
}

export function CloseButton({ onClick }: { onClick: () => void }) {
  return (
    <button className="btn ghost small close" onClick={onClick} aria-label="Close">
      ✕
    </button>
  );
}

export function Modal({
  title,
  onClose,
  children,
  footer,
  testId,
  wide,
}: {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  testId: string;
  wide?: boolean;
}) {
  useEscape(onClose);
  return (
    <>
      <div className="overlay modal-overlay" onClick={onClose} />
      <div className={"modal" + (wide ? " wide" : "")} role="dialog" aria-modal="true" data-testid={testId}>
        <div className="modal-head">
          <h2>{title}</h2>
          <CloseButton onClick={onClose} />
        </div>
        <div className="modal-body">{children}</div>
        {footer && <div className="modal-foot">{footer}</div>}
      </div>
    </>
  );
}
