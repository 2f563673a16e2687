export function App() {
  return <h1>Warden</h1>;
}
