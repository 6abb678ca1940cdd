// @ts-check
/**
 * The dialog's `visible()`: every character that changes how text looks without being seen
 * is shown as a code, so that a file name or an address reads as what the mail holds.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { visible } from "../../extension/dialog/format.js";

/** @param {number} cp */
const code = (cp) => `⟦U+${cp.toString(16).toUpperCase().padStart(4, "0")}⟧`;

test("every invisible or blank-rendering character is shown as its code", () => {
  const cases = [
    [0x061c, "Arabic letter mark (a bidi control)"],
    [0x2028, "line separator"],
    [0x2029, "paragraph separator"],
    [0x00ad, "soft hyphen"],
    [0x180e, "Mongolian vowel separator"],
    [0xe0000, "first of the tag block"],
    [0xe0001, "language tag"],
    [0xe0041, "tag letter A"],
    [0xe007f, "cancel tag"],
    [0x115f, "Hangul choseong filler"],
    [0x1160, "Hangul jungseong filler"],
    [0x3164, "Hangul filler"],
    [0xffa0, "half-width Hangul filler"],
    // The ones shown before stay shown.
    [0x202e, "right-to-left override"],
    [0x200b, "zero-width space"],
    [0xfeff, "byte order mark"],
  ];
  for (const [cp, name] of /** @type {[number, string][]} */ (cases)) {
    const text = `report${String.fromCodePoint(cp)}fdp.exe`;
    assert.equal(visible(text), `report${code(cp)}fdp.exe`, name);
  }
});

test("a tag character is shown as one code, not as two halves of a surrogate pair", () => {
  assert.equal(visible("a\u{E0062}\u{E007F}b"), `a${code(0xe0062)}${code(0xe007f)}b`);
});

test("visible text, Japanese and emoji sequences are left alone", () => {
  for (const text of ["請求書.pdf", "見積もり（最終）.xlsx", "👩‍💻 team", "e\u0301", "Ａ１"]) {
    assert.equal(visible(text), text);
  }
  // Characters next to the ones shown (U+E0080 is not a tag, U+3165 is a Hangul letter) stay.
  assert.equal(visible("\u3165\u{E0080}"), "\u3165\u{E0080}");
});
