// @ts-check
/**
 * The options page in Chromium, with the real engine (it loads the wasm itself) and a fake
 * messenger API whose storage.managed holds the admin's policy.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";

import { collectErrors, screenshot, useBrowser } from "./lib/browser.mjs";
import { calls, installFakeMessenger } from "./lib/fake-messenger.mjs";

const served = useBrowser();

/**
 * @param {import("./lib/fake-messenger.mjs").FakeConfig & { colorScheme?: "light" | "dark" }} config
 * @param {(page: import("playwright-core").Page) => Promise<void>} body
 */
async function withOptions(config, body) {
  const page = await served.browser.newPage({ viewport: { width: 900, height: 1200 } });
  const errors = collectErrors(page);
  try {
    await page.emulateMedia({ colorScheme: config.colorScheme ?? "light" });
    await installFakeMessenger(page, config);
    await page.goto(`${served.url}extension/options/options.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "1", null, { timeout: 10000 });
    await body(page);
    assert.deepEqual(errors, [], "the page logged no error");
  } finally {
    await page.close();
  }
}

/** @param {import("playwright-core").Page} page */
const stored = (page) => page.evaluate(() => /** @type {any} */ (window).__fake.local);

/** @param {import("playwright-core").Page} page */
const effective = async (page) => JSON.parse((await page.locator("#effective-json").textContent()) ?? "null");

const ADMIN = {
  internalDomains: ["corp.example", "*.corp.example"],
  rules: { "external-recipient": { severity: "warn" } },
  dialog: { countdownSeconds: 5, allowCheckAll: { external: false } },
};

describe("what the admin set", () => {
  test("is shown read-only, marked as set by the administrator", async () => {
    await withOptions({ lang: "ja", managed: ADMIN }, async (page) => {
      assert.match(await page.locator("#admin-status").innerText(), /管理者のポリシーが適用されています/);
      const admin = page.locator('#domain-list li[data-owner="admin"]');
      assert.deepEqual(await admin.locator("code").allTextContents(), ["corp.example", "*.corp.example"]);
      assert.deepEqual(await admin.locator(".lock").allTextContents(), ["管理者が設定", "管理者が設定"]);
      assert.equal(await admin.locator("button").count(), 0, "the admin's domains cannot be removed");
      // The admin named domains and did not allow more: the form is disabled and says why.
      assert.equal(await page.locator("#domain-input").isDisabled(), true);
      assert.match(await page.locator("#domain-locked").innerText(), /管理者が許可していません/);
      // The admin's severity cannot be changed.
      const rule = page.locator('#rules tr[data-code="external-recipient"]');
      assert.equal(await rule.locator("select").count(), 0);
      assert.match(await rule.innerText(), /注意\s+管理者が設定/);
      // Every dialog key is listed with its value, the admin's marked.
      const countdown = page.locator('#dialog-settings dd[data-key="countdownSeconds"]');
      assert.match(await countdown.innerText(), /5 秒\s*管理者が設定/);
      assert.match(await page.locator('#dialog-settings dd[data-key="confirmSender"]').innerText(), /いいえ\s*既定/);
      assert.equal(await page.locator("#dialog-settings dd").count(), 8);
      // The effective policy comes from the engine.
      const policy = await effective(page);
      assert.deepEqual(policy.internalDomains, ["corp.example", "*.corp.example"]);
      assert.equal(policy.rules["external-recipient"].severity, "warn");
      assert.equal(policy.dialog.countdownSeconds, 5);
      assert.equal(policy.userMayAddInternalDomains, false);
    });
  });

  test("the policy's problems are shown with their path, and a broken policy is said to be so", async () => {
    await withOptions({ lang: "en", managed: { internalDomain: ["corp.example"], dialog: { countdownSeconds: 90 } } }, async (page) => {
      const items = page.locator("#diagnostics li");
      assert.deepEqual((await items.evaluateAll((els) => els.map((e) => e.getAttribute("data-path")))).sort(), ["dialog.countdownSeconds", "internalDomain"]);
      assert.match(await items.first().innerText(), /Administrator/);
      assert.match(await page.locator("#status").innerText(), /every recipient and attachment must be confirmed/);
    });
  });

  test("without internal domains from the admin, the page says the sender's own domain counts as internal", async () => {
    const expected = {
      en: /names no internal domains, so the domain of the address you send from counts as internal/,
      ja: /社内ドメインの指定がないため、送信に使うアドレスのドメインを社内として扱います/,
      "zh-CN": /未指定内部域名，因此您发信地址的域名视为内部域名/,
    };
    for (const [lang, text] of Object.entries(expected)) {
      await withOptions({ lang: /** @type {any} */ (lang), managed: {} }, async (page) => {
        const note = page.locator("#domains #own-domain-internal");
        assert.equal(await note.isVisible(), true, `${lang}: the note is shown where the internal domains are`);
        assert.match(await note.innerText(), text);
      });
    }
    await withOptions({ lang: "en", managed: ADMIN }, async (page) => {
      assert.equal(await page.locator("#own-domain-internal").count(), 0, "not when the admin names internal domains");
    });
  });

  test("an unreadable admin policy is reported, and users may not add domains then", async () => {
    await withOptions({ lang: "en", managedError: "storage is broken" }, async (page) => {
      assert.match(await page.locator("#admin-status").innerText(), /could not be read \(storage is broken\)/);
      assert.equal(await page.locator("#domain-input").isDisabled(), true);
    });
  });
});

describe("what the person sets", () => {
  test("internal domains, when the admin allows it, are added, stored and removed", async () => {
    await withOptions({ lang: "en", managed: { ...ADMIN, userMayAddInternalDomains: true } }, async (page) => {
      for (const [typed, error] of [["", "Type a domain."], ["me@corp.example", "Type a domain (the part after @), not an address."], ["corp", "This is not a domain."], ["CORP.example", "This domain is already listed."]]) {
        await page.fill("#domain-input", typed);
        await page.press("#domain-input", "Enter");
        assert.match(await page.locator("#domain-error").innerText(), new RegExp(error.replace(/[.()]/g, "\\$&")), typed);
      }
      assert.equal((await stored(page)).userSettings, undefined, "nothing invalid was stored");
      await page.fill("#domain-input", "Group.Example");
      await page.click("#domain-add");
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.userSettings);
      assert.deepEqual((await stored(page)).userSettings, { internalDomains: ["group.example"] });
      assert.equal(await page.locator('#domain-list li[data-owner="user"] code').textContent(), "group.example");
      assert.match(await page.locator("#save-status").innerText(), /Added “group.example” and saved/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), "domain-input", "the focus stays in the form");
      await page.click('#domain-list li[data-domain="group.example"] button.remove');
      await page.waitForFunction(() => !(/** @type {any} */ (window).__fake.local.userSettings.internalDomains));
      assert.deepEqual((await stored(page)).userSettings, {});
    });
  });

  test("a check the admin did not set can be made stricter, never weaker", async () => {
    await withOptions({ lang: "en", managed: { internalDomains: ["corp.example"] } }, async (page) => {
      const select = page.locator('select[data-code="external-recipient"]');
      assert.deepEqual(await select.locator("option").allTextContents(), ["Default (Info)", "Warning", "Blocked"]);
      await select.selectOption("block");
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.userSettings?.rules);
      assert.deepEqual((await stored(page)).userSettings, { rules: { "external-recipient": { severity: "block" } } });
      assert.equal(await page.locator('select[data-code="external-recipient"]').inputValue(), "block");
      await page.locator('select[data-code="external-recipient"]').selectOption("");
      await page.waitForFunction(() => !(/** @type {any} */ (window).__fake.local.userSettings.rules));
    });
  });

  test("keyword rules are added and removed; large fonts are stored apart", async () => {
    await withOptions({ lang: "ja", managed: { keywords: [{ id: "bugaihi", pattern: "部外秘", severity: "block" }] }, local: { userSettings: { keywords: [{ id: "keyword-1", pattern: "極秘", severity: "warn" }] } } }, async (page) => {
      const admin = page.locator('#keyword-list li[data-owner="admin"]');
      assert.match(await admin.innerText(), /部外秘\s+件名・本文・添付ファイル名\s+送信不可\s+管理者が設定/);
      await page.fill("#keyword-pattern", "社外秘|confidential");
      await page.selectOption("#keyword-severity", "block");
      await page.press("#keyword-pattern", "Enter");
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.userSettings.keywords.length === 2);
      assert.deepEqual((await stored(page)).userSettings.keywords, [{ id: "keyword-1", pattern: "極秘", severity: "warn" }, { id: "keyword-2", pattern: "社外秘|confidential", severity: "block" }]);
      await page.click('#keyword-list li[data-pattern="極秘"] button.remove');
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.userSettings.keywords.length === 1);
      assert.match(await page.locator("#user-json").innerText(), /社外秘\|confidential/);

      await page.check("#large-fonts");
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.display?.largeFonts === true);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains("large")), true);
      assert.ok((await calls(page)).some(([name, arg]) => name === "storage.local.set" && arg.display));
    });
  });

  test("a keyword rule says where and when it applies, and the engine refuses a pattern it cannot use", async () => {
    await withOptions({ lang: "ja", managed: { keywords: [{ id: "plan", pattern: "計画書", in: ["attachment-name"], when: "external" }] }, local: {} }, async (page) => {
      assert.match(await page.locator('#keyword-list li[data-owner="admin"]').innerText(), /計画書\s+添付ファイル名 \/ 社外宛てのときだけ\s+管理者が設定/);

      // A pattern the engine cannot compile is not saved; the engine's own reason is shown.
      await page.fill("#keyword-pattern", "(社外秘");
      await page.press("#keyword-pattern", "Enter");
      await page.waitForFunction(() => document.getElementById("keyword-error")?.textContent !== "");
      assert.match(await page.locator("#keyword-error").innerText(), /正規表現として読めません/);
      assert.equal(await page.locator("#keyword-pattern").getAttribute("aria-invalid"), "true");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "keyword-pattern");
      assert.equal((await stored(page)).userSettings, undefined);

      // Nowhere to search is refused too.
      await page.fill("#keyword-pattern", "社外秘");
      for (const part of ["subject", "body", "attachment-name"]) await page.uncheck(`#keyword-in-${part}`);
      await page.click("#keyword-add");
      assert.equal(await page.locator("#keyword-error").innerText(), "探す場所を 1 つ以上選んでください。");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "keyword-in-subject");

      // The subject and attachment names, only for outside recipients.
      await page.check("#keyword-in-subject");
      await page.check("#keyword-in-attachment-name");
      await page.selectOption("#keyword-when", "external");
      await page.fill("#keyword-message", "  社外秘の資料です。宛先を確認してください。 ");
      await page.click("#keyword-add");
      await page.waitForFunction(() => /** @type {any} */ (window).__fake.local.userSettings?.keywords?.length === 1);
      const message = "社外秘の資料です。宛先を確認してください。";
      assert.deepEqual((await stored(page)).userSettings.keywords, [
        { id: "keyword-1", pattern: "社外秘", severity: "warn", in: ["subject", "attachment-name"], when: "external", message: { ja: message, en: message, zh: message } },
      ]);
      assert.match(await page.locator('#keyword-list li[data-owner="user"]').innerText(), /社外秘\s+件名・添付ファイル名 \/ 社外宛てのときだけ\s+注意/);
      await page.locator("#keywords").scrollIntoViewIfNeeded();
      await screenshot(page, "options-ja-keywords");
    });
  });

  test("hostile text in a policy or in the person's settings stays text", async () => {
    const evil = '<img src=x onerror="document.title=1">';
    await withOptions({ lang: "en", managed: { internalDomains: [evil], keywords: [evil] }, local: { userSettings: { keywords: [{ pattern: evil }] } } }, async (page) => {
      assert.equal(await page.locator("img").count(), 0);
      assert.ok((await page.locator("#keyword-list code").allTextContents()).every((text) => text === evil));
      assert.equal(await page.locator('#domain-list li[data-owner="admin"] code').textContent(), evil);
    });
  });
});

