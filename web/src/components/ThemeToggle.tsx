import { useTheme } from "../state";

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      className="btn ghost"
      onClick={() => setTheme(next)}
      title={`Switch to ${next} theme`}
      aria-label={`Switch to ${next} theme`}
      data-testid="theme-toggle"
      data-theme-now={theme}
    >
      {theme === "dark" ? "☾ Dark" : "☀ Light"}
    </button>
  );
}
