// @ts-check
/**
 * Reviews for the browser tests, made by the real engine (the built wasm, through the
 * add-on's wrapper) in node, then handed to the page through the fake port. Every check
 * exists, so the findings the dialog shows are the engine's own: a test that needs a finding
 * writes the mail or the policy that gives it.
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

/** The index of a recipient in the review, by its address. */
export function indexOf(/** @type {{ recipients: { address: string, index: number }[] }} */ review, /** @type {string} */ address) {
  const r = review.recipients.find((x) => x.address === address);
  if (!r) throw new Error(`no recipient ${address}`);
  return r.index;
}
