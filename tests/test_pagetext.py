"""Pages as they come: furniture around the article, the page's own date and title, hard line
breaks, list markers, lost spaces, and the dates that resolve against the page's date.

Every page here is written for this test; none is copied from a real site."""
from pathlib import Path

import pytest

from kg.articles import Article, build_layout, is_boilerplate, logical_lines, page_date, split_articles
from kg.build import load_pipeline
from kg.dates import DateContext, PartialDate, find_dates, resolve
from kg.documents import decode
from kg.facts import extract_report
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.sentences import split_sentences, split_text

MAPPINGS = load_mappings()
LAYOUT = build_layout(MAPPINGS, build_gazetteer(MAPPINGS))
PIPELINE = load_pipeline(None)


def articles_of(text: str) -> list[Article]:
    doc, problem = decode(Path("page.txt"), text.encode())
    assert problem is None
    return split_articles(doc, LAYOUT)


def sentences_of(text: str) -> list[str]:
    return [s.text for a in articles_of(text) for s in split_sentences(a, LAYOUT.abbreviations)]


@pytest.mark.parametrize("line, date", [
    ("March 3, 2021", PartialDate(2021, 3, 3)),
    ("Thursday, March 3, 2021", PartialDate(2021, 3, 3)),
    ("Last updated: Thursday, Mar 3, 2021", PartialDate(2021, 3, 3)),
    ("3 March 2021 - 09:41", PartialDate(2021, 3, 3)),
    ("Publication date 3.3.2021 9.41", PartialDate(2021, 3, 3)),
    ("Oslo, 3 March 2021", PartialDate(2021, 3, 3)),
    ("3 March 2021, Canberra", PartialDate(2021, 3, 3)),
    ("Press Office, Wednesday, March 3, 2021", PartialDate(2021, 3, 3)),
    ("[March 3, 2021]", PartialDate(2021, 3, 3)),
    ("2021-03-03", PartialDate(2021, 3, 3)),
    ("May 2, 2021 to May 6, 2021", PartialDate(2021, 5, None)),   # a span of days: its month
    ("July 2019", PartialDate(2019, 7, None)),
    ("Posted on March 3, 2021 by Jane Doe", PartialDate(2021, 3, 3)),
    ("By Jane Q. Doe March 3, 2021, 6:34 pm", PartialDate(2021, 3, 3)),
    ("Source: Newswire| 2021-03-03 21:05:31|Editor: jdoe", PartialDate(2021, 3, 3)),
    ("March 3, 2021 | 18:05 IST", PartialDate(2021, 3, 3)),
    ("Last modified on Wed 3 Mar 2021 09.41 GMT", PartialDate(2021, 3, 3)),
    ("March 3", None),                                  # no year: not the page's date
    ("03/04/2021", None),                               # month first or day first: cannot tell
    ("The ministers met in Oslo on 3 March 2021.", None),   # a sentence, not a date line
    ("Talks between the two foreign ministers on March 3, 2021", None),
])
def test_a_date_line_gives_the_page_date(line, date):
    assert page_date(line, LAYOUT) == date


@pytest.mark.parametrize("line, furniture", [
    ("Skip to main content", True),
    ("Select font Verdana Georgia", True),
    ("Back to Regional Affairs", True),
    ("Home > Newsroom > Readouts", True),
    ("Newsroom > Readouts > 2021", True),
    ("Archive2021> Foreign minister meets counterpart", True),
    ("An official website of the United States government", True),
    ("Here's how you know", True),
    ("The two ministers at the start of the talks (Photo: Press Office)", True),
    ("Press release", True),
    ("Transcripts /", True),
    ("Home | Newsroom | Contact | Search", True),
    ("Share this page", True),
    ("Jane Doe, Readout of the Minister's Call with the President of Chile Online by the Public Papers Archive https://example.org/node/1", True),
    ("More on the agreement at https://example.org/agreement, where the full text is published.", False),
    ("Filed Under", True),
    ("Back to the negotiating table, the two sides agreed on a timetable for the next round.", False),
    ("The Foreign Minister met his counterpart in Oslo.", False),
    ("Foreign Minister meets Norwegian counterpart", False),
])
def test_page_furniture_is_told_from_text(line, furniture):
    assert is_boilerplate(line, LAYOUT) is furniture


