from pathlib import Path

import pytest

from kg.articles import build_layout, split_articles
from kg.dates import PartialDate
from kg.documents import decode
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.sentences import split_sentences

MAPPINGS = load_mappings()
GAZ = build_gazetteer(MAPPINGS)
LAYOUT = build_layout(MAPPINGS, GAZ)

COMPILATION = """2022-08-31      Source: www.fmprc.gov.cn

First headline about talks in the capital

On August 23, 2022, Vice Foreign Minister Xie Feng held talks with a counterpart in a long first paragraph.


Second headline of a reprinted article

Global Times

Xi Jinping, general secretary of the Communist Party of China, held talks Friday with a guest at a venue.

Continue reading Second headline of a reprinted article

The following article was originally published by the Xinhua News Agency.

ASTANA, May 20 (Xinhua) — Chinese Foreign Minister Wang Yi on Monday expressed deep condolences over a loss.
"""


def test_split_compilation_into_articles_with_title_publisher_date():
    doc, _ = decode(Path("c.txt"), COMPILATION.encode())
    arts = split_articles(doc, LAYOUT)
    assert [a.title for a in arts] == ["First headline about talks in the capital",
                                        "Second headline of a reprinted article", None]
    assert arts[0].publisher == "www.fmprc.gov.cn" and arts[0].date == PartialDate(2022, 8, 31)
    assert arts[1].publisher == "Global Times"
    assert arts[2].publisher == "Xinhua News Agency" and arts[2].date == PartialDate(None, 5, 20)
    assert arts[2].city == "ASTANA"
    assert all("Continue reading" not in line.text for a in arts for line in a.body)


def test_sentences_survive_abbreviations_and_numbered_clauses():
    text = ("Title line of the statement\n\n"
            "7. The Cuban side met H.E. Ambassador Zheng at No. 7 Street with U.S. officials and Dr. Lee. "
            "The two sides agreed.\n")
    doc, _ = decode(Path("s.txt"), text.encode())
    (article,) = split_articles(doc, LAYOUT)
    sentences = split_sentences(article, LAYOUT.abbreviations)
    assert [s.text for s in sentences] == [
        "The Cuban side met H.E. Ambassador Zheng at No. 7 Street with U.S. officials and Dr. Lee.",
        "The two sides agreed."]
    assert sentences[0].number == 7 and sentences[1].number is None


def test_a_dateline_whose_agency_in_brackets_has_no_dash_after_it():
    doc, _ = decode(Path("d.txt"), "New Delhi, May 25 (IANS) US President Joe Biden called Prime Minister "
                                   "Narendra Modi.\n".encode())
    (article,) = split_articles(doc, LAYOUT)
    assert (article.city, article.date, article.publisher) == ("New Delhi", PartialDate(None, 5, 25), "IANS")


def test_a_dateline_whose_year_follows_a_slash():
    doc, _ = decode(Path("d.txt"), "August 24/2021 (ENA) Prime Minister Ravi Desai held a phone discussion with Prime "
                                   "Minister Noa Levi on Monday.\n".encode())
    (article,) = split_articles(doc, LAYOUT)
    assert (article.date, article.publisher) == (PartialDate(2021, 8, 24), "ENA")


@pytest.mark.parametrize("line, city", [
    ("London: Prime Minister Ravi Desai met President Claire Duval here.", "London"),
    ("NEW YORK - President Claire Duval held talks here with Prime Minister Ravi Desai.", "NEW YORK"),
    # an archive's stamp before the dateline is no part of it
    (" date 2023-09-08 New Delhi: Prime Minister Ravi Desai held talks here.", "New Delhi"),
    ("Prime Minister Ravi Desai: We met here today.", None),      # a speaker's label is no city
])
def test_a_dateline_that_names_only_the_city(line, city):
    doc, _ = decode(Path("d.txt"), (line + "\n").encode())
    (article,) = split_articles(doc, LAYOUT)
    assert (article.city, article.date) == (city, None)


def test_a_header_whose_publisher_has_several_words_opens_one_article():
    doc, _ = decode(Path("d.txt"), ("2025-03-04      Source: Ministry of Foreign Affairs\n\nPresident Kagame receives the "
                                    "envoy of India\n\nPresident Paul Kagame received the envoy.\n").encode())
    (article,) = split_articles(doc, LAYOUT)
    assert (article.date, article.publisher) == (PartialDate(2025, 3, 4), "Ministry of Foreign Affairs")


def test_a_byline_on_its_own_line_under_the_headline_opens_no_article():
    doc, _ = decode(Path("b.txt"), ("PM Rao meets Nepali counterpart Thapa\n\nBy Rastriya Samachar Samiti\n\nKATHMANDU: Prime "
                                    "Minister Anil Rao on Friday afternoon met his Nepali counterpart Ram Thapa at the "
                                    "Hyderabad House in New Delhi.\n").encode())
    (article,) = split_articles(doc, LAYOUT)
    assert article.title == "PM Rao meets Nepali counterpart Thapa"
    assert all("Rastriya" not in line.text for line in article.body)
