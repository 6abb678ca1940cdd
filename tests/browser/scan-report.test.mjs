// @ts-check
/**
 * The report of `misend-guard scan --format html` in Debian's Chromium: it renders under its own
 * strict Content-Security-Policy, requests nothing beyond its own file, shows hostile mail text
 * as text, and its counts are those of the JSON summary of the same scan.
 * The screenshot is written to target/screenshots/scan-report.png; with UPDATE_DOCS_SCREENSHOTS=1
 * it is also copied to docs/scan-report.png, the picture in the README.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, REPO_ROOT, collectErrors, screenshot } from "./lib/browser.mjs";

const BINARY = path.join(REPO_ROOT, "target", "debug", "misend-guard");

/**
 * A mail from inside the company.
 * @param {number} i
 * @param {string} to
 * @param {string} subject
 * @param {string} [body]
 */
function mail(i, to, subject, body = "Hello,\nthe minutes are below.\n") {
  return `From: Sato <sato@corp.example>\nTo: ${to}\nSubject: ${subject}\nMessage-ID: <${i}@corp.example>\nContent-Type: text/plain; charset=utf-8\n\n${body}`;
}

/** A mailbox with findings of several codes, a hostile subject and a mail that cannot be read. */
function mailbox() {
  /** @type {string[]} */
  const mails = [];
  for (let i = 0; i < 24; i++) {
    const to = ["a@partner.example", "b@partner.example, c@other.example", "d@corp.example", "e@client.example"][i % 4];
    const subject = i % 5 === 0 ? "confidential: 見積書を送付します" : i % 7 === 0 ? "" : `Minutes ${i}`;
    mails.push(mail(i, to, subject));
  }
  // The first mail, so that it is among the examples of its codes.
  mails.unshift(mail(99, "x@partner.example", "<img src=https://tracker.example/x.png><script>alert(1)</script>"));
  mails.splice(10, 0, "\u0000\u0001 not a mail\n");
  return mails.map((m) => `From sato@corp.example Mon Dec  7 10:00:00 2026\n${m}\n`).join("");
}

test("the scan report renders offline and its counts equal the JSON summary", async () => {
  execFileSync("cargo", ["build", "-p", "misend-guard-cli", "--bin", "misend-guard"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scan-report-"));
  try {
    const box = path.join(dir, "Sent");
    fs.writeFileSync(box, mailbox());
    const policy = path.join(dir, "policy.json");
    fs.writeFileSync(
      policy,
      JSON.stringify({ internalDomains: ["corp.example"], keywords: [{ id: "confidential", pattern: "confidential" }] }),
    );
    const run = (/** @type {string} */ format) =>
      execFileSync(BINARY, ["--lang", "en", "scan", "--format", format, "--policy", policy, "Sent"], {
        cwd: dir,
        encoding: "utf8",
      });
    const lines = run("json").trim().split("\n");
    const summary = JSON.parse(lines[lines.length - 1]).summary;
    assert.ok(summary.mails > 20 && summary.unreadable === 1, JSON.stringify(summary));
    const report = path.join(dir, "report.html");
    fs.writeFileSync(report, run("html"));

    const browser = await launch();
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1250 } });
      const errors = collectErrors(page);
      /** @type {string[]} */
      const requests = [];
      page.on("request", (request) => requests.push(request.url()));
      // Anything but the report itself is refused, so that a request could not even succeed.
      await page.route("**/*", (route) =>
        route.request().url() === pathToFileURL(report).href ? route.continue() : route.abort(),
      );
      await page.goto(pathToFileURL(report).href);
      await page.waitForLoadState("load");

      assert.deepEqual(requests, [pathToFileURL(report).href], "the report loads nothing");
      assert.deepEqual(errors, [], "no script error and no CSP violation");
      const shown = await page.evaluate(() => {
        const count = (/** @type {Element | null} */ e) => Number(e?.getAttribute("data-count"));
        /** @type {Record<string, number>} */
        const verdicts = {};
        for (const row of document.querySelectorAll("#verdicts tr[data-verdict]")) {
          verdicts[row.getAttribute("data-verdict") ?? ""] = count(row);
        }
        /** @type {Record<string, number>} */
        const codes = {};
        for (const row of document.querySelectorAll("#codes tr[data-code]")) {
          codes[row.getAttribute("data-code") ?? ""] = count(row);
          // What is shown is what the attribute says.
          const cell = row.querySelector("td.n");
          if (Number(cell?.textContent?.replace(/,/g, "")) !== count(row)) throw new Error(`${row.outerHTML}`);
        }
        return {
          mails: count(document.querySelector("[data-key=mails]")),
          mailsText: document.querySelector("[data-key=mails]")?.textContent,
          unreadable: count(document.querySelector("[data-key=unreadable]")),
          verdicts,
          codes,
          scripts: document.scripts.length,
          images: document.images.length,
          bars: document.querySelectorAll("#codes svg rect").length,
          examples: document.querySelectorAll("#examples details").length,
          text: document.body.textContent ?? "",
        };
      });
      assert.equal(shown.mails, summary.mails);
      assert.equal(shown.mailsText, String(summary.mails));
      assert.equal(shown.unreadable, summary.unreadable);
      for (const verdict of ["ok", "warn", "block"]) assert.equal(shown.verdicts[verdict], summary.verdicts[verdict] ?? 0);
      assert.deepEqual(shown.codes, summary.codes);
      assert.ok(Object.keys(summary.codes).length >= 4, JSON.stringify(summary.codes));
      assert.equal(shown.bars, 2 * Object.keys(summary.codes).length, "a bar per code");
      assert.equal(shown.examples, Object.keys(summary.examples).length);
      // The hostile subject is text on the page, not an element.
      assert.equal(shown.scripts, 0);
      assert.equal(shown.images, 0);
      assert.match(shown.text, /<script>alert\(1\)<\/script>/);
      assert.match(shown.text, /Sent: mail 11 at byte \d+: not an e-mail message/);

      await page.locator("#examples details").first().evaluate((d) => d.setAttribute("open", ""));
      const file = await screenshot(page, "scan-report");
      if (process.env.UPDATE_DOCS_SCREENSHOTS === "1") {
        fs.copyFileSync(file, path.join(REPO_ROOT, "docs", "scan-report.png"));
      }
    } finally {
      await browser.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
