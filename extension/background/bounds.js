// @ts-check
/**
 * Where the dialog opens: where the person last left it, clamped to the screen, or a size
 * that fits the mail when nothing is remembered.
 *
 * The dialog page stores its bounds in `storage.local.dialogBounds` when it is resized,
 * moved or closed. A stored value is never trusted as is: it may come from a screen that is
 * no longer attached, so it is clamped to a sane size and to the current screen, which keeps
 * the dialog's title bar reachable.
 */

export const MIN_WIDTH = 520;
export const MIN_HEIGHT = 400;
const DEFAULT_WIDTH = 760;
const MAX_DEFAULT_HEIGHT = 860;

/**
 * @typedef {{ left?: number, top?: number, width: number, height: number }} Bounds
 * @typedef {{ availLeft?: number, availTop?: number, availWidth: number, availHeight: number }} ScreenArea
 */

/**
 * @param {unknown} saved  `storage.local.dialogBounds`, whatever it holds
 * @param {{ recipients: unknown[], attachments: unknown[], findings: unknown[], groups: unknown[] }} review
 * @param {ScreenArea | null} screen  the screen's available area, when known
 * @returns {Bounds}
 */
export function dialogBounds(saved, review, screen) {
  const area = screen && screen.availWidth > 0 && screen.availHeight > 0
    ? { left: screen.availLeft ?? 0, top: screen.availTop ?? 0, width: screen.availWidth, height: screen.availHeight }
    : null;
  const maxWidth = Math.max(MIN_WIDTH, area?.width ?? 4096);
  const maxHeight = Math.max(MIN_HEIGHT, area?.height ?? 4096);
  const s = /** @type {Record<string, unknown> | null} */ (saved && typeof saved === "object" ? saved : null);
  const number = (/** @type {unknown} */ v) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v) : null);

  const width = clamp(number(s?.width) ?? DEFAULT_WIDTH, MIN_WIDTH, maxWidth);
  const rows = review.recipients.length + review.attachments.length + review.findings.length + review.groups.length;
  const fitting = Math.min(MAX_DEFAULT_HEIGHT, 380 + rows * 34);
  const height = clamp(number(s?.height) ?? fitting, MIN_HEIGHT, maxHeight);
  /** @type {Bounds} */
  const bounds = { width, height };
  const left = number(s?.left);
  const top = number(s?.top);
  if (left !== null && top !== null) {
    bounds.left = area ? clamp(left, area.left, area.left + area.width - width) : clamp(left, -16384, 16384);
    bounds.top = area ? clamp(top, area.top, area.top + area.height - height) : clamp(top, -16384, 16384);
  }
  return bounds;
}

/**
 * @param {number} value
 * @param {number} min
 * @param {number} max
 */
function clamp(value, min, max) {
  return Math.min(Math.max(value, min), Math.max(min, max));
}
