// @ts-check
/**
 * The typical mail and policy the wasm benchmarks time (engine-bench.mjs, who-bench.mjs), as
 * the Rust benchmarks do (crates/rules/benches/content.rs).
 */

/** The same policy as crates/rules/benches/content.rs. */
export const policy = {
  internalDomains: ["corp.example", "*.corp.example"],
  keywords: [
    { id: "confidential", pattern: "社外秘|取扱注意|(?i)confidential", when: "external" },
    { id: "project", pattern: "Project\\s+Falcon|ファルコン計画", severity: "block" },
    { id: "salary", pattern: "給与|賞与|salary", in: ["subject", "attachment-name"] },
    { id: "password", pattern: "(?i)password\\s*[:：]", in: ["body"] },
  ],
};

/** About 5 KB of a Japanese and English mail with a quoted reply and a signature, as in the Rust benchmark. */
export function typicalBody() {
  const own =
    "山田様\n\nいつもお世話になっております。株式会社サンプルの佐藤です。\n" +
    "先日ご相談いただいた件について、見積書を添付いたします。ご確認のほどよろしくお願いいたします。\n" +
    "納期は来月末を予定しております。ご不明な点がございましたら、お気軽にお問い合わせください。\n" +
    "Please find the quotation attached. The delivery is planned for the end of next month.\n" +
    "If you have any questions, feel free to contact me at any time.\n\n";
  const quoted =
    "> 佐藤様\n> お見積もりをお願いできますでしょうか。数量は 120 個、納品先は本社です。\n" +
    "> Could you send us a quotation for 120 units, delivered to our head office?\n";
  const signature = "-- \n佐藤 花子 / Hanako Sato\n株式会社サンプル 営業部\nTel 03-1234-5678\n";
  const bytes = (/** @type {string} */ s) => Buffer.byteLength(s);
  let body = "";
  while (bytes(body) < 2500) body += own;
  body += "On 2026/11/20 10:00, Taro Yamada wrote:\n";
  while (bytes(body) < 4900) body += quoted;
  return body + signature;
}

/** The typical mail: 10 recipients (6 To, 3 Cc, 1 Bcc), the body above, 2 attachments. */
export function typicalDraft() {
  return {
    from: "佐藤 花子 <sato@corp.example>",
    to: Array.from({ length: 6 }, (_, i) => `Person ${i} <p${i}@partner.example>`),
    cc: Array.from({ length: 3 }, (_, i) => `同僚${i} <c${i}@corp.example>`),
    bcc: ["archive@corp.example"],
    subject: "Re: お見積もりのご依頼（120 個）",
    body: typicalBody(),
    attachments: [
      { name: "見積書_2026-11.pdf", size: 182000 },
      { name: "製品仕様書.xlsx", size: 1250000 },
    ],
  };
}
