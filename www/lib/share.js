// @ts-check
/**
 * The playground's state in the URL fragment, so that an admin can send a colleague a link
 * that reproduces what they see. The fragment never leaves the browser (it is not sent to
 * the server), so sharing needs no server either.
 *
 * Format: `#z=<base64url of deflate-raw(JSON)>`, or `#j=<base64url of JSON>` where the browser
 * has no CompressionStream. Both are read.
 */

/** @typedef {{ v: 1, lang: string, policy: string, mail: unknown }} State */

/** @param {Uint8Array} bytes */
function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** @param {string} text */
function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** A link's state is refused past this size, so that a crafted link cannot exhaust memory. */
const MAX_STATE_BYTES = 8 * 1024 * 1024;

/**
 * Runs bytes through a (de)compression stream, stopping past MAX_STATE_BYTES of output.
 * @param {Uint8Array} bytes
 * @param {CompressionStream | DecompressionStream} stream
 */
async function pipe(bytes, stream) {
  const reader = new Blob([/** @type {BlobPart} */ (bytes)]).stream().pipeThrough(stream).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_STATE_BYTES) {
      await reader.cancel();
      throw new Error("the link is too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * @param {State} state
 * @returns {Promise<string>} the fragment, with its `#`
 */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (typeof CompressionStream === "function") {
    try {
      return `#z=${toBase64Url(await pipe(json, new CompressionStream("deflate-raw")))}`;
    } catch {
      // Fall through to the plain form.
    }
  }
  return `#j=${toBase64Url(json)}`;
}

/**
 * @param {string} hash `location.hash`
 * @returns {Promise<State | null>} null when there is no state; throws when it is broken
 */
export async function decodeState(hash) {
  const m = /^#([zj])=([A-Za-z0-9_-]*)$/.exec(hash);
  if (!m) return null;
  let bytes = fromBase64Url(m[2]);
  if (m[1] === "z") {
    if (typeof DecompressionStream !== "function") throw new Error("this browser cannot decompress the link");
    bytes = await pipe(bytes, new DecompressionStream("deflate-raw"));
  }
  if (bytes.length > MAX_STATE_BYTES) throw new Error("the link is too large");
  const value = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof value !== "object" || value === null || typeof value.policy !== "string") throw new Error("not a playground link");
  return { v: 1, lang: typeof value.lang === "string" ? value.lang : "", policy: value.policy, mail: value.mail };
}
