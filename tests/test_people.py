"""People recognised from the shape of a name and the cues around it, not from a list: each table
row is one extraction decision, with a sentence written for it. Names are invented; none of these
people is in the person gazetteer."""
from pathlib import Path

import pytest

from kg.articles import build_layout, split_articles
from kg.documents import decode
from kg.gazetteer import build_gazetteer
from kg.mappings import load_mappings
from kg.mentions import MentionedSentence, MentionFinder, ReportContext
from kg.sentences import split_sentences

MAPPINGS = load_mappings()
GAZ = build_gazetteer(MAPPINGS)
LAYOUT = build_layout(MAPPINGS, GAZ)
FINDER = MentionFinder(GAZ)


def read(text: str) -> list[MentionedSentence]:
    """Every sentence of a one-article document as the build reads it: a first reading that learns
    the report's people, then the reading that masks."""
    doc, _ = decode(Path("people.txt"), text.encode())
    out = []
    for article in split_articles(doc, LAYOUT):
        sentences = split_sentences(article, LAYOUT.abbreviations)
        first = ReportContext()
        for s in sentences:
            FINDER.find(s, first, masking=False)
        ctx = ReportContext(known=first.persons, sides=set(first.sides))
        out += [FINDER.find(s, ctx) for s in sentences]
    return out


def people(text: str) -> list[tuple[str | None, str | None]]:
    """(name, side) of every person token, in reading order; the name is the one the report gives
    the person (a surname alone reads as the full name given elsewhere)."""
    found = []
    for ms in read(text):
        for m in ms.of_kind("person"):
            found.append((m.name or m.text, m.country))
    return found


def masked(text: str) -> list[str]:
    return [ms.masked for ms in read(text)]


# ---------------------------------------------------------------- a name after a title or an honorific
@pytest.mark.parametrize("text, expected", [
    # one surname after a title, the side after it
    ("President Halvorsen of Norway called Prime Minister Tamura.", [("Halvorsen", "NO"), ("Tamura", None)]),
    ("Premier Okoye received the delegation.", [("Okoye", None)]),
    # honorifics, with and without a full stop, and with a hyphenated particle
    ("Dr. Samir al-Haddad met Mr Brandt.", [("Samir al-Haddad", None), ("Brandt", None)]),
    ("H.E. Amb. Lucia Ferreira Campos arrived.", [("Lucia Ferreira Campos", None)]),
    ("The visitor called on the Rt Hon Peter Langley MP at noon.", [("Peter Langley", None)]),
    ("Shri Arvind Rao and Smt. Kavita Menon attended.", [("Arvind Rao", None), ("Kavita Menon", None)]),
    # initials and generational suffixes
    ("Secretary of Defense Daniel K. Morrow III met the minister.", [("Daniel K. Morrow III", "US")]),
    # a title in lower case before a full name, with the side that opens it; one word after it is no name
    ("Minister Ravi Desai also met Singapore's finance minister Tan Wei Ming and health minister Lim Kok Hua.",
     [("Ravi Desai", None), ("Tan Wei Ming", "SG"), ("Lim Kok Hua", None)]),
    ("The finance minister Tan said so on Monday.", []),
    # a title's complement of regions and common words is no part of the name after it
    ("Minister for the Middle East Alistair Burt met Minister for Asia and the Pacific Mark Field.",
     [("Alistair Burt", None), ("Mark Field", None)]),
    ("French Minister of the Armed Forces Claire Duval arrived.", [("Claire Duval", "FR")]),
    ("Ambassador R.K. Bhatia presented his credentials.", [("R.K. Bhatia", None)]),
    # the family name first, in capitals
    ("Mr. OKADA Hiroshi, Minister for Foreign Affairs of Japan, held talks.", [("OKADA Hiroshi", "JP")]),
    # a side before the title: a demonym, a country, a possessive
    ("Samoan Prime Minister Tavita Lauina spoke.", [("Tavita Lauina", "WS")]),
    ("Saudi Arabian Crown Prince Faisal bin Nasser telephoned.", [("Faisal bin Nasser", "SA")]),
    ("Ghana’s President Kofi Asante met Kenyan President Daniel Mwangi.", [("Kofi Asante", "GH"), ("Daniel Mwangi", "KE")]),
    # a long title with its complement before the name, and its side inside the complement
    ("The President met Prime Minister of the Democratic Socialist Republic of Sri Lanka Nimal Perera.",
     [("Nimal Perera", "LK")]),
    ("Deputy Minister of Foreign Affairs of the Republic of Korea Park Min-ho arrived.", [("Park Min-ho", "KR")]),
    # the shortest title leaves a word of itself for a name: the title runs on to the full name
    ("He met Venezuelan Minister of the People's Power for Energy Luis Ortega.", [("Luis Ortega", "VE")]),
    ("Deputy Chief of Staff of the Presidential Executive Office Ivan Lebedev attended.", [("Ivan Lebedev", None)]),
    ("He met with visiting Chairman of the U.S. Joint Chiefs of Staff Thomas Reyes on Thursday.", [("Thomas Reyes", "US")]),
    # a title in the plural before two full names
    ("Presidents Daniel Mwangi and Moses Okello of Uganda led their delegations.",
     [("Daniel Mwangi", None), ("Moses Okello", "UG")]),
    ("Foreign Ministers Anna Holm and Reza Karimi met in Oslo.", [("Anna Holm", None), ("Reza Karimi", None)]),
])
def test_a_name_after_a_title_or_honorific(text, expected):
    assert [p for p in people(text) if p[0] not in ("The President",)] == expected