MENU_PAGE = """Skip to content
Newsroom
Home > News > Readouts

Foreign Minister Lindqvist meets Portuguese counterpart in Oslo

Press Office
Publication date 3.3.2021 9.41
Press release 12/2021

Foreign Minister Anna Lindqvist met Portuguese Foreign Minister Rui Calado in Oslo today. The ministers discussed energy and fisheries.

Back to Readouts
"""


def test_a_page_with_menus_gives_its_headline_date_and_only_its_text():
    (article,) = articles_of(MENU_PAGE)
    assert article.title == "Foreign Minister Lindqvist meets Portuguese counterpart in Oslo"
    assert article.date == PartialDate(2021, 3, 3)
    texts = [s.text for s in split_sentences(article, LAYOUT.abbreviations)]
    assert texts[-2:] == ["Foreign Minister Anna Lindqvist met Portuguese Foreign Minister Rui Calado in Oslo today.",
                          "The ministers discussed energy and fisheries."]
    # the byline under the headline stays the article's; the menus, the date line and the links do not
    assert texts[:-2] == ["Press Office", "Press release 12/2021"]


@pytest.mark.parametrize("page, title, date", [
    # the archive's stamp never dates the page; a title ending in the date does
    (" date 2011-01-01 PM call with the President of Chile: 4 May 2020\nThe Prime Minister spoke with the "
     "President of Chile this afternoon about trade and climate.\n", "PM call with the President of Chile: 4 May 2020",
     PartialDate(2020, 5, 4)),
    (" date 2011-01-01 Ministerial talks 2020: joint statement\nThe ministers of both countries met in "
     "Santiago to review their partnership and its future.\n", "Ministerial talks 2020: joint statement", None),
    # a date line under the text (a page that puts it at the foot) still dates it
    ("Condolences to the President of Chile\n\nThe President sent a message of condolences to the President of "
     "Chile after the floods.\n\nMay 4, 2020\n", "Condolences to the President of Chile", PartialDate(2020, 5, 4)),
    # a headline wrapped at a fixed width is one headline
    ("[Public record, 2020]\n[May 4, 2020]\nJoint Statement by the Republic of Chile and the Argentine Republic on\n"
     "Cooperation in the Southern Ocean and the Antarctic Peninsula Region\n\n    The two governments reaffirm "
     "their commitment to the conservation of the Southern Ocean.\n",
     "Joint Statement by the Republic of Chile and the Argentine Republic on Cooperation in the Southern Ocean and "
     "the Antarctic Peninsula Region", PartialDate(2020, 5, 4)),
    # a genre line alone is the subtitle of the page's headline
    ("7th Chile-Argentina Summit\nSantiago, 4 May 2020\nJoint Press Statement\n\nThe President of Chile and the "
     "President of Argentina met in Santiago for their seventh summit.\n",
     "7th Chile-Argentina Summit Joint Press Statement", PartialDate(2020, 5, 4)),
])
def test_the_page_head_gives_title_and_date(page, title, date):
    article = articles_of(page)[0]
    assert (article.title, article.date) == (title, date)


def test_labelled_fields_before_a_description_are_not_text():
    page = ("Remarks with the Foreign Minister of Peru\n\nMarch 3, 2021\n\n"
            "Date: 03/03/2021 Location: Lima Description: The Foreign Minister of Ecuador meets the Foreign Minister "
            "of Peru at the Torre Tagle Palace.\n")
    assert sentences_of(page) == ["The Foreign Minister of Ecuador meets the Foreign Minister of Peru at the Torre "
                                  "Tagle Palace."]


