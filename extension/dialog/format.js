// @ts-check
/** Formatting shared by the dialog and the playground's preview. */

/**
 * A human-readable size: `812 B`, `1.2 KB`, `35 MB`.
 * @param {number | null | undefined} bytes
 * @param {string} lang
 * @returns {string | null}
 */
export function formatBytes(bytes, lang) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return null;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
