// @ts-check
/**
 * The playground's languages and layout in Debian's Chromium: the page in Simplified Chinese,
 * the status line (in the page's language, covering no field), the examples menu once an
 * example is edited, the dialog preview on its own tab, and long policy lines that wrap.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { REPO_ROOT, screenshot } from "./lib/browser.mjs";
import { buildPlayground, settled, shown, typePolicy, usePlayground } from "./lib/playground.mjs";

buildPlayground();

const playground = usePlayground();

/** @param {string} lang */
const texts = (lang) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "www", "i18n", `${lang}.json`), "utf8"));
const addonZh = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "extension", "_locales", "zh_CN", "messages.json"), "utf8"));

/**
 * Picks a language with the selector, as a person would.
 * @param {import("playwright-core").Page} page
 * @param {"ja" | "en" | "zh"} lang
 */
async function chooseLang(page, lang) {
  await page.click(`.lang label:has(input[value=${lang}])`);
  await settled(page);
}

// ---- Simplified Chinese ---------------------------------------------------------------------

test("the page in Simplified Chinese: every text of the page, the examples and the dialog preview", async () => {
  const zh = texts("zh");
  const { page, done } = await playground.open({ locale: "zh-CN" });
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await page.title(), zh.documentTitle);
  // Every text the page sets by name is the Chinese one.
  const wrong = await page.evaluate((zh) => {
    const out = [];
    for (const node of document.querySelectorAll("[data-i18n]")) {
      const key = /** @type {string} */ (node.getAttribute("data-i18n"));
      if (node.textContent !== zh[key]) out.push(`${key}: ${node.textContent}`);
    }
    for (const node of document.querySelectorAll("[data-i18n-attr]")) {
      for (const pair of (node.getAttribute("data-i18n-attr") ?? "").split(";")) {
        const [attr, key] = pair.split(":");
        if (node.getAttribute(attr) !== zh[key]) out.push(`${attr}=${key}: ${node.getAttribute(attr)}`);
      }
    }
    return out;
  }, zh);
  assert.deepEqual(wrong, []);
  assert.equal(await page.textContent("#mail-heading"), `2 ${zh.mailHeading}`);
  // The examples are titled in Chinese, and the result panel speaks it.
  assert.match((await page.textContent("#examples")) ?? "", /大量外部地址放在抄送中/);
  assert.match((await page.textContent("#verdict")) ?? "", new RegExp(zh.verdict_block));
  assert.match((await page.textContent("#findings")) ?? "", new RegExp(zh.findingWhy));
  assert.match((await page.textContent("#status")) ?? "", /已加载示例“大量外部地址放在抄送中（本应密送）”/);
  // The dialog preview draws the add-on's zh_CN texts, as a Chinese Thunderbird shows them.
  const s = await shown(page);
  assert.equal(s.previewTitle, addonZh.dialogTitle.message);
  const preview = await page.evaluate(() => {
    const frame = /** @type {HTMLIFrameElement} */ (document.getElementById("preview")).contentDocument;
    return { lang: frame?.documentElement.lang, text: frame?.body.textContent ?? "" };
  });
  assert.equal(preview.lang, "zh-CN");
  assert.match(preview.text, new RegExp(addonZh.cancel.message));
  assert.match(preview.text, new RegExp(addonZh.fixMoveToBcc.message));
  assert.doesNotMatch(preview.text, /確認しました|キャンセル|Cancel/);

  const file = await screenshot(page, "playground-zh");
  assert.ok(fs.statSync(file).size > 10_000);
  await page.click("#tab-preview");
  await screenshot(page, "playground-zh-preview");

  // Back to Japanese and to English from Chinese.
  await chooseLang(page, "ja");
  assert.equal(await page.getAttribute("html", "lang"), "ja");
  assert.equal((await shown(page)).previewTitle, "送信前の確認");
  await chooseLang(page, "en");
  assert.equal((await shown(page)).previewTitle, "Check before sending");
  await done();
});

test("a share link keeps Chinese as the page's language", async () => {
  const first = await playground.open({ locale: "ja-JP" });
  await chooseLang(first.page, "zh");
  await first.page.fill("#subject", "分享测试");
  await settled(first.page);
  const hash = new URL(await first.page.evaluate(() => location.href)).hash;
  await first.done();
  const other = await playground.open({ locale: "en-US", hash });
  assert.equal(await other.page.getAttribute("html", "lang"), "zh-CN");
  assert.equal(await other.page.isChecked(".lang input[value=zh]"), true);
  assert.equal(await other.page.inputValue("#subject"), "分享测试");
  await other.done();
});