def test_a_heading_inside_a_page_is_a_section_and_a_dated_heading_a_new_item():
    page = ("Weekly Digest\n\nMonday, May 11, 2020\n\nPrime Minister receives Chilean Foreign Minister\n\n"
            "Cabinet Office, Friday, May 8, 2020\n\n"
            "On May 8, the Prime Minister received a courtesy call from the Foreign Minister of Chile.\n\n"
            "Bilateral relations\n\n"
            "The Prime Minister welcomed the growth of trade between the two countries in recent years.\n\n"
            "Foreign Minister meets Chilean Foreign Minister\n\nForeign Affairs, Friday, May 8, 2020\n\n"
            "On May 8, the Foreign Minister held a meeting with the Foreign Minister of Chile.\n")
    arts = articles_of(page)
    assert [a.title for a in arts] == ["Prime Minister receives Chilean Foreign Minister",
                                       "Foreign Minister meets Chilean Foreign Minister"]
    assert [a.date for a in arts] == [PartialDate(2020, 5, 11), PartialDate(2020, 5, 8)]
    assert any("growth of trade" in line.text for line in arts[0].body)


def test_a_sentence_broken_by_hard_line_breaks_is_one_sentence_quoted_verbatim():
    page = ("Talks in Lima\n\nMarch 3, 2021\n\n"
            "The Foreign Minister of Peru met the Foreign Minister of\n"
            "Ecuador in Lima on Wednesday to discuss the border crossings and\n\n"
            "trade. The two ministers agreed to meet again.\n")
    doc, _ = decode(Path("page.txt"), page.encode())
    (article,) = split_articles(doc, LAYOUT)
    first, second = split_sentences(article, LAYOUT.abbreviations)
    assert first.text.split() == ("The Foreign Minister of Peru met the Foreign Minister of Ecuador in Lima on "
                                  "Wednesday to discuss the border crossings and trade.").split()
    start, end = doc.original_span(first.start, first.end)
    assert doc.original[start:end] == ("The Foreign Minister of Peru met the Foreign Minister of\nEcuador in Lima on "
                                       "Wednesday to discuss the border crossings and\n\ntrade.")
    assert second.text == "The two ministers agreed to meet again."


@pytest.mark.parametrize("a, b, joined", [
    ("The President of Chile and the President of Argentina agreed to open the", "border on Monday.", True),
    ("The President of Chile and the President of Argentina welcomed the", "Argentine Republic's offer.", True),
    ("Chile-Argentina Summit", "The two presidents met in Santiago.", False),           # a headline
    ("The two presidents met in Santiago on Monday for three hours of talks.", "They agreed.", False),
    ("The President of Chile and the President of Argentina met in the capital", "1. Trade", False),   # a list item
    ("The President of Chile and the President of Argentina met in the capital", "Thursday, May 7, 2020", False),
])
def test_hard_wraps_are_joined_and_nothing_else(a, b, joined):
    lines = [line for line in logical_lines(f"{a}\n{b}\n", LAYOUT) if not line.blank]
    assert (len(lines) == 1) is joined


@pytest.mark.parametrize("text, sentences", [
    ("The ministers met in Lima.The talks lasted two hours.", ["The ministers met in Lima.", "The talks lasted two hours."]),
    ("Mr.Salas and the U.S. envoy met.", ["Mr.Salas and the U.S. envoy met."]),
    ("They visited www.example.org.It was closed.", ["They visited www.example.org.", "It was closed."]),
])
def test_a_lost_space_after_a_full_stop_still_ends_the_sentence(text, sentences):
    assert [text[s:e] for s, e in split_text(text, LAYOUT.abbreviations)] == sentences


