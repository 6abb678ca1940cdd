#!/usr/bin/env python3
"""Makes the attachment fixtures of crates/inspect's tests with the tools people use.

Needs: pip install openpyxl python-docx python-pptx msoffcrypto-tool pypdf pyzipper; the `zip` command.
Run from anywhere: python3 tests/attachments/make-fixtures.py
The output is deterministic enough to commit; rerunning changes only timestamps inside the files.
"""
import io
import os
import shutil
import struct
import subprocess
import tempfile
import zipfile
from email.message import EmailMessage

import docx
import msoffcrypto.format.ooxml
import openpyxl
import pptx
import pyzipper
from pypdf import PdfWriter

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["太郎", "花子", "一郎", "美咲", "健太"]


def out(name):
    return os.path.join(HERE, name)


def people(n):
    for i in range(n):
        yield (
            f"{FAMILY[i % 10]} {GIVEN[i % 5]}",
            f"東京都千代田区丸の内{i % 3 + 1}-{i + 1}",
            f"03-{1000 + i:04d}-{5000 + i:04d}",
            f"user{i:03d}@example.co.jp",
        )


def customers_xlsx():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["氏名", "住所", "電話番号", "メール"])
    for row in people(50):
        ws.append(list(row))
    memo = wb.create_sheet("メモ")
    memo["A1"] = "備考"
    memo["C12"] = "マイナンバー 123456789018"
    wb.save(out("customers.xlsx"))


