"""A generator of malformed inputs for `run`: every way a careless user or an attacker can hand us a file.

``make_inputs(folder)`` writes them (names included) and returns ``(inputs, extra_args)``: each input as
(label, path as passed or found, expectation) where the expectation is "result" (a correct result is
expected) or "error" (one error line naming it). Nothing here is downloaded; everything is made from the
corpus files and a few bytes.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path

from conftest import DOCS

ODD_BYTES = b"\xff\xfe\xba\xd0"  # not UTF-8 (GBK bytes of a name copied from a Windows zip look like this)


@dataclass
class Input:
    label: str
    path: Path | bytes  # bytes: a name that is not UTF-8
    # "result", "error", "empty" (a result, and one line saying nothing was read from it), or "any" (either a result
    # or an error line is right: one of the two, never neither; a result from which nothing was read has its line),
    # or "warned" (a result, and one warning line saying how it was read)
    expect: str
    explicit: bool = False  # passed to `run` by name (else found in the batch folder)


def _corpus(key: str = "003") -> bytes:
    return DOCS[key].read_bytes()


def make_inputs(folder: Path, special: Path, big_mb: int = 50) -> list[Input]:
    """Write malformed inputs into ``folder`` (a batch folder) and, for those passed by name, ``special``."""
    folder.mkdir(parents=True, exist_ok=True)
    special.mkdir(parents=True, exist_ok=True)
    text = _corpus().decode("utf-8")
    items: list[Input] = []

    def put(name: str, data: bytes, expect: str, label: str | None = None) -> None:
        path = folder / name
        path.write_bytes(data)
        items.append(Input(label or name, path, expect))

    # Content: nothing, or not text.
    put("empty.txt", b"", "error")
    put("blank.txt", b" \n\t\r\n" * 10, "error")
    put("binary.txt", b"%PDF-1.7\n" + bytes(range(256)) * 40, "error")
    put("zip.txt", b"PK\x03\x04" + os.urandom(4000), "error")
    put("png.md", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100 + os.urandom(2000), "error")
    put("random.txt", os.urandom(64 * 1024), "error")
    put("undecodable.txt", bytes(range(0x80, 0x100)) * 64, "error")
    put("latin1.txt", ("Déclaration budgétaire - total 12,50 F " * 200).encode("latin-1"), "any")
    put("nul-late.txt", text.encode() + b"\x00" * 5000 + text.encode(), "any")
    put("nul-spread.txt", text.encode().replace("万元".encode(), "万\x00元".encode()), "any")
    put("utf32.txt", codecs.BOM_UTF32_LE + text.encode("utf-32-le"), "result")
    put("utf16-nobom.txt", text.encode("utf-16-le"), "any")
    put("truncated-gbk.txt", text.encode("gbk")[:-1] if len(text.encode("gbk")) % 2 else text.encode("gbk")[:-3]
        + "医".encode("gbk")[:1], "result")
    put("gbk-middle-cut.txt", text.encode("gbk")[: len(text.encode("gbk")) // 2] + b"\xb0", "result")
    put("bad-utf8-tail.txt", text.encode() + b"\xe5\x8c", "result")
    # Text, but not a disclosure, or a disclosure gone odd.
    put("no-tables.txt", ("这是一份普通的通知，没有任何预算表格。\n" * 300).encode(), "empty")
    put("one-line.txt", text.replace("\n", " ").encode(), "empty")
    put("cr-only.txt", text.replace("\n", "\r").encode(), "result")
    put("crlf.txt", text.replace("\n", "\r\n").encode(), "result")
    put("line-separators.txt", text.replace("\n", "\u2028").encode(), "result")
    put("control-chars.txt", text.replace("\t", "\t\x0b\x0c").encode(), "result")
    put("huge-line.txt", ("| " + "1234567890 | " * 400_000 + "\n").encode() + text.encode(), "result")
    put("huge-number.txt", text.replace("2805.56", "9" * 10_000_000, 1).encode(), "any",
        "10-million-digit number")
    put("long-fraction.txt", text.replace("2805.56", "2805." + "5" * 100_000, 1).encode(), "result")
    put("many-pipes.txt", ("|" * 200_000 + "\n") .encode() * 20 + text.encode(), "result")
    put("many-tabs.txt", ("\t" * 200_000 + "1\n").encode() * 20 + text.encode(), "result")
    # 20 000 titles in a row: the chunker's title test recurses once per title (RecursionError, noted for the
    # chunker's rewrite); the batch guard makes it one line meanwhile.
    put("title-storm.txt", ("部门收支总表\n" * 20_000).encode(), "any")
    put("header-storm.txt", ("| 合计 | 基本支出 | 项目支出 |\n" * 20_000).encode(), "empty")
    put("row-storm.txt", text.encode() + ("2101501\t行政运行\t1\t1\t\t\t\t\n" * 10_000).encode(), "result")
    put("deep-brackets.txt", ("（" * 50_000 + "1" + "）" * 50_000 + "\n").encode() + text.encode(), "result")
    put("emoji.txt", text.replace("合计", "合计😀").encode(), "result")
    put("fullwidth.txt", text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．")).encode(), "result")
    put("bom-only.txt", codecs.BOM_UTF8, "error")
    put("bom-twice.txt", codecs.BOM_UTF8 * 2 + text.encode(), "result")
    # Two files pasted together, one UTF-8, one GBK: each line is decoded in its own, and a warning says so.
    put("mixed-encodings.txt", text.encode() + text.encode("gbk"), "warned")
    put("negative-and-nan.txt", text.replace("2805.56", "-2805.56", 1).replace("660.56", "NaN", 1)
        .replace("533.75", "Infinity", 1).encode(), "result")
    put("exponent.txt", text.replace("2805.56", "1e999999999", 1).encode(), "result")
    put("giant-table.txt", ("2024年部门支出总表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
                            + "".join(f"{2100000 + i}\t项{i}\t{i}.00\t{i}.00\t\n" for i in range(5_000))).encode(),
        "result")
    # Names.
    put("with space 预算.txt", _corpus(), "result")
    put("-dash-first.txt", _corpus(), "result")
    put("semi;colon&amp$dollar`tick.txt", _corpus(), "result")
    put("x" * 240 + ".txt", _corpus(), "result", "a 240-character name")
    put("y" * 251 + ".md", _corpus(), "error", "a 251-character name (its result's name would be too long)")
    put("new\nline.txt", _corpus(), "result", "a name with a newline")
    put("tab\there.txt", _corpus(), "result", "a name with a tab")
    put("bell\x07.txt", _corpus(), "result", "a name with a control character")
    odd = os.fsencode(folder) + b"/" + ODD_BYTES + b".txt"
    with open(odd, "wb") as fh:
        fh.write(_corpus())
    items.append(Input("a name that is not UTF-8", odd, "error"))
    put("upper.TXT", _corpus(), "result")
    put("dup.txt", _corpus(), "any")
    put("dup.md", _corpus(), "any", "a second file with the same stem (both read, each keeps its suffix)")
    # Not regular files, given by name.
    def link(name: str, target, label: str, expect: str = "error") -> None:
        (special / name).symlink_to(target)
        items.append(Input(label, special / name, expect, explicit=True))

    os.mkfifo(special / "fifo.txt")
    items.append(Input("a FIFO", special / "fifo.txt", "error", explicit=True))
    link("zero.txt", "/dev/zero", "a symlink to /dev/zero")
    link("null.txt", "/dev/null", "a symlink to /dev/null")
    link("urandom.txt", "/dev/urandom", "a symlink to /dev/urandom")
    link("loop-a.txt", special / "loop-b.txt", "a symlink loop (a)")
    link("loop-b.txt", special / "loop-a.txt", "a symlink loop (b)")
    link("self.txt", special / "self.txt", "a symlink to itself")
    link("dangling.txt", special / "nowhere.txt", "a dangling symlink")
    link("good-link.txt", DOCS["002"], "a symlink to a document", "result")
    items.append(Input("a missing file", special / "missing.txt", "error", explicit=True))
    items.append(Input("a path through a file", special / "fifo.txt" / "x.txt", "error", explicit=True))
    (special / "dir.txt").mkdir()
    items.append(Input("a folder named like a document", special / "dir.txt" / "", "error", explicit=True))
    locked = folder / "locked.txt"
    locked.write_bytes(_corpus())
    locked.chmod(0)
    # Root reads it anyway: then a correct result is the right outcome.
    items.append(Input("permission denied", locked, "result" if os.geteuid() == 0 else "error"))
    big = folder / "big.txt"
    chunk = _corpus("000")
    with open(big, "wb") as fh:
        for _ in range(big_mb * 1024 * 1024 // len(chunk) + 1):
            fh.write(chunk)
    items.append(Input(f"a {big_mb} MB input", big, "error"))
    return items


def shown(path: Path | bytes) -> str:
    """A path as an error line shows it: undecodable bytes as \\xNN, control characters escaped."""
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    out = []
    for ch in text:
        if "\udc80" <= ch <= "\udcff":
            out.append(f"\\x{ord(ch) - 0xdc00:02x}")
        elif not ch.isprintable():
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)
