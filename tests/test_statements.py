"""Joint statements, their clauses and the documents signed, as real pages write them: one table
per decision (where a statement begins and whose it is, which paragraphs are its clauses, which
side speaks in a clause, what was signed and at which meeting). The texts are written for these
tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.articles import split_articles
from kg.build import load_pipeline
from kg.documents import decode
from kg.facts import ReportFacts, extract_report

PIPELINE = load_pipeline(None)


def facts_of(text: str) -> list[ReportFacts]:
    doc, _ = decode(Path("page.txt"), text.encode())
    return [extract_report(a, PIPELINE.extractor) for a in split_articles(doc, PIPELINE.layout)]


def statement_of(text: str):
    found = [st for r in facts_of(text) for st in r.statements]
    assert len(found) == 1, [st.title for st in found]
    return found[0]


BODY = ("\n\n1. The two sides reaffirmed their commitment to a rules-based international order and to the "
        "peaceful settlement of disputes in the region.\n")


@pytest.mark.parametrize("page, title, sides", [
    # "A-B Joint Communiqué", an en dash, a hyphen
    ("Canada–Mexico Joint Communiqué on North American Cooperation" + BODY,
     "Canada–Mexico Joint Communiqué on North American Cooperation", ("CA", "MX")),
    # an abbreviated country in a pair
    ("U.S.-EU Joint Statement on Energy Security" + BODY, "U.S.-EU Joint Statement on Energy Security", ("EU", "US")),
    # "Joint Declaration on a Topic: a Subtitle", the parties named after it
    ("Joint Declaration on Maritime Affairs: Toward Safer Sea Lanes between Japan and Brazil" + BODY,
     "Joint Declaration on Maritime Affairs: Toward Safer Sea Lanes between Japan and Brazil", ("BR", "JP")),
    # leaders in the title: their countries are the parties
    ("Joint Statement by Prime Minister Narendra Modi and President Emmanuel Macron" + BODY,
     "Joint Statement by Prime Minister Narendra Modi and President Emmanuel Macron", ("FR", "IN")),
    # a heading in the body below page furniture, a numbered count before the pair
    ("Home > Newsroom > Statements\n\nPress releases\n\n14th Germany-France Council Joint Press Statement" + BODY,
     "14th Germany-France Council Joint Press Statement", ("DE", "FR")),
    # "A-B Ministerial Dialogue 2023: joint statement"
    ("Kenya-Ghana Ministerial Dialogue 2023: joint statement" + BODY,
     "Kenya-Ghana Ministerial Dialogue 2023: joint statement", ("GH", "KE")),
    # an archive's date stamp and a breadcrumb on the heading's line are not the title
    ("Page archived\n\n date 2023-02-01 Newsroom > Statements > Kenya-Ghana Ministerial Dialogue 2023: joint "
     "statement" + BODY, "Kenya-Ghana Ministerial Dialogue 2023: joint statement", ("GH", "KE")),
    # a title that names no party: the first paragraph does
    ("Joint Press Statement\n\nPrime Minister Fumio Kishida and President Luiz Inácio Lula da Silva met in Tokyo "
     "for the annual summit between Japan and Brazil.\n" + BODY, "Joint Press Statement", ("BR", "JP")),
])
def test_statement_heading_and_parties(page, title, sides):
    st = statement_of(page)
    assert (st.title, st.sides) == (title, sides)


@pytest.mark.parametrize("page", [
    # a news report that mentions a statement is not one
    "Leaders meet in Ottawa\n\nThe two sides issued a Joint Statement on North American Cooperation after "
    "the talks in Ottawa on Tuesday, officials said.\n",
    # a listing page that names a statement and nothing below it
    "Latest news\n\nPress releases and speeches from the ministry\n\nCanada-Mexico Joint Communiqué\n",
    # a headline that tells of a statement
    "News releases\n\nPresident meets visiting Prime Minister, signs trade agreement and joint declaration\n\n"
    "The two leaders discussed trade, investment and the fight against climate change at length on Monday.\n",
])
def test_what_is_not_a_statement(page):
    assert not [st for r in facts_of(page) for st in r.statements]


SECTIONS = """Japan-Brazil Joint Statement on the Official Visit

Overview

1. Prime Minister Fumio Kishida and President Luiz Inácio Lula da Silva met in Tokyo for the annual summit.

2. The two leaders welcomed the growth of trade between the two countries.

Economic Cooperation

3. Both sides agreed to expand investment in clean energy.

Global Issues

1. The leaders condemned terrorism in all its forms.