# ---------------------------------------------------------------- appositives
@pytest.mark.parametrize("text, expected", [
    ("Mr. Elias Varga, Prime Minister of Hungary, met the press.", [("Elias Varga", "HU")]),
    ("The President of Nigeria, Musa Bello, called.", [("Musa Bello", "NG")]),
    ("Minister Anna Holm met her Iranian counterpart, Deputy Foreign Minister Reza Karimi, in Oslo.",
     [("Anna Holm", None), ("Reza Karimi", "IR")]),
    ("Ivo Marek, the Special Representative of the Czech Republic, spoke.", [("Ivo Marek", "CZ")]),
    # a first name that is also a city's
    ("Minister Ana Ruiz met her Chilean counterpart Santiago Vidal.", [("Ana Ruiz", None), ("Santiago Vidal", "CL")]),
    # an envoy's title names the country he is sent to, never his own
    ("The new UK High Commissioner to Nigeria, Tom Ashworth, arrived.", [("Tom Ashworth", None)]),
    ("High Commissioner to Nigeria Tom Ashworth arrived.", [("Tom Ashworth", None)]),
    ("The US envoy for Iran Tom Ashworth arrived.", [("Tom Ashworth", "US")]),
    # international organisations are sides of their own
    ("NATO Secretary General Lars Dahl spoke.", [("Lars Dahl", "NAT")]),
    ("The Secretary-General of the United Nations, Ana Ruiz, called.", [("Ana Ruiz", "UN")]),
    # the side the page gives wins over the gazetteer's, which is the person's latest office
    ("Portuguese Prime Minister António Costa met the press.", [("António Costa", "PT")]),
    ("European Council President António Costa met the press.", [("António Costa", "EU")]),
])
def test_appositives_give_title_and_side(text, expected):
    assert people(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a phrase the sentence opens with ends at the comma: its title is no title of the subject after it
    ("With the Maldivian president, Meloni discussed climate finance.",
     [("the Maldivian president", "MV", ()), ("Meloni", "IT", ())]),
    # a title naming another country than the person's is no appositive of that person
    ("Before the Kenyan President, Giorgia Meloni spoke.",
     [("the Kenyan President", "KE", ()), ("Giorgia Meloni", "IT", ())]),
    # a name with its title before it takes no title after a comma that no comma closes: that is the subject
    ("At his reception for Czech Ambassador Jan Novak, the Prime Minister asked for more trade.",
     [("Jan Novak", "CZ", ("Czech Ambassador",)), ("the Prime Minister", None, ("Prime Minister",))]),
    # a title in lower case is read whole before the comma ("prime minister", not "minister")
    ("The Italian prime minister, Giorgia Meloni, arrived.", [("Giorgia Meloni", "IT", ("prime minister",))]),
])
def test_a_title_before_a_comma_and_a_name(text, expected):
    assert [(m.name or m.text, m.country, m.titles) for ms in read(text) for m in ms.of_kind("person")] == expected