def price_list_xlsx(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "価格表"
    ws.append(["商品コード", "商品名", "単価", "在庫"])
    for i in range(30):
        ws.append([f"P-{1000 + i}", f"ボールペン 型番{i}", 120 + i * 10, 500 - i])
    wb.save(path)


def inline_strings_xlsx():
    """Some exporters write strings inline (t="inlineStr") instead of in sharedStrings.xml."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>名前</t></is></c><c r="B1" t="inlineStr"><is><t>携帯</t></is></c></row>'
        + "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><r><t>山田</t></r><r><t> {r}号</t></r>'
            f'<rPh sb="0" eb="2"><t>ヤマダ</t></rPh></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>090-1234-{r:04d}</t></is></c></row>'
            for r in range(2, 14)
        )
        + "</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="連絡先" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(out("inline-strings.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)


def minutes_docx():
    d = docx.Document()
    d.add_heading("定例会議 議事録", level=1)
    d.add_paragraph("本資料は社外秘です。取り扱いに注意してください。")
    d.add_paragraph("次回は 12 月 10 日 & 場所は <会議室A>。")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ["担当", "課題", "期限"]):
        cell.text = text
    for row in [("佐藤", "見積書の送付", "12/8"), ("鈴木", "契約書の確認", "12/9"), ("高橋", "請求書の発行", "12/15")]:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.add_paragraph("以上")
    d.save(out("minutes.docx"))


def application_docx():
    """An application form whose table gives a My Number next to its label, in the cell to its left."""
    d = docx.Document()
    d.add_heading("申込書", level=1)
    d.add_paragraph("下記のとおり申し込みます。")
    t = d.add_table(rows=0, cols=2)
    for label, value in [("氏名", "山田 太郎"), ("マイナンバー（個人番号）", "1234 5678 9018"), ("電話番号", "03-1234-5678")]:
        cells = t.add_row().cells
        cells[0].text = label
        cells[1].text = value
    d.add_paragraph("以上")
    d.save(out("application.docx"))


def quotation_docx():
    """A quotation as Word users write one: the date, then the customer it is addressed to."""
    d = docx.Document()
    d.add_paragraph("2026年12月7日")
    d.add_paragraph("株式会社アルファ商事 御中")
    d.add_heading("御見積書", level=1)
    d.add_paragraph("下記のとおりお見積り申し上げます。")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ["品名", "数量", "金額"]):
        cell.text = text
    cells = t.add_row().cells
    for cell, text in zip(cells, ["保守サービス（年間）", "1", "1,200,000"]):
        cell.text = text
    d.add_paragraph("以上")
    d.save(out("quotation.docx"))


def slides_pptx():
    p = pptx.Presentation()
    s = p.slides.add_slide(p.slide_layouts[1])
    s.shapes.title.text = "2027年度 事業計画"
    s.placeholders[1].text = "社外秘: 新製品の発売は 4 月"
    s2 = p.slides.add_slide(p.slide_layouts[1])
    s2.shapes.title.text = "スケジュール"
    s2.placeholders[1].text = "第1四半期に試作"
    s2.notes_slide.notes_text_frame.text = "発表者メモ: 価格は未定"
    p.save(out("slides.pptx"))


def csv_files():
    lines = ["氏名,住所,電話番号"] + [f"{n},{a},{t}" for n, a, t, _ in people(50)]
    with open(out("customers-sjis.csv"), "wb") as f:
        f.write(("\r\n".join(lines) + "\r\n").encode("cp932"))
    with open(out("customers-utf8-bom.tsv"), "wb") as f:
        rows = ["name\taddress\temail"] + [f"{n}\t{a}\t{m}" for n, a, _, m in people(12)]
        f.write(("\n".join(rows) + "\n").encode("utf-8-sig"))
    with open(out("notes-utf16.txt"), "wb") as f:
        f.write("会議メモ\r\n注文番号 123456789018 の件\r\n".encode("utf-16"))
    with open(out("price-list.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("商品コード,商品名,単価\n" + "".join(f'P-{1000 + i},"ノート, A4 {i}冊",{300 + i}\n' for i in range(40)))


def tiny_pe():
    """A minimal PE32 image: DOS header, PE signature, COFF header and an optional header, no sections."""
    dos = bytearray(64)
    dos[0:2] = b"MZ"
    struct.pack_into("<I", dos, 0x3C, 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 0, 0, 0, 0, 224, 0x0102)
    optional = bytearray(224)
    struct.pack_into("<H", optional, 0, 0x10B)
    return bytes(dos) + b"PE\0\0" + coff + bytes(optional)


def archives():
    work = tempfile.mkdtemp()
    try:
        with open(os.path.join(work, "readme.txt"), "w") as f:
            f.write("パスワードは別のメールで送ります。\n")
        with open(os.path.join(work, "secret.txt"), "w") as f:
            f.write("顧客一覧\n")
        target = out("second-entry-encrypted.zip")
        if os.path.exists(target):
            os.remove(target)
        # `zip` appends to an existing archive: the first entry plain, the second with a password.
        subprocess.run(["zip", "-q", "-X", target, "readme.txt"], cwd=work, check=True)
        subprocess.run(["zip", "-q", "-X", "-P", "secret", target, "secret.txt"], cwd=work, check=True)
    finally:
        shutil.rmtree(work)
    with pyzipper.AESZipFile(out("aes.zip"), "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as z:
        z.setpassword(b"secret")
        z.writestr("見積書.txt", "見積金額 100万円\n")
    with zipfile.ZipFile(out("tools.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("readme.txt", "インストール手順\n")
        z.writestr("tools/setup.exe", tiny_pe())
    with zipfile.ZipFile(out("ordinary.zip"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("報告書.txt", "今月の報告です。\n売上は前月比 5% 増。\n")
        with open(out("price-list.csv"), "rb") as f:
            z.writestr("data/price-list.csv", f.read())
        with open(out("minutes.docx"), "rb") as f:
            z.writestr("minutes.docx", f.read())
    with open(out("invoice.pdf"), "wb") as f:
        f.write(tiny_pe())


def bomb():
    """A 42.zip-style bomb: zips of zips, 16 wide, whose leaves are 256 MB of zeros each (1 TB in all)."""
    leaf_size = 256 * 1024 * 1024
    layer = io.BytesIO()
    with zipfile.ZipFile(layer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        zero = b"\0" * (1024 * 1024)
        for i in range(16):
            with z.open(f"{i:x}.dat", "w", force_zip64=True) as f:
                for _ in range(leaf_size // len(zero)):
                    f.write(zero)
    data = layer.getvalue()
    for level in range(3):
        layer = io.BytesIO()
        with zipfile.ZipFile(layer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
            for i in range(16):
                z.writestr(f"lib{i:x}.zip" if level < 2 else f"{i:x}.zip", data)
        data = layer.getvalue()
    with open(out("bomb.zip"), "wb") as f:
        f.write(data)


def encrypted():
    price_list_xlsx(out("price-list.xlsx"))
    with open(out("price-list.xlsx"), "rb") as plain, open(out("password.xlsx"), "wb") as protected:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("secret", protected)
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    with open(out("plain.pdf"), "wb") as f:
        w.write(f)
    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with open(out("encrypted.pdf"), "wb") as f:
        w.write(f)


def mail():
    m = EmailMessage()
    m["From"] = "sato@example.co.jp"
    m["To"] = "suzuki@example.co.jp"
    m["Subject"] = "Fw: 申込書"
    m["MIME-Version"] = "1.0"
    m.set_content("申込者のマイナンバーは 123456789018 です。\n")
    m.add_alternative("<p>申込者のマイナンバーは 123456789018 です。</p>", subtype="html")
    with open(out("forwarded.eml"), "wb") as f:
        f.write(bytes(m))


if __name__ == "__main__":
    customers_xlsx()
    inline_strings_xlsx()
    minutes_docx()
    application_docx()
    quotation_docx()
    slides_pptx()
    csv_files()
    encrypted()
    archives()
    mail()
    bomb()
