// @ts-check
/**
 * The policy playground (www/) in Debian's Chromium, served from dist/www/ exactly as
 * `cargo xtask www` builds it: diagnostics in the editor, the examples, .eml files, export and
 * import of policies.json, share links, hostile text, and no request leaving 127.0.0.1.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT, screenshot } from "./lib/browser.mjs";
import { FIXTURES, buildPlayground, form, settled, shown, typePolicy, usePlayground } from "./lib/playground.mjs";
import { engine as nodeEngine } from "../node/engine.mjs";

const engine = await nodeEngine();

// The page under test is what `cargo xtask www` serves: build it the same way.
buildPlayground();

const playground = usePlayground();
/** @type {string} */
let downloads;

before(() => {
  downloads = fs.mkdtempSync(path.join(os.tmpdir(), "playground-"));
});

after(() => {
  fs.rmSync(downloads, { recursive: true, force: true });
});

/** @param {Parameters<typeof playground.open>[0]} [options] */
const open = (options) => playground.open(options);

// ---- Loading --------------------------------------------------------------------------------

test("the page speaks the browser's language, Japanese first, and loads only its own files", async () => {
  for (const [locale, lang, title] of [
    ["ja-JP", "ja", "ポリシー プレイグラウンド"],
    ["en-US", "en", "Policy playground"],
    ["zh-CN", "zh-CN", "策略演练场"],
    ["ko-KR", "ja", "ポリシー プレイグラウンド"],
  ]) {
    const { page, done } = await open({ locale });
    assert.equal(await page.getAttribute("html", "lang"), lang, locale);
    assert.match((await page.textContent("h1")) ?? "", new RegExp(title), locale);
    assert.equal(await page.isChecked(`.lang input[value=${lang.slice(0, 2)}]`), true, locale);
    assert.match((await page.textContent("#engine-version")) ?? "", /\d+\.\d+\.\d+/);
    // The default example is loaded and checked.
    assert.notEqual((await page.inputValue("#policy")).trim(), "");
    assert.ok((await shown(page)).previewRecipients.length > 0);
    await done();
  }
});

test("switching the language redraws the page, the diagnostics and the dialog preview", async () => {
  const { page, done } = await open({ locale: "ja-JP" });
  await typePolicy(page, '{ "internalDomain": ["corp.example"] }');
  let s = await shown(page);
  assert.match(s.diagnostics[0].text ?? "", /項目はありません/);
  assert.equal(s.previewTitle, "送信前の確認");
  await page.click(".lang label:has(input[value=en])");
  await settled(page);
  s = await shown(page);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(s.diagnostics[0].text ?? "", /unknown key "internalDomain"/);
  assert.match(s.diagnostics[0].text ?? "", /Did you mean "internalDomains"/);
  assert.equal(s.previewTitle, "Check before sending");
  assert.equal(await page.textContent("#mail-heading"), "2 Test mail");
  await done();
});

test("a type error in Japanese is said in Japanese, and the schema it points to is served beside the page", async () => {
  const { page, done } = await open({ locale: "ja-JP" });
  await typePolicy(page, '{ "internalDomains": "corp.example" }');
  const s = await shown(page);
  const text = s.diagnostics[0].text ?? "";
  assert.match(text, /配列（\[ \.\.\. \]）を書いてください/);
  // The parser's English stays out of the sentence, and comes only after the hint.
  assert.doesNotMatch(text.split("[")[0], /invalid type|expected a sequence/);
  const href = await page.getAttribute(".schema-link a", "href");
  assert.equal(href, "schema.json");
  const schema = await page.evaluate(async (url) => (await fetch(url)).json(), href);
  assert.equal(schema.title, "Misend Guard policy");
  await done();
});