def test_a_possessive_before_a_reverse_appositive_belongs_to_the_person():
    out = read("Minister Sara Holt met with her Peruvian counterpart, Diego Salas, in Lima.")
    assert out[0].masked == "⟨P0⟩ met with ⟨P1⟩ in ⟨L0⟩."
    assert out[0].of_kind("person")[1].titles == ("Peruvian counterpart",)


def test_an_honorific_after_a_title_is_no_part_of_the_title():
    (ms,) = read("Foreign Minister Dr. Amal Nasser arrived.")
    assert ms.of_kind("person")[0].titles == ("Foreign Minister",)


def test_a_list_of_people_with_appositives_reads_as_a_list():
    assert masked("Mr. Aki Sato, Prime Minister of Japan, Mr. Jan de Vries, President of the European Council, "
                  "and Ms. Lena Berg, President of the European Commission, met in Tokyo.")[0] \
        .startswith("⟨P0⟩, ⟨P1⟩ and ⟨P2⟩ met in")


def test_the_article_before_a_title_is_part_of_the_person():
    assert masked("Minister Lind held a telephone conversation with the Russian Foreign Minister Oleg Petrov.")[0] \
        == "⟨P0⟩ held a telephone conversation with ⟨P1⟩."


# ---------------------------------------------------------------- what is not a person
@pytest.mark.parametrize("text", [
    "The Head Office issued a statement.",
    "Madam Speaker thanked the Member States.",
    "The Foreign Ministry said that the Office of the Press Secretary would reply.",
    "Prime Minister of the United Kingdom of Great Britain and Northern Ireland is the full title.",
    "The White House announced a visit in March.",
    "Back to Top",
    "From Lisbon, the delegation traveled on.",
])
def test_capitalised_words_that_are_no_person(text):
    assert people(text) == []


def test_a_headline_verb_ends_a_name():
    assert people("Ambassador Tomas Reyes Visits Herat") == [("Tomas Reyes", None)]


# ---------------------------------------------------------------- later mentions in the article
def test_a_surname_after_a_title_is_the_person_named_in_full_elsewhere():
    out = read("President Halvorsen thanked the hosts. President Erik Halvorsen of Norway then left.")
    keys = [m.key for ms in out for m in ms.of_kind("person")]
    assert keys == ["erik-halvorsen", "erik-halvorsen"]


def test_he_is_the_subject_after_the_phrase_a_sentence_opens_with():
    out = read("In the meeting with President Ali Osman of Turkey on Monday, on the margins of the summit, Mr. Ravi "
               "Desai sought support. He discussed trade with the Prime Minister of Spain, Pedro Ruiz.")
    assert [m.key for m in out[1].of_kind("person")] == ["ravi-desai", "pedro-ruiz"]


def test_a_word_with_accents_is_a_name_though_it_folds_into_one_that_is_not():
    # "Tô" folds to "To", which never opens a name
    out = read("Party General Secretary Tô Lâm gave a reception for Prime Minister Ivan Sokolov of Russia.")
    assert [(m.key, m.name) for ms in out for m in ms.of_kind("person")] == \
        [("to-lam", "Tô Lâm"), ("ivan-sokolov", "Ivan Sokolov")]


def test_an_initial_and_a_surname_are_the_person_the_report_names_in_full():
    out = read("Prime Minister Evika Ozola arrived in Tallinn. Prime Minister E. Ozola met the press.")
    assert [m.key for ms in out for m in ms.of_kind("person")] == ["evika-ozola", "evika-ozola"]


def test_a_surname_written_before_the_report_names_the_person_in_full():
    out = read("Kazemi met and held talks with President Ali Osman in Baghdad. Foreign Minister Reza Kazemi of Iran "
               "then left.")
    assert [m.key for ms in out for m in ms.of_kind("person")][0] == "reza-kazemi"