2. The Japanese side welcomed Brazil's presidency of the G20.
"""


def test_numbered_clauses_under_section_headings_with_numbering_that_starts_again():
    st = statement_of(SECTIONS)
    assert [(c.number, c.part) for c in st.clauses] == [(1, 0), (2, 0), (3, 0), (1, 1), (2, 1)]
    assert [c.sides for c in st.clauses] == [("BR", "JP")] * 4 + [("JP",)]
    assert not any("Economic Cooperation" in c.text or c.text == "Overview" for c in st.clauses)


UNNUMBERED = """Joint statement by the Prime Ministers of Norway and Iceland

Oslo, 4 March 2024

We, the Prime Ministers of Norway and Iceland:

Reaffirm the close friendship between our nations and our shared commitment to the rule of law.

We welcome the deepening of cooperation on fisheries and on research in the Arctic.

Norway expresses its support for Iceland's candidacy to the Human Rights Council.

This was published under the previous government
"""


def test_unnumbered_paragraphs_are_clauses_but_not_the_preamble():
    st = statement_of(UNNUMBERED)
    assert st.sides == ("IS", "NO")
    assert [c.text.split()[0] for c in st.clauses] == ["Reaffirm", "We", "Norway"]
    assert [c.sides for c in st.clauses] == [("IS", "NO"), ("IS", "NO"), ("NO",)]
    assert all(c.number is None for c in st.clauses)


def test_a_paragraph_that_presents_the_statement_is_not_a_clause():
    st = statement_of("Joint Statement by the Presidents of Brazil and Argentina\n\n"
                      "The two presidents met in Montevideo and issued the following joint statement.\n\n"
                      "Both sides agreed to deepen regional integration.\n")
    assert [c.text for c in st.clauses] == ["Both sides agreed to deepen regional integration."]


@pytest.mark.parametrize("paragraph, sides", [
    ("The two Prime Ministers welcomed the progress of the high-speed rail project.", ("BR", "JP")),
    ("Both leaders confirmed that relations are in excellent condition.", ("BR", "JP")),
    ("The leaders shared the view that trade should grow.", ("BR", "JP")),
    ("Summit leaders underlined the importance of free trade.", ("BR", "JP")),
    ("The Ministers renewed their determination to strengthen security cooperation.", ("BR", "JP")),
    ("The Japanese side expressed its intention to extend a yen loan.", ("JP",)),
    ("The Brazilian side expressed its gratitude for the support.", ("BR",)),
    ("Japan appreciated Brazil's role in the region.", ("JP",)),
    ("Prime Minister Kishida welcomed the decision to open a consulate.", ("JP",)),
    ("The Government of Brazil announced a new scholarship programme.", ("BR",)),
    ("The Prime Minister of Japan expressed his gratitude for the hospitality.", ("JP",)),
    ("The Minister for Foreign Affairs of Brazil thanked the Japanese side.", ("BR",)),
    # a bulleted point
    ("• The two sides agreed to hold the next dialogue in Tokyo.", ("BR", "JP")),
    # an opening phrase before the speaker
    ("During their talks in Tokyo today, both sides agreed to resume the dialogue.", ("BR", "JP")),
    ("Regarding the economic area, in view of the potential of both economies, the Brazilian side proposed "
     "a business forum.", ("BR",)),
    # "We" after a speaker speaks for that speaker; opening a clause, for both
    ("The Japanese side congratulated Brazil on its elections. We firmly believe that democracy will prosper.",
     ("JP",)),
    ("We reaffirm our support for multilateralism.", ("BR", "JP")),
    # two sides given separately, in two sentences or in one
    ("The Japanese side welcomed the agreement. The Brazilian side thanked Japan for its assistance.",
     ("BR", "JP")),
    ("Prime Minister Kishida expressed his support for Brazil's presidency, and the Brazilian side appreciated "
     "Japan's participation in the conference.", ("BR", "JP")),
    # a third country in subject position is not a party: it gives no voice
    ("The EU enlargement changes the region. Brazil will support the accession process.", ("BR",)),
    # no voice at all: a joint text speaks for its parties
    ("Cooperation on education remains at the core of the partnership.", ("BR", "JP")),
])
def test_which_side_asserts_a_clause(paragraph, sides):
    st = statement_of(f"Japan-Brazil Joint Statement\n\n1. {paragraph}\n")
    assert [c.sides for c in st.clauses] == [sides]


def test_clause_topics_are_general_words():
    topics = PIPELINE.topics.of("The Ministers reaffirmed the rule of law, freedom of navigation and their "
                                "Strategic Partnership, and welcomed NATO's role in maritime security.")
    assert {"rule-of-law", "freedom-of-navigation", "strategic-partnership", "nato", "maritime-security",
            "security"} <= set(topics)


MEETING = "Prime Minister Fumio Kishida held talks with President Luiz Inácio Lula da Silva in Tokyo on May 3, 2023."


def agreements_of(text: str) -> tuple[list[str], list[tuple[str, tuple[str, ...]]]]:
    """(labels signed at a meeting, (label, sides) signed at none) of a page."""
    reports = facts_of(text)
    at_meetings = [label for r in reports for m in r.meetings for label, _ in m.agreements]
    alone = [(a.label, a.sides) for r in reports for a in r.agreements]
    return at_meetings, alone


@pytest.mark.parametrize("sentences, labels", [
    # one phrase naming two documents
    ("After the talks, the two ministers signed an agreement on visa exemption and a memorandum on energy "
     "cooperation.", ["Agreement on visa exemption", "Memorandum on energy cooperation"]),
    # in the presence of the leaders, passive
    ("In the presence of the two leaders, the Agreement on Air Services was signed.", ["Agreement on Air Services"]),
    # a signing ceremony for a named loan
    ("Additionally, a signing ceremony was held in the presence of the two leaders for the “Coastal Highway "
     "Project” loan agreement.", ["“Coastal Highway Project” loan agreement"]),
    # an exchange of notes
    ("Prior to the meeting, the two Ministers signed the Exchange of Notes concerning a grant for flood control.",
     ["Exchange of Notes concerning a grant for flood control"]),
    # the documents listed below a lead-in, one per bullet
    ("The following documents were signed:\n\n• Memorandum on fisheries cooperation.\n"
     "• Agreement on cultural exchanges, which renews the 1990 agreement.",
     ["Memorandum on fisheries cooperation", "Agreement on cultural exchanges"]),
    # what the sentence goes on to say is not the document's name
    ("The two governments signed a letter of intent on rice exports, and the visit ended with a dinner.",
     ["Letter of intent on rice exports"]),
    # a back-reference is the same document
    ("The two governments signed a Memorandum of Understanding on port development. Witnessed by both "
     "leaders, the MOU was signed by the two ministers.", ["Memorandum of Understanding on port development"]),
    # a joint declaration signed with a document is a statement, not an agreement
    ("The President signs a trade agreement and a joint declaration with his guest.", ["Trade agreement"]),
    # only hoped for, not signed
    ("The ministers hope to sign the agreement on fisheries next year.", []),
])
def test_documents_signed_at_a_meeting(sentences, labels):
    at_meetings, alone = agreements_of(f"Summit in Tokyo\n\n{MEETING}\n\n{sentences}\n")
    assert (at_meetings, alone) == (labels, [])


def test_a_headline_that_signs_belongs_to_the_meeting_told_below_it():
    at_meetings, _ = agreements_of("News releases\n\nPresident meets Prime Minister, signs air services "
                                   f"agreement and joint declaration\n\n{MEETING}\n")
    assert at_meetings == ["Air services agreement"]


def test_a_document_signed_at_no_meeting_is_the_reports_own_with_its_parties():
    _, alone = agreements_of("Trade mission\n\nLast month a trade mission from Japan visited Brazil, where the "
                             "two governments signed a memorandum on soybean exports.\n")
    assert alone == [("Memorandum on soybean exports", ("BR", "JP"))]


PRINTED = """Joint Statement by Canada and Mexico on Border Cooperation

    At our meeting in Ottawa last spring, Canada and
