from pathlib import Path

from kg.documents import decode, find_inputs, normalize, read_document


def test_nfc_and_whitespace_keep_offsets_into_the_original():
    original = "Cafe\u0301  met\u00a0with\r\nX"
    text, offsets = normalize(original)
    assert text == "Café met with\nX"
    doc, problem = decode(Path("a.txt"), original.encode())
    assert problem is None
    start = doc.text.index("met")
    s, e = doc.original_span(start, start + len("met with"))
    assert original[s:e] == "met\u00a0with"
    s, e = doc.original_span(0, 4)
    assert original[s:e] == "Cafe\u0301"


def test_invalid_utf8_is_reported_with_byte_offset_and_line():
    doc, problem = decode(Path("bad.txt"), b"line one\nline \xff two\n")
    assert doc is None
    assert problem.code == "not-utf8" and problem.offset == 14 and problem.line == 2
    assert "bad.txt" in problem.message and "14" in problem.message


def test_empty_and_binary_files_are_reported():
    _, empty = decode(Path("e.txt"), b"  \n\n")
    _, binary = decode(Path("b.txt"), b"abc\x00def")
    assert empty.code == "empty-file"
    assert binary.code == "binary-file" and binary.offset == 3


def test_unreadable_inputs_are_problems_not_exceptions(tmp_path):
    (tmp_path / "good.txt").write_text("Xi Jinping met with Vladimir Putin.")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe")
    (tmp_path / "ignored.md").write_text("not a txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    found = find_inputs([tmp_path])
    assert [p.name for p in found] == ["bad.txt", "good.txt"]       # a dangling link is not a file
    read = [read_document(p) for p in found]
    assert [d.name for d, _ in read if d] == ["good.txt"]
    assert [p.file for _, p in read if p] == ["bad.txt"]
    doc, problem = read_document(tmp_path)                           # a folder cannot be read as a file
    assert doc is None and problem.code == "unreadable-file" and problem.file == tmp_path.name


def test_the_fast_path_of_normalize_equals_the_character_loop():
    """normalize() skips its character loop for NFC text with nothing to drop; both must agree."""
    import random

    from kg.documents import _fold_spaces, _normalize_by_character
    texts = [p.read_text(encoding="utf-8") for folder in ("seeds", "tests/corpus")
             for p in sorted((Path(__file__).resolve().parent.parent / folder).glob("*.txt"))]
    alphabet = ["a", "B", ".", "\n", " ", "\t", "\u00a0", "\u2009", "\u3000", "é", "ü", "中", "\u202f", "—"]
    rng = random.Random(7)
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    texts += ["", " ", "\n", " a", "a ", "a \n b", "\t\u00a0x\u3000\u3000y  \n"]
    for text in texts:
        assert _fold_spaces(text) == _normalize_by_character(text), repr(text)


def test_a_report_is_named_by_its_path_below_its_folder_and_read_once(tmp_path):
    for outlet in ("outlet-a", "outlet-b"):
        (tmp_path / "news" / outlet / "2023-05-01").mkdir(parents=True)
        (tmp_path / "news" / outlet / "2023-05-01" / "report.txt").write_text(f"{outlet}: Xi Jinping met Joe Biden.")
    found = find_inputs([tmp_path / "news", tmp_path / "news", tmp_path / "news" / "outlet-a"])
    assert [i.name for i in found] == ["outlet-a/2023-05-01/report.txt", "outlet-b/2023-05-01/report.txt"]
    doc, _ = read_document(found[0])
    assert doc.name == "outlet-a/2023-05-01/report.txt" and doc.iri_stem == "outlet-a/2023-05-01/report"
    # the same name under two folders given: the folders tell them apart
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "x" / "r.txt").write_text("one")
    (tmp_path / "y" / "r.txt").write_text("two")
    names = [i.name for i in find_inputs([tmp_path / "x", tmp_path / "y"])]
    assert len(set(names)) == 2 and all(n.endswith("/r.txt") for n in names)


def test_any_file_name_the_os_allows_becomes_a_valid_iri(tmp_path):
    import os

    import pyoxigraph as ox

    from kg.documents import iri_path

    weird = ["a b.txt", "line\nbreak.txt", 'q<>"{}|\\^`.txt', "caf\udce9.txt"]   # the last: a byte not UTF-8
    for name in weird:
        with open(os.path.join(os.fsencode(tmp_path), os.fsencode(name)), "wb") as f:
            f.write(b"Xi Jinping met Joe Biden in Beijing.")
    found = find_inputs([tmp_path])
    assert len(found) == 4
    for source in found:
        doc, problem = read_document(source)
        assert problem is None
        ox.NamedNode("https://w3id.org/bilateral-kg/id/file/" + iri_path(doc.name))   # no exception
        ox.NamedNode("https://w3id.org/bilateral-kg/id/report/" + doc.iri_stem + "/1")
    assert iri_path("plain_name-1.txt") == "plain_name-1.txt"           # what needs none is unchanged


def test_utf16_is_read_as_utf16_and_broken_utf16_named_as_such():
    """What Windows tools save as "Unicode": with a byte-order mark or without, little- or
    big-endian, it reads as the same text as its UTF-8 twin (it was "looks binary", then a
    refusal); UTF-16 that is cut short is named as UTF-16 with its byte offset."""
    text = "Xi Jinping met Joe Biden in Beijing.\nCaf\u00e9 talks on May 3, 2023.\n"
    utf8, _ = decode(Path("r.txt"), text.encode())
    for codec in ("utf-16", "utf-16-le", "utf-16-be"):
        doc, problem = decode(Path("r.txt"), text.encode(codec))
        assert problem is None, (codec, problem)
        assert (doc.original, doc.text, doc.line_of(40)) == (utf8.original, utf8.text, 2)
    doc, problem = decode(Path("r.txt"), text.encode("utf-16")[:-1])
    assert doc is None and problem.code == "not-utf8" and "UTF-16" in problem.message
    assert problem.offset == len(text.encode("utf-16")) - 2 and problem.line == 2