def test_a_middle_initial_is_the_gazetteer_person_without_it():
    out = read("President Dmitry A. Medvedev met the press.")
    assert [m.key for ms in out for m in ms.of_kind("person")] == ["dmitry-medvedev"]


def test_the_last_name_of_a_chain_of_fathers_names_is_no_surname():
    # the gazetteer's Faisal bin Farhan bin Abdullah is not "King Abdullah"
    out = read("His Majesty King Abdullah received the Saudi minister.")
    assert [m.key for ms in out for m in ms.of_kind("person")] == ["abdullah"]


@pytest.mark.parametrize("text, title_means", [
    # the one holder of the title
    ("Prime Minister Kenji Mori met President Ana Silva. The Prime Minister thanked her.", "Kenji Mori"),
    # the holder of a title whose longer form the report gave
    ("Deputy Secretary of State Ruth Klein met officials. The Deputy Secretary then left.", "Ruth Klein"),
    # not the holder of another title that ends with it
    ("Vice President Omar Haddad met President Lea Novak. The President spoke first.", "Lea Novak"),
    # in lower case, a holder the report names
    ("President Lin met President Ortiz. The president noted the ties with President Ortiz.", "Lin"),
    # the side narrows the holders
    ("President Aron Weiss met President Ilya Sokolov of Russia. The President of Russia spoke.", "Ilya Sokolov"),
    # of two holders, the person the report opens with
    ("King Hamid Rashid received Minister Ali Osman, who brought a letter from King Salim Nasser. Also, the King "
     "received Minister Omar Haddad.", "Hamid Rashid"),
    # a spokesperson of the Secretary holds no title of his
    ("Secretary of Defense Spokesperson Cmdr. Tom Reyes provided the readout: Secretary of Defense Mark Hale met with "
     "Prime Minister Kenji Mori. The Secretary thanked him.", "Mark Hale"),
])
def test_a_bare_title_resolves_to_its_holder(text, title_means):
    last = read(text)[-1]
    bare = [m for m in last.of_kind("person") if m.how == "title-only"]
    assert len(bare) == 1
    assert bare[0].key in {p.key for ms in read(text) for p in ms.of_kind("person") if p.name == title_means}


def test_a_bare_title_no_one_holds_is_one_person_of_its_own():
    out = read("The Prime Minister met with Aki Sato, the Prime Minister of Japan, at the summit. "
               "The Prime Minister thanked Prime Minister Sato.")
    first, second = ([m for m in ms.of_kind("person")] for ms in out)
    assert [m.how for m in first] == ["title-only", "gazetteer" if first[1].key in GAZ.persons else "title"]
    assert first[0].key != first[1].key and first[0].key == second[0].key
    assert out[0].masked.startswith("⟨P0⟩ met with ⟨P1⟩")


def test_a_descriptor_with_no_holder_of_that_side():
    out = read("Prime Minister Fiaui spoke. I later met the Tongan Prime Minister.")
    assert [m.how for m in out[1].of_kind("person")] == ["descriptor"]
    assert out[1].of_kind("person")[0].country == "TO"


@pytest.mark.parametrize("text, expected", [
    # a descriptor before a word in lower case ("the Sri Lankan President on his arrival")
    ("President Ruwan Perera of Sri Lanka arrived in Dhaka. Prime Minister Nadia Rahman received the Sri Lankan "
     "President on his arrival.", ["ruwan-perera"]),
    # a descriptor for a person the report names only later
    ("The Chilean president thanked the hosts. President Ana Ruiz of Chile then left.", ["ana-ruiz"]),
])
def test_a_descriptor_is_the_reports_one_person_of_that_side(text, expected):
    out = read(text)
    assert [m.key for ms in out for m in ms.of_kind("person") if m.how == "descriptor"] == expected


def test_his_counterpart_of_a_side_the_report_names_no_one_of_is_no_person():
    out = read("The Chinese president spoke to his Cuban counterpart of support. President Wei Lin of China left.")
    assert [m.key for m in out[0].of_kind("person")] == ["wei-lin"]


# ---------------------------------------------------------------- transcripts: speakers and "I"
TRANSCRIPT = """Press conference

MARTA KOWALSKA, PRIME MINISTER OF POLAND: Good morning. I met Chancellor Weber this morning.

QUESTION: I would like to ask about trade.

PRIME MINISTER KOWALSKA: I've also just had a meeting with the Chancellor.

CHANCELLOR WEBER: I thank the Prime Minister.
"""


