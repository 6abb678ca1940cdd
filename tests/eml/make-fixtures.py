#!/usr/bin/env python3
"""Writes the .eml fixtures of this folder. Run it from anywhere: python3 tests/eml/make-fixtures.py

Each fixture is written byte by byte (CRLF line ends, real charsets), the way Japanese mail
clients send them, so that the CLI's decoding is tested on what admins will feed it.
"""
import base64
import os
import quopri
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def b_word(text, charset):
    """An RFC 2047 encoded word, B encoding."""
    return "=?%s?B?%s?=" % (charset, base64.b64encode(text.encode(charset)).decode())


def write(name, lines, body=b""):
    data = "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + body
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def crlf(text):
    return text.replace("\n", "\r\n")


def base64_lines(data):
    encoded = base64.b64encode(data).decode()
    return "\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


COMMON = [
    "Date: Mon, 01 Dec 2025 10:00:00 +0900",
    "MIME-Version: 1.0",
]

# ISO-2022-JP subject and body: the classic Japanese business mail.
write("iso-2022-jp.eml", [
    "From: %s <yamada@corp.example>" % b_word("山田 太郎", "iso-2022-jp"),
    "To: %s <sato@partner.example>" % b_word("佐藤 次郎", "iso-2022-jp"),
    "Subject: %s" % b_word("見積書の件", "iso-2022-jp"),
    *COMMON,
    "Content-Type: text/plain; charset=ISO-2022-JP",
    "Content-Transfer-Encoding: 7bit",
], crlf("佐藤様\n\nいつもお世話になっております。\n見積書をお送りします。\n").encode("iso-2022-jp"))

# Shift_JIS body sent as 8bit, subject in Shift_JIS encoded words.
write("shift-jis.eml", [
    "From: yamada@corp.example",
    "To: suzuki@corp.example",
    "Subject: %s" % b_word("会議室の予約", "shift_jis"),
    *COMMON,
    "Content-Type: text/plain; charset=Shift_JIS",
    "Content-Transfer-Encoding: 8bit",
], crlf("鈴木さん\n\n明日の会議室を予約しました。\n表計算ソフトの「ソ」も化けません。\n").encode("shift_jis"))

# EUC-JP, still found on old Unix systems.
write("euc-jp.eml", [
    "From: admin@corp.example",
    "To: tanaka@corp.example",
    "Subject: %s" % b_word("サーバー停止のお知らせ", "euc-jp"),
    *COMMON,
    "Content-Type: text/plain; charset=EUC-JP",
    "Content-Transfer-Encoding: 8bit",
], crlf("田中さん\n\n今夜二十二時にサーバーを停止します。\n").encode("euc-jp"))

# UTF-8 with quoted-printable body and a Q-encoded subject.
write("quoted-printable-utf8.eml", [
    "From: yamada@corp.example",
    "To: client@customer.example",
    "Subject: =?UTF-8?Q?=E5=A5=91=E7=B4=84=E6=9B=B8=E3=81=AE=E3=81=94=E7=A2=BA=E8=AA=8D?=",
    *COMMON,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: quoted-printable",
], crlf(quopri.encodestring("ご担当者様\n\n契約書のご確認をお願いいたします。ここに非常に長い行があり、七十六文字を超えるので quoted-printable のソフト改行で折り返されます。\n".encode("utf-8")).decode()).encode("ascii"))

# UTF-8 with a base64 body.
write("base64-utf8.eml", [
    "From: yamada@corp.example",
    "To: client@customer.example",
    "Subject: %s" % b_word("請求書送付のご案内", "utf-8"),
    *COMMON,
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: base64",
], (base64_lines(crlf("お客様各位\n\n今月分の請求書をお送りします。\n").encode("utf-8")) + "\r\n").encode("ascii"))

# Japanese attachment names: RFC 2231 (with and without continuations) and RFC 2047.
pdf = bytes(range(256)) * 6          # 1536 bytes
xlsx = b"PK\x03\x04" + b"\x00" * 1020  # 1024 bytes
txt = "氏名,電話\n".encode("shift_jis")   # 10 bytes in Shift_JIS
name_2231 = "見積書.pdf"
name_2231_long = "顧客一覧_2025年12月.xlsx"
quoted = urllib.parse.quote(name_2231_long.encode("utf-8"), safe="")
half = len(quoted) // 2
while quoted[half - 1] == "%" or quoted[half - 2] == "%":
    half += 1