def test_list_markers_are_not_part_of_the_sentence():
    page = ("Outcomes of the talks in Lima\n\n• The two ministers agreed to open a consulate in Cusco next spring.\n"
            "* Both sides welcomed the new direct flights between Lima and Quito.\n")
    assert sentences_of(page) == ["The two ministers agreed to open a consulate in Cusco next spring.",
                                  "Both sides welcomed the new direct flights between Lima and Quito."]


@pytest.mark.parametrize("sentence, anchor, value", [
    ("met in Oslo on Friday 9 October", PartialDate(2020, 10, 12), PartialDate(2020, 10, 9)),
    ("met in Oslo on Friday, 9 October 2020", None, PartialDate(2020, 10, 9)),
    ("met in Oslo on 9.10.2020", None, PartialDate(2020, 10, 9)),
    ("paid an official visit to Norway on 8 and 9 October 2020", None, PartialDate(2020, 10, None)),
    ("paid an official visit to Norway from 8-9 October", PartialDate(2020, 10, 12), PartialDate(2020, 10, None)),
    ("I met him in Bergen in January", PartialDate(2020, 10, 12), PartialDate(2020, 1, None)),
    ("I met him in Bergen in November", PartialDate(2020, 10, 12), None),     # last year's or next year's
    ("when he visited Bergen in April last year", PartialDate(2020, 10, 12), PartialDate(2019, 4, None)),
    ("they will meet again in November this year", PartialDate(2020, 10, 12), PartialDate(2020, 11, None)),
    ("since we met in Bergen last month", PartialDate(2020, 1, 12), PartialDate(2019, 12, None)),
    ("Last night, the Prime Minister called the President", PartialDate(2020, 3, 1), PartialDate(2020, 2, 29)),
    ("after his visit earlier in the year", PartialDate(2020, 10, 12), PartialDate(2020, None, None)),
])
def test_dates_resolve_against_the_page_date(sentence, anchor, value):
    (expr,) = find_dates(sentence)
    ctx = DateContext(anchor, None, anchor.year if anchor else None)
    assert resolve(expr, ctx).value() == value


def meetings_of(page: str) -> list[tuple[str | None, frozenset[str]]]:
    doc, _ = decode(Path("page.txt"), page.encode())
    out = []
    for article in split_articles(doc, PIPELINE.layout):
        for m in extract_report(article, PIPELINE.extractor).meetings:
            value = m.date.value()
            out.append((value.lexical()[0] if value else None, m.principals))
    return out


def test_a_dated_page_dates_the_meeting_it_tells_without_a_time():
    page = ("Newsroom\n\nPresident Xi Jinping meets Cuban President\n\n22 January 2024 - 14:56\n\n"
            "President Xi Jinping met with Cuban President Miguel Díaz-Canel Bermúdez, who arrived on a working visit.\n")
    assert [date for date, _ in meetings_of(page)] == ["2024-01-22"]


def test_an_undated_page_leaves_an_undated_meeting_undated():
    page = "President Xi Jinping met with Cuban President Miguel Díaz-Canel Bermúdez, who arrived on a working visit.\n"
    assert [date for date, _ in meetings_of(page)] == [None]


def test_a_transcript_turn_is_said_by_its_speaker_until_the_next_label():
    page = ("Remarks before their meeting\n\nMarch 3, 2021\n\n"
            "FOREIGN MINISTER SALAS: Good morning, everybody. Thank you for coming to Lima.\n\n"
            "We have a great deal to discuss with our friends from Ecuador this morning.\n\n"
            "Foreign Minister of Ecuador Ana Vera (interpreted): Thank you. I am glad to meet you again.\n")
    said = [(s.speaker, s.text) for a in articles_of(page) for s in split_sentences(a, LAYOUT.abbreviations)]
    assert [speaker for speaker, _ in said] == ["FOREIGN MINISTER SALAS"] * 3 + \
        ["Foreign Minister of Ecuador Ana Vera (interpreted)"] * 2
    assert said[-1][1] == "I am glad to meet you again."