def test_speaker_labels_and_the_first_person():
    out = read(TRANSCRIPT)
    rows = [(ms.masked, [(m.name, m.how) for m in ms.of_kind("person")]) for ms in out if ms.of_kind("person")]
    assert rows[0] == ("⟨P0⟩: Good morning.", [("Marta Kowalska", "speaker")])
    assert rows[1][0] == "⟨P0⟩ met ⟨P1⟩."      # "this morning" is a date, taken out
    keys = [[m.key for m in ms.of_kind("person")] for ms in out if ms.of_kind("person")]
    assert keys[1] == ["marta-kowalska", "weber"]
    # "I" of the questioner is nobody; the next label opens Kowalska's turn again
    assert not any("would like" in ms.masked and ms.of_kind("person") for ms in out)
    assert keys[2] == ["marta-kowalska", "marta-kowalska", "weber"]
    assert out[-1].masked == "⟨P0⟩: ⟨P1⟩ thank ⟨P2⟩." and keys[-1] == ["weber", "weber", "marta-kowalska"]


def test_the_have_of_i_ve_belongs_to_the_speaker():
    out = read(TRANSCRIPT)
    assert any(ms.masked == "⟨P0⟩: ⟨P1⟩ had a meeting with ⟨P2⟩." for ms in out)


def test_a_label_that_names_no_one_is_no_person():
    assert people("Subjects: trade, security.\n\nQUESTION: I wonder what was agreed?\n") == []


# ---------------------------------------------------------------- the publisher's side
def test_the_page_principal_speaks_for_the_publishing_government():
    page = ("The White House\n\nOffice of the Press Secretary\n\nReadout of a call\n\n"
            "President Hartley spoke today with Prime Minister Okafor of Nigeria.\n")
    assert people(page) == [("Hartley", "US"), ("Okafor", "NG")]


def test_a_side_the_page_never_gives_stays_unknown():
    assert people("President Hartley spoke today with Prime Minister Okafor.\n") == [("Hartley", None), ("Okafor", None)]


def test_a_speaker_of_a_national_parliament_speaks_for_its_country():
    assert people("President Ivanov met with Speaker of the Federation Council Pavel Orlov.")[-1] == ("Pavel Orlov", "RU")


def test_a_bare_title_named_later_in_the_report_is_that_person():
    out = read("The Prime Minister met President Hale today. Prime Minister Oskar Lund and the President discussed trade.")
    assert [m.key for m in out[0].of_kind("person")] == ["oskar-lund", "hale"]


def test_the_label_of_a_person_known_only_by_a_title_is_no_surname():
    out = read("The Prime Minister met the President of China. China and Japan agreed.")
    assert out[0].of_kind("person")[1].how == "title-only"
    assert [m.kind for m in out[1].mentions] == ["country", "country"]


def test_titles_joined_by_and_before_of_are_no_bare_title():
    out = read("The First Secretary and President of the Party spoke.")
    assert out[0].of_kind("person") == []


@pytest.mark.parametrize("text", [
    "Transcript\n\nWashington DC: The talks began.\n",
    "Transcript\n\nMedia Note: I think so.\n",
    "Transcript\n\nJoint Statement: We agree.\n",
])
def test_a_label_that_is_no_speaker(text):
    assert people(text) == []


def test_a_speaker_named_only_in_capitals():
    assert people("Transcript\n\nHELGA BRANDT: I agree.\n") == [("Helga Brandt", None), ("I", None)]


def test_i_of_a_quotation_is_the_person_it_is_attributed_to():
    out = read("Prime Minister Erik Lund met Prime Minister Oleg Petrov of Russia on Friday.\n\n"
               "“I met my colleague in Moscow in January. It went well,” said Prime Minister Lund.\n\n"
               "The talks ended. I think not.\n")
    assert [m.key for m in out[1].of_kind("person")] == ["erik-lund"]
    assert out[-1].of_kind("person") == []      # no quotation, no transcript: "I" is nobody
