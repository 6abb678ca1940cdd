#!/usr/bin/env python3
"""Writes an mbox of typical office mails for measuring `misend-guard scan` (see BENCHMARKS.md).

Usage: python3 tests/bench/make-mbox.py [MAILS] [OUT]
(defaults: 100000 mails, target/bench/typical.mbox; about 10 KB a mail, so 100,000 mails make about 1 GB).

Each mail has 1 to 8 recipients in To/Cc (internal and at a few partner domains), a Japanese or
English subject, a 2 to 6 KB body with a quoted reply and a signature (half of them base64-encoded
UTF-8, half ISO-2022-JP as Japanese mailers send it), and one mail in four has a small CSV or text
attachment. The output is the same on every run (a fixed seed).
"""

import base64
import os
import random
import sys

MAILS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join("target", "bench", "typical.mbox")

rng = random.Random(20261207)
internal = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura"]
partners = ["partner.example", "client.co.jp", "supplier.example", "agency.example", "bank.example"]
subjects_ja = ["お見積りの件", "打ち合わせ日程のご相談", "議事録の送付", "資料をお送りします", "請求書について", "ご確認のお願い"]
subjects_en = ["Quote for the project", "Meeting next week", "Minutes of today's call", "Invoice", "Draft for review"]
paragraph_ja = (
    "いつもお世話になっております。先日の打ち合わせの件でご連絡いたします。"
    "資料の内容をご確認いただき、ご不明な点がございましたらお知らせください。"
    "来週の会議では、スケジュールと予算について検討する予定です。\n"
)
paragraph_en = (
    "Thank you for the meeting yesterday. As discussed, we will send the revised schedule by Friday. "
    "Please let us know if anything in the draft needs to change before we share it with the team.\n"
)
signature = "\n--\n株式会社サンプル 営業部\n佐藤 太郎 / Taro Sato\nTel: 03-0000-0000\n"


def address():
    if rng.random() < 0.4:
        return f"{rng.choice(internal)}@corp.example"
    return f"{rng.choice(internal)}{rng.randint(1, 99)}@{rng.choice(partners)}"


def body(japanese):
    paragraph = paragraph_ja if japanese else paragraph_en
    own = paragraph * rng.randint(2, 6)
    quoted = "".join("> " + line + "\n" for line in (paragraph * rng.randint(1, 4)).splitlines())
    return own + "\n2026年12月1日 10:00 Partner <p@partner.example>:\n" + quoted + signature


def mail(i):
    japanese = rng.random() < 0.6
    subject = rng.choice(subjects_ja if japanese else subjects_en)
    to = ", ".join(address() for _ in range(rng.randint(1, 5)))
    cc = ", ".join(address() for _ in range(rng.randint(0, 3)))
    headers = [
        f"From: Sato Taro <sato@corp.example>",
        f"To: {to}",
    ]
    if cc:
        headers.append(f"Cc: {cc}")
    headers += [
        f"Subject: =?UTF-8?B?{base64.b64encode(f'{subject} ({i})'.encode()).decode()}?=",
        f"Date: Mon, 7 Dec 2026 10:{i % 60:02d}:00 +0900",
        f"Message-ID: <{i}.bench@corp.example>",
        "MIME-Version: 1.0",
    ]
    text = body(japanese)
    if japanese and rng.random() < 0.5:
        part_headers = 'Content-Type: text/plain; charset="ISO-2022-JP"\nContent-Transfer-Encoding: 7bit'
        part_body = text.encode("iso2022_jp", errors="replace").decode("ascii")
    else:
        part_headers = 'Content-Type: text/plain; charset="UTF-8"\nContent-Transfer-Encoding: base64'
        part_body = base64.encodebytes(text.encode()).decode()
    if rng.random() < 0.25:
        rows = "".join(f"{n},item {n},{rng.randint(100, 99999)}\n" for n in range(rng.randint(20, 200)))
        attachment = base64.encodebytes(("id,name,amount\n" + rows).encode()).decode()
        name = rng.choice(["price-list.csv", "notes.txt", "見積明細.csv"])
        encoded_name = base64.b64encode(name.encode()).decode()
        headers.append('Content-Type: multipart/mixed; boundary="b1"')
        mime = (
            f"--b1\n{part_headers}\n\n{part_body}\n"
            f'--b1\nContent-Type: text/csv; name="=?UTF-8?B?{encoded_name}?="\n'
            f'Content-Disposition: attachment; filename="=?UTF-8?B?{encoded_name}?="\n'
            f"Content-Transfer-Encoding: base64\n\n{attachment}\n--b1--\n"
        )
    else:
        headers.append(part_headers)
        mime = part_body
    return "\n".join(headers) + "\n\n" + mime


def main():
    os.makedirs(os.path.dirname(OUT) or ".", exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as out:
        for i in range(MAILS):
            text = mail(i).replace("\nFrom ", "\n>From ")
            out.write(f"From sato@corp.example Mon Dec  7 10:00:00 2026\n{text}\n")
    print(f"{OUT}: {MAILS} mails, {os.path.getsize(OUT)} bytes")


main()