test("every control has a label", async () => {
  const { page, done } = await open();
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input:not([type=hidden]):not([hidden]), select, textarea, button")]
      .filter((el) => {
        const e = /** @type {HTMLInputElement} */ (el);
        const named = e.getAttribute("aria-label") || (e.labels && e.labels.length > 0) || (e.tagName === "BUTTON" && e.textContent?.trim());
        return !named;
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  await done();
});

// ---- Diagnostics ----------------------------------------------------------------------------

/**
 * Policies typed into the editor and the diagnostic paths they must show (in order), with the
 * 1-based line each is on. An empty path is the whole policy (a JSON syntax error).
 * @type {{ name: string, policy: string, expect: { path: string, line: number, text: RegExp }[] }[]}
 */
const DIAGNOSTIC_CASES = [
  {
    name: "a severity that is not allowed",
    policy: '{\n  "internalDomains": ["corp.example"],\n  "rules": {\n    "external-recipient": { "severity": "warning" }\n  }\n}\n',
    expect: [{ path: "rules.external-recipient.severity", line: 4, text: /"warn" の誤りではありませんか/ }],
  },
  {
    name: "a misspelt key and a bad domain",
    policy: '{\n  "internalDomain": [],\n  "internalDomains": [\n    "corp.example",\n    "a*.b"\n  ]\n}\n',
    expect: [
      { path: "internalDomain", line: 2, text: /"internalDomains" の誤りではありませんか/ },
      { path: "internalDomains[1]", line: 5, text: /ドメインとして使えません/ },
    ],
  },
  {
    name: "not JSON",
    policy: '{\n  "internalDomains": ["corp.example",]\n}\n',
    expect: [{ path: "", line: 2, text: /JSON として読めません/ }],
  },
];

for (const c of DIAGNOSTIC_CASES) {
  test(`an invalid policy shows its diagnostic at its JSON path, and fixing it clears it: ${c.name}`, async () => {
    const { page, done } = await open();
    await typePolicy(page, c.policy);
    const s = await shown(page);
    assert.deepEqual(
      s.diagnostics.map((d) => d.path),
      c.expect.map((e) => e.path),
    );
    c.expect.forEach((e, i) => assert.match(s.diagnostics[i].text ?? "", e.text));
    if (c.expect.some((e) => e.path === "")) assert.match(s.diagnostics[0].text ?? "", /ポリシー全体/);
    assert.equal(s.summary, "error");
    // A broken policy makes the add-on strict, and both the result and the preview say so.
    assert.match((await page.textContent("#verdict")) ?? "", /最も厳しい設定/);
    assert.equal(await page.evaluate(() => !/** @type {HTMLIFrameElement} */ (document.getElementById("preview")).contentDocument?.getElementById("problems")?.hidden), true);

    await typePolicy(page, '{\n  "internalDomains": ["corp.example"]\n}\n');
    const fixed = await shown(page);
    assert.deepEqual(fixed.diagnostics, []);
    assert.equal(fixed.summary, "ok");
    assert.match((await page.textContent("#diagnostics")) ?? "", /問題は見つかりませんでした/);
    await done();
  });

  test(`a diagnostic marks its line, and clicking it moves the caret there: ${c.name}`, async () => {
    const { page, done } = await open();
    await typePolicy(page, c.policy);
    const s = await shown(page);
    assert.deepEqual(
      s.diagnostics.map((d) => Number(d.line)),
      c.expect.map((e) => e.line),
    );
    const marked = await page.$$eval(".gutter-mark", (marks) => marks.map((m) => Number(/** @type {HTMLElement} */ (m).dataset.line)));
    assert.deepEqual([...new Set(marked)].sort(), [...new Set(c.expect.map((e) => e.line))].sort());
    assert.equal(await page.locator(".line-mark").count(), new Set(c.expect.map((e) => e.line)).size);
    for (const [i, e] of c.expect.entries()) {
      await page.locator("#diagnostics li.diagnostic button").nth(i).click();
      const caret = await page.evaluate(() => {
        const ta = /** @type {HTMLTextAreaElement} */ (document.getElementById("policy"));
        return { focused: document.activeElement === ta, line: ta.value.slice(0, ta.selectionStart).split("\n").length };
      });
      assert.deepEqual(caret, { focused: true, line: e.line });
    }
    await done();
  });
}

// ---- Examples -------------------------------------------------------------------------------

/**
 * Each ready example, the finding codes it must show, and its verdict.
 * @type {{ example: string, codes: string[], verdict: "ok" | "warn" | "block" }[]}
 */
const EXAMPLE_CASES = [
  { example: "external-recipients", codes: ["external-recipient"], verdict: "warn" },
  { example: "bulk-cc", codes: ["bulk-visible-recipients", "external-recipient"], verdict: "block" },
  { example: "lookalike-domain", codes: ["lookalike-domain"], verdict: "block" },
  { example: "attachment-forgotten", codes: ["attachment-forgotten"], verdict: "warn" },
  { example: "pii-my-number", codes: ["pii-my-number"], verdict: "block" },
  { example: "confidential-keyword", codes: ["keyword"], verdict: "block" },
  { example: "customer-data-to-contractor", codes: ["keyword", "external-recipient"], verdict: "warn" },
  {
    example: "wrong-company",
    codes: ["salutation-mismatch", "similar-recipient", "attachment-for-other-party", "first-time-recipient"],
    verdict: "warn",
  },
];

test("the example list offers every example file, titled in the page's language", async () => {
  const index = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "www", "examples", "index.json"), "utf8"));
  assert.deepEqual([...index.examples].sort(), EXAMPLE_CASES.map((c) => c.example).sort());
  const { page, done } = await open();
  const options = await page.$$eval("#examples option", (os) => os.map((o) => /** @type {HTMLOptionElement} */ (o).value).filter(Boolean));
  assert.deepEqual(options, index.examples);
  assert.match((await page.textContent("#examples")) ?? "", /社外秘/);
  await done();
});

