// A ranked list with proportional bars: readable for long attacker-chosen names, which it shows
// as text with the full value in the tooltip.

import { fmtNum } from "../lib/format";

export function BarList({
  items,
  onPick,
  testId,
  color,
  max = 10,
}: {
  items: { key: string; label?: string; count: number }[];
  onPick?: (key: string) => void;
  testId?: string;
  color?: (key: string) => string | undefined;
  max?: number;
}) {
  const shown = items.slice(0, max);
  const top = Math.max(1, ...shown.map((i) => i.count));
  return (
    <div className="bar-list" data-testid={testId}>
      {shown.map((i) => (
        <div
          key={i.key}
          className={"bar-row" + (onPick ? " clickable" : "")}
          onClick={onPick ? () => onPick(i.key) : undefined}
          data-testid="bar-row"
        >
          <span className="name" title={i.label ?? i.key}>
            {i.label ?? i.key}
          </span>
          <span className="num">{fmtNum(i.count)}</span>
          <span className="track">
            <span
              className="fill"
              style={{
                width: `${Math.max(2, (i.count / top) * 100)}%`,
                display: "block",
                background: color?.(i.key),
              }}
            />
          </span>
        </div>
      ))}
    </div>
  );
}
