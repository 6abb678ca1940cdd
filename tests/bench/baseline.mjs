// @ts-check
/**
 * The engine of another build, for the benchmarks' `--baseline DIR`: DIR holds that build's
 * `engine.js` and its `pkg/`, so that both builds are timed in the same rounds of one process.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The other build's engine when the command line says `--baseline DIR`, else undefined.
 * @returns {Promise<{ checker(policy: any, lang: string): { check(draft: any): any, free(): void } } | undefined>}
 */
export async function baselineEngine() {
  const at = process.argv.indexOf("--baseline");
  if (at < 0) return undefined;
  const dir = resolve(process.argv[at + 1] ?? ".");
  const other = await import(pathToFileURL(`${dir}/engine.js`).href);
  return other.loadEngine(await readFile(`${dir}/pkg/misend_guard_wasm_bg.wasm`));
}
