// "Download CSV": the user chooses how many rows; the file comes from the API's export route.

import { useState } from "react";
import { Modal } from "./Overlays";
import { saveBlob, stampedName } from "../lib/download";
import { errorText, useNotify } from "../state";
import { fmtNum } from "../lib/format";

const CHOICES = [10, 50, 100, 500, 1000, 5000];

export function CsvDownloadButton({
  name,
  total,
  fetchCsv,
  testId,
}: {
  name: string;
  total: number | undefined;
  fetchCsv: (limit: number) => Promise<Blob>;
  testId: string;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button className="btn" onClick={() => setOpen(true)} data-testid={testId}>
        ⤓ Download CSV
      </button>
      {open && (
        <CsvDownloadDialog
          name={name}
          total={total}
          fetchCsv={fetchCsv}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

function CsvDownloadDialog({
  name,
  total,
  fetchCsv,
  onClose,
}: {
  name: string;
  total: number | undefined;
  fetchCsv: (limit: number) => Promise<Blob>;
  onClose: () => void;
}) {
  const [rows, setRows] = useState<string>("100");
  const [busy, setBusy] = useState(false);
  const notify = useNotify();
  const n = Number(rows);
  const valid = Number.isInteger(n) && n >= 1 && n <= 100000;

  async function go() {
    setBusy(true);
    try {
      const blob = await fetchCsv(n);
      saveBlob(blob, stampedName(name, "csv"));
      notify(`Downloaded ${name}.csv`);
      onClose();
    } catch (e) {
      notify(`Download failed: ${errorText(e)}`, true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      title="Download CSV"
      onClose={onClose}
      testId="csv-dialog"
      footer={
        <>
          <button className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn primary"
            disabled={!valid || busy}
            onClick={go}
            data-testid="csv-download"
          >
            {busy ? "Preparing…" : "Download"}
          </button>
        </>
      }
    >
      <p className="muted" style={{ margin: 0 }}>
        The current filters and time range apply.
        {total !== undefined && ` ${fmtNum(total)} rows match.`}
      </p>
      <label className="field">
        Number of rows
        <div className="toolbar">
          <select
            className="select"
            value={CHOICES.includes(n) ? String(n) : "custom"}
            onChange={(e) => e.target.value !== "custom" && setRows(e.target.value)}
            aria-label="Row count preset"
          >
            {CHOICES.map((c) => (
              <option key={c} value={c}>
                {fmtNum(c)}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
          <input
            className="input"
            type="number"
            min={1}
            max={100000}
            value={rows}
            onChange={(e) => setRows(e.target.value)}
            data-testid="csv-rows"
            aria-label="Number of rows"
            style={{ width: 120 }}
          />
        </div>
      </label>
    </Modal>
  );
}