for (const c of EXAMPLE_CASES) {
  test(`the example "${c.example}" shows ${c.codes.join(", ")} (${c.verdict})`, async () => {
    const { page, done } = await open();
    await page.selectOption("#examples", c.example);
    await settled(page);
    const s = await shown(page);
    assert.deepEqual(s.diagnostics, [], "the example's policy is valid");
    for (const code of c.codes) {
      assert.ok(s.codes.includes(code), `${code} is among ${s.codes.join(", ")}`);
      assert.ok(s.previewCodes.includes(code), `the dialog preview shows ${code} too`);
    }
    assert.equal(s.verdict, c.verdict);
    if (c.example === "customer-data-to-contractor") await screenshot(page, "playground-customer-data");
    await done();
  });
}

// ---- .eml -----------------------------------------------------------------------------------

/**
 * .eml fixtures and what the form and the dialog preview must show after reading them.
 * @type {{ file: string, form: Partial<Awaited<ReturnType<typeof form>>>, body: RegExp, notBody?: RegExp,
 *          recipients: { field: string, address: string }[], attachments: { name: string, size: string }[] }[]}
 */
const EML_CASES = [
  {
    file: "iso-2022-jp.eml",
    form: {
      from: "山田 太郎 <yamada@corp.example>",
      to: "取引先 田中様 <tanaka@partner.example>",
      cc: "suzuki@corp.example\n佐藤 花子 <sato@other.example>",
      bcc: "部長 高橋 <takahashi@corp.example>",
      subject: "お見積書の送付",
      attachments: [
        { name: "見積書_2026年度.pdf", size: "1234" },
        { name: "価格表.xls", size: "2048" },
      ],
    },
    body: /^田中様\n\nいつもお世話になっております。\nお見積書を添付いたしますので、ご確認ください。\n\n山田 太郎$/,
    recipients: [
      { field: "to", address: "tanaka@partner.example" },
      { field: "cc", address: "suzuki@corp.example" },
      { field: "cc", address: "sato@other.example" },
      { field: "bcc", address: "takahashi@corp.example" },
    ],
    attachments: [
      { name: "見積書_2026年度.pdf", size: "1234" },
      { name: "価格表.xls", size: "2048" },
    ],
  },
  {
    file: "shift-jis-html.eml",
    form: {
      from: "営業部 小林 <kobayashi@corp.example>",
      to: "鈴木 一郎 <suzuki@client.example>",
      cc: "",
      bcc: "",
      subject: "資料送付のご連絡",
      attachments: [{ name: "提案資料.zip", size: "3002" }],
    },
    body: /鈴木様[\s\S]*資料を添付します。\nご確認ください。[\s\S]*一点目/,
    notBody: /<|color:red|__pwned/,
    recipients: [{ field: "to", address: "suzuki@client.example" }],
    attachments: [{ name: "提案資料.zip", size: "3002" }],
  },
];

