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

/**
 * The type of a file as its name says: the extension in capitals (`PDF`, `XLSX`), or null
 * when the name has none. Only the last extension counts, because that is what opens the
 * file; a name like `invoice.pdf.exe` shows `EXE`.
 * @param {string} name
 * @returns {string | null}
 */
export function fileType(name) {
  const match = /\.([^./\\\s]{1,10})$/.exec(name.trim());
  return match ? match[1].toUpperCase() : null;
}

/**
 * Text compared for a retyped file name: Unicode-normalized (full-width and half-width
 * forms are the same, as a Japanese IME may type either), trimmed, and case-insensitive
 * (as Windows file names are).
 * @param {string} text
 */
export function normalizeFileName(text) {
  return text.normalize("NFKC").trim().toLowerCase();
}

/**
 * Shortens text to at most `max` characters, cutting on the side away from the match.
 * @param {string} text
 * @param {number} max
 * @param {"start" | "end"} keep which end to keep
 */
export function clip(text, max, keep) {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return keep === "end" ? `…${chars.slice(chars.length - max).join("")}` : `${chars.slice(0, max).join("")}…`;
}

/**
 * Characters that change how the text around them is shown without being seen themselves:
 * bidirectional controls (the `fdp.exe` trick, the Arabic letter mark U+061C), the zero-width
 * space and the BOM, the soft hyphen, the Mongolian vowel separator, the line and paragraph
 * separators (a line break inside one line of a file name), the tag characters
 * U+E0000–E007F, and the Hangul fillers, which render blank. The zero-width joiners are
 * left alone: emoji sequences and some scripts need them.
 */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/gu;

/**
 * The text with its invisible format characters shown as `⟦U+202E⟧`, so that what the
 * person reads is what the mail holds.
 * @param {string} text
 */
export function visible(text) {
  return text.replace(INVISIBLE, (c) => `⟦U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")}⟧`);
}