test("screenshots: options-ja.png, options-en-dark.png", async () => {
  const config = { managed: ADMIN, local: { userSettings: { keywords: [{ id: "keyword-1", pattern: "社外秘", severity: "warn" }] } } };
  await withOptions({ ...config, lang: "ja" }, async (page) => {
    await screenshot(page, "options-ja");
  });
  await withOptions({ ...config, lang: "en", colorScheme: "dark", managed: { ...ADMIN, userMayAddInternalDomains: true, dialog: { countdownSeconds: 120 } } }, async (page) => {
    await screenshot(page, "options-en-dark");
  });
});

describe("the Sent index", () => {
  test("its size and last update are shown; Delete, pressed with the keyboard, asks the background and says so", async () => {
    await withOptions({ lang: "ja", managed: {} }, async (page) => {
      const line = await page.locator("#sent-index-status").innerText();
      assert.match(line, /3 件のアドレス（送信済みメール 2 通から、120 バイト）/);
      assert.match(await page.locator("#sent-index").innerText(), /メールアドレスだけ/);
      // A native button: it takes the focus, and Enter presses it.
      await page.locator("#sent-index-clear").focus();
      assert.equal(await page.evaluate(() => document.activeElement?.id), "sent-index-clear");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => /索引を削除しました/.test(document.getElementById("save-status")?.textContent ?? ""));
      const asked = (await page.evaluate(() => /** @type {any} */ (window).__fake.calls)).filter((/** @type {any} */ c) => c[0] === "runtime.sendMessage");
      assert.deepEqual(asked.map((/** @type {any} */ c) => c[1].type), ["sentIndex.status", "sentIndex.clear"]);
      assert.match(await page.locator("#sent-index-status").innerText(), /作成中です/);
      assert.equal(await page.evaluate(() => document.activeElement?.id), "sent-index-clear", "the focus stays on the button");
    });
  });
});