// ---- Status line ----------------------------------------------------------------------------

test("the status line switches language with the page", async () => {
  const { page, done } = await playground.open({ locale: "ja-JP" });
  await page.selectOption("#examples", "lookalike-domain");
  await settled(page);
  assert.equal(await page.textContent("#status"), "例「社内ドメインに似た別のドメイン（corp → c0rp）」を読み込みました。");
  await chooseLang(page, "en");
  assert.equal(await page.textContent("#status"), `Loaded the example "A domain that looks like the company's own (corp → c0rp)".`);
  await chooseLang(page, "zh");
  assert.equal(await page.textContent("#status"), "已加载示例“与本公司域名相似的其他域名（corp → c0rp）”。");
  await done();
});

for (const width of [1024, 1366]) {
  test(`the status line covers no field at ${width} px`, async () => {
    const { page, done } = await playground.open({ locale: "ja-JP", width, height: 768 });
    await page.selectOption("#examples", "bulk-cc");
    await settled(page);
    assert.notEqual(((await page.textContent("#status")) ?? "").trim(), "", "the status line shows a message");
    // Wherever the page is scrolled to, the fields are what is drawn at their own centre.
    for (const id of ["from", "to", "cc", "subject"]) {
      for (const block of ["start", "center", "end"]) {
        const hit = await page.evaluate(
          ([id, block]) => {
            const field = /** @type {HTMLElement} */ (document.getElementById(id));
            field.scrollIntoView({ block: /** @type {ScrollLogicalPosition} */ (block) });
            const box = field.getBoundingClientRect();
            const x = box.left + box.width / 2;
            return [box.top + 4, box.top + box.height / 2, box.bottom - 4].map((y) => document.elementFromPoint(x, y)?.id ?? null);
          },
          [id, block],
        );
        assert.deepEqual(hit, [id, id, id], `${id} scrolled to the ${block}`);
      }
    }
    await done();
  });
}

// ---- Examples menu --------------------------------------------------------------------------

/**
 * The examples menu: its value, the text it shows, and whether it says the case was edited.
 * @param {import("playwright-core").Page} page
 */
async function menu(page) {
  return page.evaluate(() => {
    const select = /** @type {HTMLSelectElement} */ (document.getElementById("examples"));
    return { value: select.value, shows: select.selectedOptions[0]?.textContent, edited: select.dataset.edited };
  });
}

test("the examples menu says when the loaded example was edited, and choosing it again restores it", async () => {
  const { page, done } = await playground.open({ locale: "ja-JP" });
  await page.selectOption("#examples", "attachment-forgotten");
  await settled(page);
  const original = { policy: await page.inputValue("#policy"), subject: await page.inputValue("#subject") };
  const title = "「添付します」と書いたのに添付がない";
  assert.deepEqual(await menu(page), { value: "attachment-forgotten", shows: title, edited: "0" });

  // Editing the mail.
  await page.fill("#subject", `${original.subject}（改）`);
  await settled(page);
  assert.deepEqual(await menu(page), { value: "", shows: `編集済み: ${title}`, edited: "1" });
  // Undoing the edit by hand makes it the example again.
  await page.fill("#subject", original.subject);
  await settled(page);
  assert.deepEqual(await menu(page), { value: "attachment-forgotten", shows: title, edited: "0" });

  // Editing the policy.
  await typePolicy(page, original.policy.replace("{", '{\n  "dialog": { "countdownSeconds": 5 },'));
  assert.deepEqual(await menu(page), { value: "", shows: `編集済み: ${title}`, edited: "1" });
  // The menu speaks the page's language.
  await chooseLang(page, "en");
  assert.equal((await menu(page)).shows, `Edited: The body says "attached", but nothing is`);
  await chooseLang(page, "ja");

  // Choosing the example again loads it afresh.
  await page.selectOption("#examples", "attachment-forgotten");
  await settled(page);
  assert.equal(await page.inputValue("#policy"), original.policy);
  assert.deepEqual(await menu(page), { value: "attachment-forgotten", shows: title, edited: "0" });

  // Clearing the mail is an edit too.
  await page.click("#clear-mail");
  await settled(page);
  assert.equal((await menu(page)).edited, "1");
  await done();
});

