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
  // The URLs the engine's wrapper and the background name, as written in their sources.
  const engine = readFileSync(new URL("engine/engine.js", root), "utf8");
  const background = readFileSync(new URL("background/background.js", root), "utf8");
  const urls = [
    /const BINDINGS = "([^"]+)"/.exec(engine)?.[1],
    /new URL\("([^"]+\.wasm)", import\.meta\.url\)/.exec(engine)?.[1],
    /new Worker\(new URL\("([^"]+)", import\.meta\.url\)/.exec(background)?.[1],
  ];
  assert.equal(urls.filter(Boolean).length, 3, `the three URLs are found in the sources: ${urls}`);
  for (const url of /** @type {string[]} */ (urls)) {
    assert.ok(text.includes(url), url);
    assert.ok(existsSync(new URL(url, bundle)), `${url} exists beside the script's folder`);
  }
});