def test_one_labelled_line_is_not_a_transcript():
    page = "Talks in Lima\n\nSubjects: trade, borders and the fisheries agreement signed by the two ministers last year.\n"
    assert {s.speaker for a in articles_of(page) for s in split_sentences(a, LAYOUT.abbreviations)} == {None}


def test_a_page_that_states_another_day_does_not_date_its_undated_meetings():
    page = ("Newsroom\n\nPresident Xi Jinping meets Cuban President\n\n23 January 2024 - 09:10\n\n"
            "On 22 January 2024, President Xi Jinping held talks with Cuban President Miguel Díaz-Canel Bermúdez.\n\n"
            "President Xi Jinping also met with Cuban Foreign Minister Bruno Rodríguez Parrilla, who arrived on a working visit.\n")
    assert [date for date, _ in meetings_of(page)] == ["2024-01-22", None]


def test_a_text_set_at_a_fixed_width_is_read_as_its_paragraphs():
    page = ("[Record of the Ministry, 2020]\n[May 4, 2020]\n"
            "Joint Statement by the Republic of Chile and the Argentine Republic\n\n"
            "    The two governments reaffirm their commitment to the conservation of\n"
            "the Southern Ocean and to the protection of its living resources in the\n"
            "Antarctic Peninsula Region, where both countries maintain research\n"
            "Stations. They will meet again in Santiago.\n"
            "    The two governments welcome the work of the Joint Commission and ask\n"
            "it to report on the fisheries of the region before the end of the year,\n"
            "with the help of the Scientific Committee of both Navies.\n")
    (article,) = articles_of(page)
    paragraphs: dict[int, list[str]] = {}
    for s in split_sentences(article, LAYOUT.abbreviations):
        paragraphs.setdefault(s.paragraph, []).append(s.text)
    assert [len(p) for p in paragraphs.values()] == [2, 1]
    assert paragraphs[0][0].endswith("where both countries maintain research Stations.")


@pytest.mark.parametrize("first_line, city, date", [
    ("ASTANA, May 20 (Newswire) — The foreign ministers of the two countries met in the capital on Monday.",
     "ASTANA", PartialDate(None, 5, 20)),
    ("LONDON, 20 May 2024 – The foreign ministers of the two countries met in the capital on Monday.",
     "LONDON", PartialDate(2024, 5, 20)),
    ("20 May 2024 – The foreign ministers of the two countries met in the capital on Monday afternoon.",
     None, PartialDate(2024, 5, 20)),
])
def test_a_dateline_month_first_or_day_first_dates_the_article(first_line, city, date):
    (article,) = articles_of(f"Ministers meet in the capital\n\n{first_line}\n")
    assert (article.city, article.date) == (city, date)


@pytest.mark.parametrize("original, text", [
    ("President Moon Jae\u2011in met", "President Moon Jae-in met"),          # a non-breaking hyphen
    ("the talks\u2028The ministers", "the talks\nThe ministers"),             # a Unicode line separator
    ("Prime\u200e Minister", "Prime Minister"),                                # a direction mark
])
def test_characters_written_for_others_are_read_as_them_and_quoted_as_written(original, text):
    doc, _ = decode(Path("page.txt"), original.encode())
    assert doc.text == text
    start, end = doc.original_span(0, len(doc.text))
    assert doc.original[start:end] == original


@pytest.mark.parametrize("sentence, value", [
    ("recibió en visita oficial al Presidente el 30 y 31 de enero de 2019", PartialDate(2019, 1, None)),
    ("se reunió con el canciller el 30 de enero de 2019", PartialDate(2019, 1, 30)),
    ("reuniu-se com o chanceler em 30 de janeiro de 2019", PartialDate(2019, 1, 30)),
    ("se reunió con el canciller el 3 de marzo", PartialDate(2019, 3, 3)),
])
def test_spanish_and_portuguese_dates(sentence, value):
    (expr,) = find_dates(sentence)
    assert resolve(expr, DateContext(None, None, 2019)).value() == value