for (const c of EML_CASES) {
  test(`an uploaded .eml fills the form and is reviewed: ${c.file}`, async () => {
    const { page, done } = await open();
    await page.setInputFiles("#eml-file", path.join(FIXTURES, c.file));
    await settled(page);
    const f = await form(page);
    for (const [key, value] of Object.entries(c.form)) assert.deepEqual(f[/** @type {keyof typeof f} */ (key)], value, key);
    assert.match(f.body, c.body);
    if (c.notBody) assert.doesNotMatch(f.body, c.notBody);
    const s = await shown(page);
    const byAddress = (/** @type {{ address?: string }} */ a, /** @type {{ address?: string }} */ b) => (a.address ?? "").localeCompare(b.address ?? "");
    assert.deepEqual(
      s.previewRecipients.sort(byAddress),
      [...c.recipients].sort(byAddress),
    );
    assert.deepEqual(s.previewAttachments, c.attachments);
    assert.match((await page.textContent("#status")) ?? "", new RegExp(c.file.replace(".", "\\.")));
    await done();
  });
}

test("a pasted .eml source is read like a file", async () => {
  const { page, done } = await open({ locale: "en-US" });
  await page.click(".paste-eml summary");
  await page.fill("#eml-text", fs.readFileSync(path.join(FIXTURES, "iso-2022-jp.eml"), "latin1"));
  await page.click("#eml-read");
  await settled(page);
  const f = await form(page);
  assert.equal(f.subject, "お見積書の送付");
  assert.equal(f.bcc, "部長 高橋 <takahashi@corp.example>");
  assert.deepEqual(f.attachments.map((a) => a.name), ["見積書_2026年度.pdf", "価格表.xls"]);
  await done();
});

test("a file too large to be a test mail is refused, and the form stays as it was", async () => {
  const { page, done } = await open({ locale: "en-US" });
  const before = await form(page);
  const huge = path.join(downloads, "huge.eml");
  fs.writeFileSync(huge, Buffer.alloc(31 * 1024 * 1024, 0x61));
  await page.setInputFiles("#eml-file", huge);
  await settled(page);
  assert.deepEqual(await form(page), before);
  assert.match((await page.textContent("#status")) ?? "", /too large/);
  await done();
});

// ---- Hostile text ---------------------------------------------------------------------------

test("hostile names, subjects, file names and policy text stay text", async () => {
  const { page, done } = await open({ locale: "en-US" });
  await page.setInputFiles("#eml-file", path.join(FIXTURES, "hostile.eml"));
  await settled(page);
  await typePolicy(page, '{ "<img src=x onerror=window.__pwned=5>": 1, "internalDomains": ["corp.example"] }');
  const result = await page.evaluate(() => {
    const frame = /** @type {HTMLIFrameElement} */ (document.getElementById("preview")).contentDocument;
    const docs = [document, /** @type {Document} */ (frame)];
    return {
      pwned: /** @type {any} */ (window).__pwned ?? null,
      injected: docs.flatMap((d) => [...d.querySelectorAll("img[src=x], script:not([src]), b, i")].map((e) => e.outerHTML)),
      diagnostics: document.getElementById("diagnostics")?.textContent ?? "",
      findings: document.getElementById("findings")?.textContent ?? "",
      preview: frame?.body.textContent ?? "",
      windowTitle: document.getElementById("preview-title")?.textContent,
    };
  });
  assert.equal(result.pwned, null);
  assert.deepEqual(result.injected, []);
  assert.match(result.diagnostics, /<img src=x onerror=window.__pwned=5>/);
  assert.match(result.findings, /<script>window.__pwned=2<\/script> <victim@partner\.example>/);
  assert.match(result.preview, /<img src=x onerror=window.__pwned=3>\.pdf/);
  assert.match(result.preview, /<img src=x onerror="window.__pwned=1">/);
  assert.equal(result.windowTitle, "Check before sending: <b>bold</b> & <i>text</i>");
  await done();
});

