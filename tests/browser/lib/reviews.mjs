// @ts-check
/**
 * Reviews for the browser tests, made by the real engine (the built wasm, through the
 * add-on's wrapper) in node, then handed to the page through the fake port.
 *
 * `withFindings` adds findings of checks that the engine does not have yet, in the shape
 * the engine's findings take (`code`, `severity`, `message`, `recipients`, `attachments`,
 * `excerpts`, `ruleId`), so that the dialog's display of every kind of finding is tested
 * before each check exists. The verdict is recomputed as the engine does: the highest
 * severity.
 */
import { engine } from "../../node/engine.mjs";

/**
 * @param {unknown} policy
 * @param {import("../../../extension/engine/engine.js").Draft} draft
 * @param {string} lang
 * @returns {Promise<import("../../../extension/engine/engine.js").Review>}
 */
export async function realReview(policy, draft, lang) {
  const checker = (await engine()).checker(policy, lang);
  try {
    return checker.check(draft);
  } finally {
    checker.free();
  }
}

/**
 * @param {import("../../../extension/engine/engine.js").Review} review
 * @param {Partial<import("../../../extension/engine/engine.js").Finding>[]} findings
 */
export function withFindings(review, findings) {
  const all = [
    ...review.findings,
    ...findings.map((f) => ({ recipients: [], attachments: [], message: "", severity: "info", code: "keyword", ...f })),
  ];
  const rank = { info: 1, warn: 2, block: 3 };
  const worst = Math.max(0, ...all.map((f) => rank[/** @type {"info"} */ (f.severity)] ?? 0));
  const verdict = worst === 3 ? "block" : worst === 2 ? "warn" : "ok";
  return /** @type {typeof review} */ ({ ...review, findings: all, verdict });
}

/** The address of a recipient of the review, by address. */
export function indexOf(/** @type {{ recipients: { address: string, index: number }[] }} */ review, /** @type {string} */ address) {
  const r = review.recipients.find((x) => x.address === address);
  if (!r) throw new Error(`no recipient ${address}`);
  return r.index;
}