Mexico agreed to modernize the crossings along our trade
corridors and to share information on customs.
    Since then, we have opened two new crossings and
trained officers of both services.
"""


def test_a_printed_record_that_breaks_lines_inside_its_indented_paragraphs():
    st = statement_of(PRINTED)
    assert [c.text.split(",")[0] for c in st.clauses] == ["At our meeting in Ottawa last spring", "Since then"]
    assert st.clauses[0].text.endswith("to share information on customs.")
    assert [c.sides for c in st.clauses] == [("CA", "MX"), ("CA", "MX")]


@pytest.mark.parametrize("page, title", [
    # told after the meeting, named in capitals
    (f"Summit in Tokyo\n\n{MEETING} Following the summit meeting, the two leaders announced a “Joint "
     "Declaration on Strategic Partnership between Japan and Brazil.”\n",
     "Joint Declaration on Strategic Partnership between Japan and Brazil"),
    # a statement called by its own name
    (f"Summit in Tokyo\n\n{MEETING} The two leaders signed a Joint Statement entitled “Partners for the "
     "Next Century”.\n", "Partners for the Next Century"),
    # told in a headline, before the meeting: issued at it, with no title
    (f"News releases\n\nPrime Minister meets President, signs trade agreement and joint declaration\n\n{MEETING}\n",
     None),
])
def test_a_statement_issued_at_the_meeting(page, title):
    (meeting,) = [m for r in facts_of(page) for m in r.meetings]
    assert (meeting.statement, meeting.statement_title) == (True, title)


def test_a_paragraph_cut_short_by_the_page_is_still_a_clause():
    st = statement_of("Joint Statement by the Presidents of Brazil and Argentina\n\nBoth sides agreed to deepen "
                      "regional integration.\n\nWe affirm that Mercosur will remain the core of our trade. In this "
                      "new decade, Merc\n")
    assert [c.text.split()[0] for c in st.clauses] == ["Both", "We"]


def test_an_opening_that_narrates_the_meeting_is_the_preamble():
    st = statement_of("Joint communiqué on the third Kenya-Ghana Strategic Dialogue\n\n"
                      "Minister Alfred Mutua and Minister Shirley Ayorkor Botchwey co-chaired the third Kenya-Ghana "
                      "Strategic Dialogue in Accra.\n\nBoth sides agreed to expand trade in tea and cocoa.\n\n"
                      "Kenya thanked Ghana for its hospitality.\n")
    assert [c.sides for c in st.clauses] == [("GH", "KE"), ("KE",)]


def test_a_statement_page_whose_text_is_elsewhere_is_a_statement_without_clauses():
    st = statement_of("Kenya-Ghana Ministerial Dialogue 2023: joint statement\n\n"
                      "Minister Alfred Mutua hosted Minister Shirley Ayorkor Botchwey for the Kenya-Ghana Ministerial "
                      "Dialogue in Nairobi.\n")
    assert (st.sides, st.clauses) == (("GH", "KE"), [])


def test_an_unnumbered_paragraph_where_one_side_speaks_then_the_other_is_two_points():
    st = statement_of("Joint Statement by the Presidents of Brazil and Argentina\n\nBoth sides agreed to deepen "
                      "regional integration.\n\nArgentina reaffirmed its support for Brazil's candidacy. Brazil "
                      "thanked Argentina for its support on the Amazon fund.\n")
    assert [c.sides for c in st.clauses] == [("AR", "BR"), ("AR",), ("BR",)]


def test_a_paragraph_about_the_statement_is_not_one_of_its_points():
    st = statement_of("Joint Statement by the Presidents of Brazil and Argentina\n\nRunning to ten pages, the "
                      "statement reflects the depth of the partnership.\n\nBoth sides agreed to deepen regional "
                      "integration.\n")
    assert [c.text.split()[0] for c in st.clauses] == ["Both"]


def test_a_document_told_before_a_meeting_of_other_people_is_not_signed_at_it():
    at_meetings, alone = agreements_of("Visit news\n\nEarlier, Prime Minister Narendra Modi and President "
                                       f"Emmanuel Macron signed an agreement on space cooperation.\n\n{MEETING}\n")
    assert at_meetings == [] and [label for label, _ in alone] == ["Agreement on space cooperation"]


def test_sentences_read_as_one_keep_every_mention_apart():
    from kg.facts import _joined
    from kg.mentions import ReportContext
    from kg.sentences import split_sentences

    doc, _ = decode(Path("page.txt"), "Japan and Brazil signed with\nMexico and Canada the pact.\n".encode())
    (article,) = split_articles(doc, PIPELINE.layout)
    pieces = [PIPELINE.finder.find(s, ReportContext()) for s in split_sentences(article, PIPELINE.extractor.abbreviations)]
    whole = _joined(pieces)
    assert whole.masked == "⟨C0⟩ and ⟨C1⟩ signed with ⟨C2⟩ and ⟨C3⟩ the pact."
    assert [whole.tokens[f"⟨C{k}⟩"].key for k in range(4)] == ["JP", "BR", "MX", "CA"]
    assert whole.sentence.text == "Japan and Brazil signed with Mexico and Canada the pact."


def test_a_line_that_presents_the_statement_below_it_is_its_heading():
    st = statement_of("SEOUL, May 2 -- President Ana Ruiz of Chile and President Jin-ho Park of South Korea met "
                      "in Seoul on Tuesday.\n\nHere is the full text of their joint statement:\n\n"
                      "1. Chile and South Korea will deepen their trade in critical minerals.\n\n"
                      "2. South Korea will open a consulate in Valparaiso.\n")
    assert st.title == "Joint statement"
    assert [(c.number, c.sides) for c in st.clauses] == [(1, ("CL", "KR")), (2, ("KR",))]