// ---- Export and import ----------------------------------------------------------------------

test("export writes a complete policies.json, and importing it gives the same policy back", async () => {
  const { page, done } = await open({ locale: "en-US" });
  await page.selectOption("#examples", "external-recipients");
  await settled(page);
  const policy = JSON.parse(await page.inputValue("#policy"));

  await page.click("#export-button");
  assert.equal(await page.inputValue("#install-path"), `/opt/misend-guard/misend-guard-${engine.version}.xpi`);
  await page.fill("#install-path", "\\\\fileserver\\apps\\misend-guard.xpi");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-download")]);
  assert.equal(download.suggestedFilename(), "policies.json");
  const file = path.join(downloads, "policies.json");
  await download.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.deepEqual(exported, {
    policies: {
      Extensions: { Install: ["\\\\fileserver\\apps\\misend-guard.xpi"] },
      "3rdparty": { Extensions: { "misend-guard@misend-guard.org": policy } },
    },
  });
  assert.equal(await page.inputValue("#export-output"), fs.readFileSync(file, "utf8"));
  await page.keyboard.press("Escape");
  assert.equal(await page.evaluate(() => /** @type {HTMLDialogElement} */ (document.getElementById("export-dialog")).open), false);

  await typePolicy(page, "{}");
  await page.setInputFiles("#import-file", file);
  await settled(page);
  assert.deepEqual(JSON.parse(await page.inputValue("#policy")), policy);
  assert.deepEqual((await shown(page)).codes, ["external-recipient"]);

  // The imported file's install path and other settings survive a second export.
  await page.click("#export-button");
  assert.equal(await page.inputValue("#install-path"), "\\\\fileserver\\apps\\misend-guard.xpi");
  assert.deepEqual(JSON.parse(await page.inputValue("#export-output")), exported);
  await page.keyboard.press("Escape");
  await done();
});

/**
 * Files given to Import, and the policy the editor must then hold (or the status it must show).
 * @type {{ name: string, content: unknown, policy?: unknown, status?: RegExp }[]}
 */
const IMPORT_CASES = [
  { name: "a bare policy", content: { internalDomains: ["corp.example"] }, policy: { internalDomains: ["corp.example"] } },
  {
    name: "policies.json with other policies",
    content: { policies: { DisableTelemetry: true, "3rdparty": { Extensions: { "misend-guard@misend-guard.org": { dialog: { requireInternalTick: false } } } } } },
    policy: { dialog: { requireInternalTick: false } },
  },
  { name: "policies.json without this add-on", content: { policies: { DisableTelemetry: true } }, status: /has no Misend Guard policy/ },
  { name: "not JSON", content: "{ nope", status: /Not valid JSON/ },
];

for (const c of IMPORT_CASES) {
  test(`import: ${c.name}`, async () => {
    const { page, done } = await open({ locale: "en-US" });
    const before = await page.inputValue("#policy");
    const file = path.join(downloads, `import-${c.name.replace(/\W+/g, "-")}.json`);
    fs.writeFileSync(file, typeof c.content === "string" ? c.content : JSON.stringify(c.content));
    await page.setInputFiles("#import-file", file);
    await settled(page);
    if (c.policy) assert.deepEqual(JSON.parse(await page.inputValue("#policy")), c.policy);
    else assert.equal(await page.inputValue("#policy"), before);
    if (c.status) assert.match((await page.textContent("#status")) ?? "", c.status);
    await done();
  });
}

