// @ts-check
/**
 * The background page's one script (xtask/src/bundle.rs, written by `cargo xtask dist`): the
 * manifest names it, it holds every module of the background and imports none statically, and
 * what is loaded later stays out of it: ical.js (only to read vCards), the engine's bindings
 * and wasm, the inspector's worker, each named by a URL that holds from background/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";

const root = new URL("../../extension/", import.meta.url);
const bundle = new URL("background/background.bundle.js", root);

test("the manifest names the background's one script", () => {
  const manifest = JSON.parse(readFileSync(new URL("manifest.json", root), "utf8"));
  assert.deepEqual(manifest.background.scripts, ["background/background.bundle.js"]);
  assert.equal(manifest.background.type, "module");
});

test("the background's script imports nothing statically and leaves ical.js, the engine and the worker to later", { skip: !existsSync(bundle) && "run `cargo xtask dist` first" }, () => {
  const text = readFileSync(bundle, "utf8");
  assert.doesNotMatch(text, /^\s*import\s[^(]/m, "no static import");
  assert.doesNotMatch(text, /ICAL\.Component|jCal/, "ical.js is not inside");
  assert.ok(text.includes('import("../vendor/ical.js/ical.min.js")'), "ical.js is imported when vCards are read");
  for (const url of ["../engine/pkg/misend_guard_wasm.js", "../engine/pkg/misend_guard_wasm_bg.wasm", "../inspect/worker.js"]) {
    assert.ok(text.includes(url), url);
    assert.ok(existsSync(new URL(url, bundle)), `${url} exists beside the script's folder`);
  }
});
