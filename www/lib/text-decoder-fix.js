// @ts-check
/**
 * A fix for Chromium's TextDecoder, applied only where the bug shows.
 *
 * The Encoding Standard says that a `decode()` without `{stream: true}` ends with the decoder
 * reset, so one decoder can decode many separate strings. Chromium's ISO-2022-JP decoder keeps
 * its state instead: after a string that ends with `ESC ( B`, the next string that starts with
 * `ESC $ B` comes out with a leading U+FFFD. postal-mime (rightly, by the standard) shares one
 * decoder per charset, so in Chrome and Edge every ISO-2022-JP header after the first got a
 * stray "�" in front: `�お見積書の送付`.
 *
 * Where the bug is present, the global TextDecoder is replaced by a subclass whose complete
 * (non-streaming) `decode()` uses a fresh decoder, which is what the standard prescribes.
 */

const NativeTextDecoder = globalThis.TextDecoder;

/** `ESC $ B お ESC ( B`: one Japanese character between the two escapes. */
const PROBE = new Uint8Array([0x1b, 0x24, 0x42, 0x24, 0x2a, 0x1b, 0x28, 0x42]);

/** Whether a second complete decode with the same decoder differs from the first. */
export function decoderKeepsState() {
  try {
    const decoder = new NativeTextDecoder("iso-2022-jp");
    return decoder.decode(PROBE) !== decoder.decode(PROBE);
  } catch {
    return false;
  }
}

class ResettingTextDecoder extends NativeTextDecoder {
  /**
   * @param {AllowSharedBufferSource} [input]
   * @param {TextDecodeOptions} [options]
   */
  decode(input, options) {
    if (options?.stream) return super.decode(input, options);
    return new NativeTextDecoder(this.encoding, { fatal: this.fatal, ignoreBOM: this.ignoreBOM }).decode(input);
  }
}

if (decoderKeepsState()) globalThis.TextDecoder = ResettingTextDecoder;