write("japanese-attachment-names.eml", [
    "From: yamada@corp.example",
    "To: sato@partner.example",
    "Subject: =?UTF-8?B?%s?=" % base64.b64encode("資料送付".encode()).decode(),
    *COMMON,
    'Content-Type: multipart/mixed; boundary="=_b1"',
], crlf("\n".join([
    "--=_b1",
    "Content-Type: text/plain; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    "資料を添付します。",
    "--=_b1",
    "Content-Type: application/pdf",
    "Content-Disposition: attachment; filename*=UTF-8''%s" % urllib.parse.quote(name_2231.encode(), safe=""),
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(pdf).replace("\r\n", "\n"),
    "--=_b1",
    "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "Content-Disposition: attachment;",
    " filename*0*=UTF-8''%s;" % quoted[:half],
    " filename*1*=%s" % quoted[half:],
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(xlsx).replace("\r\n", "\n"),
    "--=_b1",
    'Content-Type: text/csv; charset=Shift_JIS; name="%s"' % b_word("名簿.csv", "iso-2022-jp"),
    'Content-Disposition: attachment; filename="%s"' % b_word("名簿.csv", "iso-2022-jp"),
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(txt).replace("\r\n", "\n"),
    "--=_b1--",
    "",
])).encode("utf-8"))

# An HTML-only body: the engine checks its text.
write("html-only.eml", [
    "From: yamada@corp.example",
    "To: sato@partner.example",
    "Subject: HTML only",
    *COMMON,
    "Content-Type: text/html; charset=UTF-8",
    "Content-Transfer-Encoding: 8bit",
], crlf("<html><head><style>p { color: red }</style></head><body>\n<p>佐藤様</p>\n<p>お見積もりは&lt;別紙&gt;のとおりです。<br>よろしくお願いします。</p>\n</body></html>\n").encode("utf-8"))

# The sender's copy of a mail with Cc and Bcc: Bcc recipients are recipients.
write("bcc.eml", [
    'From: "Yamada, Taro" <yamada@corp.example>',
    'To: "Sato, Jiro" <sato@partner.example>, suzuki@corp.example',
    "Cc: %s <kato@other.example>, Team: a@partner.example, b@partner.example;" % b_word("加藤", "utf-8"),
    "Bcc: boss@corp.example",
    "Subject: Bcc copy",
    *COMMON,
    "Content-Type: text/plain; charset=UTF-8",
], b"Hello.\r\n")

# multipart/mixed with a text body and two attachments.
write("multipart-mixed-two-attachments.eml", [
    "From: yamada@corp.example",
    "To: sato@partner.example",
    "Subject: Two files",
    *COMMON,
    'Content-Type: multipart/mixed; boundary="b2"',
], crlf("\n".join([
    "This is a multi-part message in MIME format.",
    "--b2",
    "Content-Type: multipart/alternative; boundary=\"b3\"",
    "",
    "--b3",
    "Content-Type: text/plain; charset=UTF-8",
    "",
    "Please find the two files attached.",
    "--b3",
    "Content-Type: text/html; charset=UTF-8",
    "",
    "<p>Please find the two files <b>attached</b>.</p>",
    "--b3--",
    "",
    "--b2",
    'Content-Type: application/pdf; name="report.pdf"',
    'Content-Disposition: attachment; filename="report.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(pdf).replace("\r\n", "\n"),
    "--b2",
    'Content-Type: image/png; name="chart.png"',
    'Content-Disposition: attachment; filename="chart.png"',
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(b"\x89PNG\r\n\x1a\n" + b"\x01" * 92).replace("\r\n", "\n"),
    "--b2--",
    "",
])).encode("ascii"))

# A forwarded message as an attachment: it counts as one attachment, its own attachment does not.
inner = crlf("\n".join([
    "From: customer@customer.example",
    "To: yamada@corp.example",
    "Subject: Original question",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="in"',
    "",
    "--in",
    "Content-Type: text/plain",
    "",
    "Inner body text.",
    "--in",
    'Content-Type: application/zip; name="inner.zip"',
    'Content-Disposition: attachment; filename="inner.zip"',
    "Content-Transfer-Encoding: base64",
    "",
    base64_lines(b"PK" + b"\x00" * 30).replace("\r\n", "\n"),
    "--in--",
]))
write("nested-message.eml", [
    "From: yamada@corp.example",
    "To: suzuki@corp.example",
    "Subject: Fw: Original question",
    *COMMON,
    'Content-Type: multipart/mixed; boundary="out"',
], crlf("\n".join([
    "--out",
    "Content-Type: text/plain; charset=UTF-8",
    "",
    "Forwarding the customer's mail.",
    "--out",
    "Content-Type: message/rfc822",
    "Content-Disposition: attachment",
    "",
    inner.replace("\r\n", "\n"),
    "--out--",
    "",
])).encode("ascii"))
print("inner message:", len(inner), "bytes")