test("a policy that is not JSON cannot be exported, and the dialog says why", async () => {
  const { page, done } = await open({ locale: "en-US" });
  await typePolicy(page, "{ nope");
  await page.click("#export-button");
  assert.equal(await page.isDisabled("#export-download"), true);
  assert.match((await page.textContent("#export-warning")) ?? "", /not valid JSON/);
  await page.keyboard.press("Escape");
  await done();
});

// ---- Share links ----------------------------------------------------------------------------

test("a shared link reopens the same policy, mail and language", async () => {
  const { page, done } = await open({ locale: "ja-JP" });
  await page.click(".lang label:has(input[value=en])");
  await typePolicy(page, '{\n  "internalDomains": ["corp.example"],\n  "rules": { "external-recipient": { "severity": "block" } }\n}\n');
  await page.fill("#to", "取引先 山田様 <yamada@partner.example>\nx@corp.example, y@corp.example");
  await page.fill("#subject", "共有テスト 🔗");
  await page.click("#add-attachment");
  await page.fill(".attachment-row:last-child input.name", "議事録.docx");
  await page.fill(".attachment-row:last-child input.size", "2.5 MB");
  await settled(page);
  const link = await page.evaluate(() => location.href);
  assert.match(link, /#z=[A-Za-z0-9_-]+$/);
  const want = { policy: await page.inputValue("#policy"), form: await form(page), shown: await shown(page) };
  assert.equal(want.shown.verdict, "block");
  await done();

  // A colleague whose browser is Japanese opens the link.
  const other = await open({ locale: "ja-JP", hash: new URL(link).hash });
  assert.equal(await other.page.getAttribute("html", "lang"), "en");
  assert.equal(await other.page.inputValue("#policy"), want.policy);
  assert.deepEqual(await form(other.page), { ...want.form, attachments: [...want.form.attachments.slice(0, -1), { name: "議事録.docx", size: "2621440" }] });
  assert.deepEqual(await shown(other.page), want.shown);
  await other.done();
});

test("a plain (uncompressed) link is read too, and a broken one falls back to an example", async () => {
  const state = { v: 1, lang: "en", policy: '{ "internalDomains": ["corp.example"] }', mail: { to: ["a@partner.example"], subject: "plain", body: "Hello." } };
  const hash = `#j=${Buffer.from(JSON.stringify(state)).toString("base64url")}`;
  const plain = await open({ locale: "ja-JP", hash });
  assert.equal(await plain.page.inputValue("#policy"), state.policy);
  assert.equal(await plain.page.inputValue("#subject"), "plain");
  assert.deepEqual((await shown(plain.page)).codes, ["external-recipient"]);
  await plain.done();

  const broken = await open({ locale: "en-US", hash: "#z=AAAA" });
  assert.match((await broken.page.textContent("#status")) ?? "", /could not be read/);
  assert.notEqual((await broken.page.inputValue("#policy")).trim(), "");
  await broken.done();
});

// ---- Screenshots ----------------------------------------------------------------------------

test("screenshots of the playground with findings, in Japanese and in English", async () => {
  for (const [locale, name] of [
    ["ja-JP", "playground"],
    ["en-US", "playground-en"],
  ]) {
    const { page, done } = await open({ locale });
    await page.selectOption("#examples", "confidential-keyword");
    await settled(page);
    assert.ok((await shown(page)).codes.length > 0);
    await page.evaluate(() => {
      // The toast would cover the result; the picture is of the page at rest.
      /** @type {HTMLElement} */ (document.getElementById("status")).textContent = "";
    });
    const file = await screenshot(page, name);
    assert.ok(fs.statSync(file).size > 10_000);
    await done();
  }
});
