// @ts-check
/**
 * The playground's pure modules (www/lib): the policies.json it exports and imports, its share
 * links, and its language choice. The page itself is tested in Chromium (tests/browser).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ADDON_ID, buildPoliciesJson, defaultInstallPath, readPolicyFile } from "../../www/lib/policies-file.js";
import { decodeState, encodeState } from "../../www/lib/share.js";
import { preferredLang, substitute } from "../../www/lib/i18n.js";

/**
 * The one helper of this module: a function applied to each input gives the expected output.
 * @template I, O
 * @param {(input: I) => O | Promise<O>} f
 * @param {[I, O][]} cases
 */
async function check(f, cases) {
  for (const [input, expected] of cases) assert.deepEqual(await f(input), expected, JSON.stringify(input));
}

const policy = { internalDomains: ["corp.example"] };

test("export: a complete policies.json that installs the add-on and keeps an imported file's other settings", async () => {
  await check((/** @type {[string, unknown]} */ [path, base]) => JSON.parse(buildPoliciesJson(policy, path, base)), [
    [
      [defaultInstallPath("1.2.3"), undefined],
      {
        policies: {
          Extensions: { Install: ["/opt/misend-guard/misend-guard-1.2.3.xpi"] },
          "3rdparty": { Extensions: { [ADDON_ID]: policy } },
        },
      },
    ],
    [
      [
        "C:\\Deploy\\misend-guard-0.2.0.xpi",
        {
          policies: {
            DisableTelemetry: true,
            Extensions: { Install: ["/opt/other/other.xpi", "/opt/misend-guard/misend-guard-0.1.0.xpi"], Locked: ["x@y"] },
            "3rdparty": { Extensions: { "other@addon": { a: 1 }, [ADDON_ID]: { old: true } } },
          },
        },
      ],
      {
        policies: {
          DisableTelemetry: true,
          Extensions: { Install: ["/opt/other/other.xpi", "C:\\Deploy\\misend-guard-0.2.0.xpi"], Locked: ["x@y"] },
          "3rdparty": { Extensions: { "other@addon": { a: 1 }, [ADDON_ID]: policy } },
        },
      },
    ],
  ]);
});

test("import: a policies.json, a bare policy, a policies.json without this add-on", async () => {
  const full = { policies: { Extensions: { Install: ["/srv/misend-guard-0.1.0.xpi"] }, "3rdparty": { Extensions: { [ADDON_ID]: policy } } } };
  await check((/** @type {string} */ text) => {
    const read = readPolicyFile(text);
    return read.kind === "policies" ? { kind: read.kind, policy: read.policy, installPath: read.installPath } : read;
  }, [
    [JSON.stringify(full), { kind: "policies", policy, installPath: "/srv/misend-guard-0.1.0.xpi" }],
    [`\uFEFF${JSON.stringify(full)}`, { kind: "policies", policy, installPath: "/srv/misend-guard-0.1.0.xpi" }],
    [JSON.stringify(policy), { kind: "bare", policy }],
    [JSON.stringify({ policies: { DisableTelemetry: true } }), { kind: "no-policy" }],
  ]);
  assert.throws(() => readPolicyFile("{ nope"), SyntaxError);
});

test("share links: compressed and plain round trips; broken links are refused", async () => {
  const state = { v: /** @type {const} */ (1), lang: "en", policy: '{ "internalDomains": ["corp.example"] }', mail: { to: ["山田 <y@partner.example>"], subject: "🔗" } };
  const link = await encodeState(state);
  assert.match(link, /^#z=[A-Za-z0-9_-]+$/);
  await check(decodeState, [
    [link, state],
    [`#j=${Buffer.from(JSON.stringify(state)).toString("base64url")}`, state],
    ["", null],
    ["#section-2", null],
    ["#j=%%%", null],
  ]);
  for (const broken of ["#z=AAAA", `#j=${Buffer.from("[1]").toString("base64url")}`, "#j=AAAA"]) {
    await assert.rejects(decodeState(broken), broken);
  }
});

test("a share link that inflates past its bound is refused", async () => {
  // 9 MB of spaces deflate to a few kilobytes.
  const bomb = new Blob([new Uint8Array(9 * 1024 * 1024).fill(0x20)]).stream().pipeThrough(new CompressionStream("deflate-raw"));
  const bytes = Buffer.from(await new Response(bomb).arrayBuffer());
  await assert.rejects(decodeState(`#z=${bytes.toString("base64url")}`), /too large/);
});

test("the page's language: the first of the browser's that is Japanese, English or Chinese, else Japanese", async () => {
  await check(preferredLang, [
    [["ja-JP", "en-US"], "ja"],
    [["en-GB"], "en"],
    [["zh-CN", "en"], "zh"],
    [["zh-CN"], "zh"],
    [["zh_TW"], "zh"],
    [["ko-KR", "en-US"], "en"],
    [["ko-KR"], "ja"],
    [[], "ja"],
  ]);
});

test("texts substitute $1..$9 like browser.i18n.getMessage", async () => {
  await check((/** @type {[string, (string | number)[]]} */ [text, subs]) => substitute(text, subs), [
    [["$2 件中 $1 件", [1, 3]], "3 件中 1 件"],
    [["$1 costs $$5", ["it"]], "it costs $5"],
    [["missing $3", ["a"]], "missing "],
  ]);
});
