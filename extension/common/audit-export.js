// @ts-check
/**
 * The confirmation record's export formats: JSON Lines (one record per line, exactly as
 * stored, which `misend-guard audit` reads) and CSV (the same fields flattened, for a
 * spreadsheet).
 *
 * The CSV starts with a UTF-8 byte order mark, so that Excel in Japan opens it as UTF-8 and
 * not as Shift_JIS; every field is quoted, quotes doubled, lines end with CRLF (RFC 4180).
 * A field that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return, as a hostile subject or file name may) is prefixed with `'`, so
 * that opening the file runs nothing.
 */

/** @typedef {import("./audit-store.js").AuditRecord} AuditRecord */

/** The CSV's columns, in order: the record's fields, lists flattened to one cell each. */
export const CSV_COLUMNS = /** @type {const} */ ([
  "v",
  "id",
  "time",
  "identity",
  "recipients",
  "attachments",
  "findings",
  "verdict",
  "action",
  "fixes",
  "dialogMs",
  "delivered",
  "subject",
]);

/** The separator between the items of a list in one CSV cell. */
const ITEM_SEPARATOR = "; ";

/**
 * One record per line, UTF-8, `\n` after each.
 * @param {AuditRecord[]} records
 */
export function toJsonLines(records) {
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

/**
 * The CSV, with its byte order mark and a header line.
 * @param {AuditRecord[]} records
 */
export function toCsv(records) {
  const lines = [CSV_COLUMNS.map(csvField).join(",")];
  for (const record of records) lines.push(CSV_COLUMNS.map((column) => csvField(csvCell(record, column))).join(","));
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/**
 * A record's value for one column, as text.
 * @param {AuditRecord} record
 * @param {(typeof CSV_COLUMNS)[number]} column
 */
export function csvCell(record, column) {
  switch (column) {
    case "recipients":
      return (record.recipients ?? []).map((r) => `${r.field}:${r.address} (${r.class})`).join(ITEM_SEPARATOR);
    case "attachments":
      return (record.attachments ?? []).map((a) => (a.size === null || a.size === undefined ? a.name : `${a.name} (${a.size})`)).join(ITEM_SEPARATOR);
    case "findings":
      return (record.findings ?? []).map((f) => `${f.code}:${f.severity}`).join(ITEM_SEPARATOR);
    case "fixes":
      return (record.fixes ?? []).join(ITEM_SEPARATOR);
    case "delivered":
      return record.delivered === null || record.delivered === undefined ? "" : String(record.delivered);
    default: {
      const value = record[column];
      return value === undefined || value === null ? "" : String(value);
    }
  }
}

/**
 * One quoted CSV field, safe to open in a spreadsheet.
 * @param {string} text
 */
export function csvField(text) {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * The file name of an export made at `now`.
 * @param {Date} now
 * @param {"csv" | "jsonl"} extension
 */
export function exportFileName(now, extension) {
  return `misend-guard-record-${now.toISOString().slice(0, 10)}.${extension}`;
}