// ---- Dialog preview -------------------------------------------------------------------------

for (const width of [1366, 1024]) {
  test(`the dialog preview has its own tab and starts right under the verdict at ${width} px`, async () => {
    const { page, done } = await playground.open({ locale: "ja-JP", width, height: 768 });
    // The example with the most findings and chips.
    await page.selectOption("#examples", "bulk-cc");
    await settled(page);
    assert.equal(await page.isVisible("#findings"), true);
    assert.equal(await page.isVisible("#preview"), false);
    assert.equal(await page.textContent("#findings-count"), String((await shown(page)).codes.length));

    await page.click("#tab-preview");
    const layout = await page.evaluate(() => {
      const top = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id)).getBoundingClientRect().top;
      const frame = /** @type {HTMLIFrameElement} */ (document.getElementById("preview"));
      const app = /** @type {HTMLElement} */ (frame.contentDocument?.getElementById("app"));
      return {
        fromVerdict: top("preview") - /** @type {HTMLElement} */ (document.getElementById("verdict")).getBoundingClientRect().bottom,
        fromPanel: top("preview") - top("result-heading"),
        frameHeight: frame.getBoundingClientRect().height,
        dialogHeight: app.getBoundingClientRect().height,
        findingsHidden: /** @type {HTMLElement} */ (document.getElementById("findings-panel")).hidden,
        selected: document.getElementById("tab-preview")?.getAttribute("aria-selected"),
      };
    });
    assert.equal(layout.selected, "true");
    assert.equal(layout.findingsHidden, true);
    // Below the verdict come only the tabs and a one-line hint, not every finding.
    assert.ok(layout.fromVerdict < 200, `the preview starts ${layout.fromVerdict} px below the verdict`);
    assert.ok(layout.fromPanel < 400, `the preview starts ${layout.fromPanel} px below the panel's heading`);
    // The frame is as tall as the dialog it shows, so that nothing is cut.
    assert.ok(layout.dialogHeight > 200);
    assert.ok(Math.abs(layout.frameHeight - layout.dialogHeight) <= 1, `${layout.frameHeight} vs ${layout.dialogHeight}`);
    if (width === 1366) await screenshot(page, "playground-preview-tab");

    // The arrow keys move between the tabs.
    await page.focus("#tab-preview");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await page.getAttribute("#tab-findings", "aria-selected"), "true");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "tab-findings");
    assert.equal(await page.isVisible("#findings"), true);
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.isVisible("#preview"), true);
    await done();
  });
}

// ---- Policy editor --------------------------------------------------------------------------

test("long policy lines wrap, and a diagnostic still marks its own line", async () => {
  const { page, done } = await playground.open({ locale: "en-US" });
  // Latin and wide CJK letters, which take more room each.
  const pattern = Array.from({ length: 24 }, (_, i) => `confidential-term-${i}|机密资料${i}`).join("|");
  const policy = `{\n  "keywords": [{ "id": "long", "pattern": "${pattern}" }],\n  "internalDomain": ["corp.example"]\n}\n`;
  await typePolicy(page, policy);
  assert.deepEqual(
    (await shown(page)).diagnostics.map((d) => [d.path, d.line]),
    [["internalDomain", "3"]],
  );
  const layout = await page.evaluate(() => {
    const ta = /** @type {HTMLTextAreaElement} */ (document.getElementById("policy"));
    const style = getComputedStyle(ta);
    const line = parseFloat(style.lineHeight);
    const pad = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    // How many rows the textarea itself gives the long line, measured with the line alone.
    const text = ta.value;
    ta.value = text.split("\n")[1];
    const longRows = Math.round((ta.scrollHeight - pad) / line);
    ta.value = text;
    ta.dispatchEvent(new Event("input"));
    const mark = /** @type {HTMLElement} */ (document.querySelector('.line-mark[data-line="3"]'));
    const sign = /** @type {HTMLElement} */ (document.querySelector('.gutter-mark[data-line="3"]'));
    return {
      wrap: style.whiteSpace,
      sideways: ta.scrollWidth - ta.clientWidth,
      line,
      paddingTop: parseFloat(style.paddingTop),
      longRows,
      markTop: parseFloat(mark.style.top),
      signTop: parseFloat(sign.style.top),
      markHeight: parseFloat(mark.style.height),
      numbers: /** @type {HTMLElement} */ (document.querySelector(".numbers")).textContent,
    };
  });
  assert.equal(layout.wrap, "pre-wrap");
  assert.ok(layout.sideways <= 0, "no sideways scrolling");
  assert.ok(layout.longRows >= 3, `the long line takes ${layout.longRows} rows`);
  // Line 3 starts below line 1 and every row of line 2.
  assert.equal(layout.markTop, layout.paddingTop + (1 + layout.longRows) * layout.line);
  assert.equal(layout.signTop, layout.markTop);
  assert.equal(layout.markHeight, layout.line);
  // The gutter numbers each line once, on the first of its rows.
  assert.equal(layout.numbers, `1\n2${"\n".repeat(layout.longRows - 1)}\n3\n4\n5`);

  // Clicking the diagnostic puts the caret on line 3.
  await page.click("#diagnostics li.diagnostic button");
  assert.equal(await page.evaluate(() => {
    const ta = /** @type {HTMLTextAreaElement} */ (document.getElementById("policy"));
    return ta.value.slice(0, ta.selectionStart).split("\n").length;
  }), 3);
  await screenshot(page, "playground-wrapped-policy");
  await done();
});

test("a very long policy is not wrapped, and its line numbers stay one per row", async () => {
  const { page, done } = await playground.open({ locale: "en-US" });
  const lines = Array.from({ length: 6000 }, (_, i) => `    "d${i}.corp.example",`);
  const policy = `{\n  "internalDomains": [\n${lines.join("\n")}\n    "last.corp.example"\n  ]\n}\n`;
  // Set at once, as a paste does (typing 200 KB key by key would take minutes).
  await page.evaluate((text) => {
    const ta = /** @type {HTMLTextAreaElement} */ (document.getElementById("policy"));
    ta.value = text;
    ta.dispatchEvent(new Event("input"));
  }, policy);
  await settled(page);
  assert.deepEqual((await shown(page)).diagnostics, []);
  const state = await page.evaluate(() => ({
    wrap: /** @type {HTMLElement} */ (document.getElementById("editor")).dataset.wrap,
    whiteSpace: getComputedStyle(/** @type {HTMLElement} */ (document.getElementById("policy"))).whiteSpace,
    numbers: /** @type {HTMLElement} */ (document.querySelector(".numbers")).textContent?.split("\n").length,
    lines: /** @type {HTMLTextAreaElement} */ (document.getElementById("policy")).value.split("\n").length,
  }));
  assert.deepEqual(state, { wrap: "off", whiteSpace: "pre", numbers: state.lines, lines: 6006 });
  await done();
});

// ---- Long lists of targets ------------------------------------------------------------------

test("a finding about many recipients shows three of them and a keyboard-operable +N for the rest", async () => {
  const en = texts("en");
  const { page, done } = await playground.open({ locale: "en-US" });
  await settled(page);
  const read = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("#findings .targets")].map((list) => ({
        total: list.querySelectorAll(".target").length,
        visible: [...list.querySelectorAll(".target")].filter((t) => /** @type {HTMLElement} */ (t).offsetParent !== null).length,
        button: list.querySelector(".targets-more")?.textContent ?? null,
        expanded: list.querySelector(".targets-more")?.getAttribute("aria-expanded") ?? null,
      })),
    );
  const lists = await read();
  const long = lists.findIndex((l) => l.total > 3);
  assert.ok(long >= 0, `the example has a finding about more than three items: ${JSON.stringify(lists)}`);
  assert.equal(lists[long].visible, 3);
  assert.equal(lists[long].button, en.targetsMore.replace("$1", String(lists[long].total - 3)));
  assert.equal(lists[long].expanded, "false");
  for (const l of lists) if (l.total <= 3) assert.equal(l.button, null, "a short list has no button");
  await page.locator("#findings .targets").nth(long).locator(".targets-more").focus();
  await page.keyboard.press("Enter");
  const opened = (await read())[long];
  assert.equal(opened.visible, opened.total, "Enter shows every target");
  assert.equal(opened.expanded, "true");
  assert.equal(opened.button, en.targetsFewer);
  await page.keyboard.press("Space");
  assert.equal((await read())[long].visible, 3, "Space folds them again");
  await done();
});
