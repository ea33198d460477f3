"""Meeting forms: each construction of mappings/rules/meetings.yaml, and each thing that is not a
meeting, decided on a sentence written for the test (one table row per decision)."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.articles import split_articles
from kg.build import load_pipeline
from kg.dates import PartialDate
from kg.documents import decode
from kg.errors import RuleError
from kg.facts import extract_report
from kg.mappings import load_mappings
from kg.rules import compile_pattern, expand_lexicons, load_lexicon

PIPELINE = load_pipeline(None)
BIDEN, KISHIDA, MODI, YOON = "joe-biden", "fumio-kishida", "narendra-modi", "yoon-suk-yeol"


def report(text: str):
    """Every article of one report written as a text file, read by the whole extraction."""
    doc, _ = decode(Path("report.txt"), text.encode())
    return [extract_report(article, PIPELINE.extractor) for article in split_articles(doc, PIPELINE.layout)]


def meetings(text: str) -> list[tuple[frozenset[str], str, str | None]]:
    return [(m.principals, m.evidence.rule, m.mode) for facts in report(text) for m in facts.meetings]


def problems(text: str) -> set[str]:
    return {p.code for facts in report(text) for p in facts.problems}


FORMS = [
    # a date set off by commas leaves no commas behind ("held talks today, Wednesday, with")
    ("The Emir of Qatar, Sheikh Faisal bin Nasser, held talks today, Wednesday, with King Hamid Al Rashid of Jordan.",
     {"faisal-bin-nasser", "hamid-al-rashid"}, "meeting.held-talks", "InPerson"),
    ("Sultan Faisal bin Nasser was the recipient of a telephone call from Ana Ruiz, the President of Chile.",
     {"faisal-bin-nasser", "ana-ruiz"}, "meeting.call-from", "Phone"),
    ("President Ana Ruiz of Chile and Sheikh Faisal bin Nasser, the Emir of Qatar, reviewed efforts to bolster "
     "bilateral ties during a phone call on Friday.", {"ana-ruiz", "faisal-bin-nasser"},
     "meeting.agreed-during-their-talks", "Phone"),
    # a long title after the name, with an office of its own in it ("Deputy Supreme Commander of ...")
    ("Sheikh Faisal bin Nasser, Crown Prince of Qatar and Deputy Supreme Commander of the Armed Forces, received a "
     "telephone call from King Hamid Al Rashid of Jordan.", {"faisal-bin-nasser", "hamid-al-rashid"},
     "meeting.call-from", "Phone"),
    # doubt or delay told before the meeting's words is about something else
    ("After the summit was postponed, President Ana Ruiz of Chile met President Wei Lin of China in Lima.",
     {"ana-ruiz", "wei-lin"}, "meeting.met-with", "InPerson"),
    # Spanish-language pages
    ("El Presidente de Chile, Mateo Rojas, recibió en visita oficial al Presidente del Gobierno de Portugal, Rui "
     "Almeida Costa.", {"mateo-rojas", "rui-almeida-costa"}, "meeting.es-recibio", "InPerson"),
    ("La Canciller del Perú, Lucía Herrera, se reunió con su homólogo de Portugal, Tiago Nunes Ferreira.",
     {"lucia-herrera", "tiago-nunes-ferreira"}, "meeting.es-se-reunio", "InPerson"),
    ("El Presidente Mateo Rojas sostuvo una conversación telefónica con el Primer Ministro Rui Almeida Costa.",
     {"mateo-rojas", "rui-almeida-costa"}, "meeting.es-se-reunio", "Phone"),
    ("The pacts were signed after Presidents Daniel Mwangi of Kenya and Moses Okello of Uganda led their delegations in "
     "bilateral talks at State House.", {"daniel-mwangi", "moses-okello"}, "meeting.held-together", "InPerson"),
    # what two principals did, then the talks it was done in; a pull-aside
    ("President Claire Duval of France and Prime Minister Ravi Desai of India agreed during their talks in Paris to "
     "strengthen the partnership.", {"claire-duval", "ravi-desai"}, "meeting.agreed-during-their-talks", "InPerson"),
    ("Prime Minister Ravi Desai of India had a pull-aside with President Claire Duval of France on the margins of the "
     "summit.", {"claire-duval", "ravi-desai"}, "meeting.held-talks", "InPerson"),
    # "led their respective delegations in bilateral talks", a place between the pair and the verb
    ("Kenyan President, Daniel Mwangi and his visiting Rwandan counterpart, President Paul Kagame on Monday at the "
     "State House, Nairobi led respective delegations in bilateral talks.", {"daniel-mwangi", "paul-kagame"},
     "meeting.held-together", "InPerson"),
    # "met and held talks with"
    ("Earlier, President Daniel Mwangi of Kenya met and held talks with his Ugandan counterpart Moses Okello on "
     "regional security.", {"daniel-mwangi", "moses-okello"}, "meeting.met-and-discussed-with", "InPerson"),
    # a host and the First Lady receive the guest: she is no principal; "have received"
    ("Earlier, President Daniel Mwangi of Kenya and the First Lady Grace Mwangi have received visiting President of "
     "Rwanda, His Excellency Paul Kagame at State House.", {"daniel-mwangi", "paul-kagame"}, "meeting.received",
     "InPerson"),
    # the honorific "H.E" without its last full stop is no part of the name
    ("President Daniel Mwangi of Kenya received H.E Janos Kovacs, President of the Republic of Hungary, at State "
     "House.", {"daniel-mwangi", "janos-kovacs"}, "meeting.received", "InPerson"),
    # the letters of a title between it and the name; "met and discussed ... with"
    ("National Security Adviser (NSA) Tom Hale met and discussed issues of national interest and bilateral "
     "cooperation with President Paul Kagame of Rwanda.", {"tom-hale", "paul-kagame"},
     "meeting.met-and-discussed-with", "InPerson"),
    ("President Paul Kagame of Rwanda also met External Affairs Minister (EAM) Anil Kapoor of India.",
     {"paul-kagame", "anil-kapoor"}, "meeting.met-with", "InPerson"),
    # a relative clause with no comma after the subject
    ("President Paul Kagame who is on an official visit in India has held bi-lateral discussions with Prime "
     "Minister Ravi Desai.", {"paul-kagame", "ravi-desai"}, "meeting.held-talks", "InPerson"),
    # a host with a spouse, named or not, receives the guest: the spouse is no principal
    ("Earlier, President Paul Kagame along with his wife Jeannette Kagame received President Cyril Ramaphosa at the "
     "airport.", {"paul-kagame", "cyril-ramaphosa"}, "meeting.received", "InPerson"),
    # "Welcoming X, Y said": the host welcomes the guest
    ("Welcoming Mr. Ravi Desai, Prime Minister of India, President Paul Kagame said the partnership had grown.",
     {"paul-kagame", "ravi-desai"}, "meeting.welcoming-said", "InPerson"),
    # a welcoming ceremony a host holds for a guest; "sat down for talks"; "exchanged important views"
    ("President Claire Duval hosted a welcoming ceremony for Prime Minister Ravi Desai of India in Paris on Monday.",
     {"claire-duval", "ravi-desai"}, "meeting.hosted-meal", "InPerson"),
    ("President Claire Duval of France and Prime Minister Ravi Desai of India sat down on Thursday morning for formal "
     "talks.", {"claire-duval", "ravi-desai"}, "meeting.held-together", "InPerson"),
    ("President Claire Duval of France and Prime Minister Ravi Desai of India have exchanged important views on many "
     "matters on the sidelines of the summit.", {"claire-duval", "ravi-desai"}, "meeting.exchanged-views-together",
     "InPerson"),
    # the call named before what was said in it; the pair after a country and a comma is no list
    ("The heads of the foreign ministries of France and India, Foreign Minister Paul Mercier and Foreign Minister Anil "
     "Kapoor, during a telephone conversation, discussed the preparations for the summit.",
     {"paul-mercier", "anil-kapoor"}, "meeting.discussed-in-a-call", "Phone"),
    # a surname written alone with the particle its full name puts before it ("bin Nasser")
    ("Emir of Qatar Sheikh Faisal bin Nasser arrived in New Delhi on Monday. During Prime Minister Ravi Desai's "
     "meeting with bin Nasser, both leaders reviewed the full range of ties.", {"ravi-desai", "faisal-bin-nasser"},
     "meeting.possessive", "InPerson"),
    # a verb phrase, then "and met": the subject of both met the person
    ("On the sidelines of the summit, Prime Minister Ravi Desai of India held bilaterals with Chile and Peru and met "
     "with the King of Jordan Hamid Al Rashid but could not hold any structured meeting with President Claire Duval of "
     "France.", {"ravi-desai", "hamid-al-rashid"}, "meeting.met-with", "InPerson"),
    # "in the meeting with X, Y did ...", a frame before the subject, also inside the sentence
    ("In the meeting with President Claire Duval of France, on the margins of the summit, Prime Minister Ravi Desai "
     "of India sought her support for the candidature.", {"ravi-desai", "claire-duval"}, "meeting.in-a-meeting-said",
     "InPerson"),
    ("Besides, in the bilateral meeting with his counterpart Tan Wei Ming of Singapore, Prime Minister Ravi Desai of "
     "India also discussed the trade agreement.", {"ravi-desai", "tan-wei-ming"}, "meeting.in-a-meeting-said",
     "InPerson"),
    # an envoy coming or going
    ("President Karim Mansour of Egypt received a courtesy call from the outgoing Ambassador of Japan, Kenji Tanaka.",
     {"karim-mansour", "kenji-tanaka"}, "meeting.courtesy-received", "InPerson"),
    # a meal given for a guest; "sat down with"; not a meal given by a leader and a spouse
    ("Chilean President Ana Ruiz hosted a working lunch for Chinese President Wei Lin.",
     {"ana-ruiz", "wei-lin"}, "meeting.hosted-meal", "InPerson"),
    ("Chilean President Ana Ruiz gave a state banquet at La Moneda in honour of Chinese President Wei Lin.",
     {"ana-ruiz", "wei-lin"}, "meeting.hosted-meal", "InPerson"),
    ("Chilean President Ana Ruiz sat down with Chinese President Wei Lin on Monday.",
     {"ana-ruiz", "wei-lin"}, "meeting.met-with", "InPerson"),
    # a word for a leader that is no title
    ("Chilean President Ana Ruiz and Peruvian leader Jorge Salas met in Lima for a summit.",
     {"ana-ruiz", "jorge-salas"}, "meeting.met-each-other", "InPerson"),
    # a monarch gives an audience
    ("His Majesty Sultan Hamad bin Nasser gave an audience at the Al Noor Palace on Wednesday to Prime Minister "
     "Ravi Desai of India.", {"hamad-bin-nasser", "ravi-desai"}, "meeting.gave-audience", "InPerson"),
    # a duration before the talks; hands shaken before them; a place and an event between "met" and "with"
    ("President Ana Ruiz of Chile and President Wei Lin of China had a 20-minute informal conversation.",
     {"ana-ruiz", "wei-lin"}, "meeting.held-together", "InPerson"),
    ("President Ana Ruiz of Chile and President Wei Lin of China on Friday shook hands and had a conversation on trade.",
     {"ana-ruiz", "wei-lin"}, "meeting.held-together", "InPerson"),
    ("President Ana Ruiz of Chile met in Warsaw before G20 with President Wei Lin of China.",
     {"ana-ruiz", "wei-lin"}, "meeting.met-with", "InPerson"),
    # what took place between two principals
    ("A telephone conversation initiated by the Chilean side took place between President Ana Ruiz of Chile and "
     "President Wei Lin of China.", {"ana-ruiz", "wei-lin"}, "meeting.took-place-between", "Phone"),
    # a call told by what was discussed in it, the phone named after it ("over phone", without "the")
    ("President Ana Ruiz of Chile and President Wei Lin of China discussed Lin's visit to Chile over phone on Monday.",
     {"ana-ruiz", "wei-lin"}, "meeting.discussed-by-phone", "Phone"),
    # modifiers joined by "and" or commas before the talks; "have talks with you" in a speaker's turn
    ("President Ana Ruiz of Chile and President Wei Lin of China had candid and in-depth conversations about trade.",
     {"ana-ruiz", "wei-lin"}, "meeting.held-together", "InPerson"),
    ("President Ana Ruiz of Chile held long, detailed talks with President Wei Lin of China.",
     {"ana-ruiz", "wei-lin"}, "meeting.held-talks", "InPerson"),
    ("President of China Wei Lin: Madam President, I am very happy to have talks with you.\n\n"
     "President of Chile Ana Ruiz: Thank you, Mr. President.",
     {"ana-ruiz", "wei-lin"}, "meeting.speaker-you", "InPerson"),
    # a descriptor with the country's name as written ("the US President")
    ("President Ana Ruiz of Chile arrived in Lima. The Chilean leader's visit began. Later the Chile President "
     "also met with President Jorge Salas of Peru.", {"ana-ruiz", "jorge-salas"}, "meeting.met-with", "InPerson"),
    # views exchanged: a meeting, by phone only where the sentence says so; an adjective before the talks
    ("Foreign Minister Hana Sato exchanged views with Foreign Minister Ravi Desai of India in Tokyo.",
     {"hana-sato", "ravi-desai"}, "meeting.exchanged-views-with", "InPerson"),
    ("Foreign Minister Hana Sato and Indian Foreign Minister Ravi Desai exchanged their views on trade.",
     {"hana-sato", "ravi-desai"}, "meeting.exchanged-views-together", "InPerson"),
    ("Foreign Minister Hana Sato exchanged views by telephone with Foreign Minister Ravi Desai of India.",
     {"hana-sato", "ravi-desai"}, "meeting.exchanged-views-with", "Phone"),
    ("External Affairs Minister Ravi Desai on Monday held wide-ranging talks with Secretary of Foreign Affairs of "
     "the Philippines Jose Ramos on his first visit.", {"ravi-desai", "jose-ramos"}, "meeting.held-talks", "InPerson"),
    # Gulf style: "received at a palace", an honorific for "the" before a bare title, a name's "bin" tail
    ("Crown Prince Mohammed bin Salman received at Yamamah Palace Prime Minister Fumio Kishida.",
     {KISHIDA, "mohammed-bin-salman"}, "meeting.received", "InPerson"),
    ("His Royal Highness Prince Mohammed bin Salman bin Abdulaziz, Crown Prince, arrived in Tokyo. HRH Crown "
     "Prince was received by Prime Minister Fumio Kishida.",
     {KISHIDA, "mohammed-bin-salman"}, "meeting.received-by", "InPerson"),
    # an appositive that opens with a country's possessive
    ("Fumio Kishida, Japan's top diplomat and Foreign Minister, met with US President Joe Biden.",
     {KISHIDA, BIDEN}, "meeting.met-with", "InPerson"),
    # envoys: a call "has called on" an acting minister; an initial glued to the name; "Ambassador ... of X to Y"
    ("Ambassador of Ethiopia to Japan Abebe Kebede has called on acting Prime Minister Fumio Kishida in Tokyo.",
     {KISHIDA, "abebe-kebede"}, "meeting.courtesy-call", "InPerson"),
    ("Minister of Foreign Affairs of Mongolia D.Batmunkh received Japanese Prime Minister Fumio Kishida.",
     {KISHIDA, "d-batmunkh"}, "meeting.received", "InPerson"),
    # a title written short; a side whose name opens with an honorific's word; scare quotes
    ("Prime Minister Narendra Modi thanked the guests. The PM next met Sri Lankan President Anura Kumara "
     "Dissanayake.", {MODI, "anura-kumara-dissanayake"}, "meeting.met-with", "InPerson"),
    ("President Joe Biden and Prime Minister Fumio Kishida had an “informal meeting” in Tokyo.",
     {KISHIDA, BIDEN}, "meeting.held-together", "InPerson"),
    ("President Joe Biden’s first meeting of the day, a breakfast, was with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.possessive", "InPerson"),
    # a visit at the invitation of its host
    ("At the invitation of Prime Minister Fumio Kishida, President Joe Biden paid an official visit to Japan.",
     {KISHIDA, BIDEN}, "meeting.visit-at-invitation", "InPerson"),
    ("President Joe Biden paid a state visit to Japan at the invitation of Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.visit-at-invitation-after", "InPerson"),
    # a title whose portfolios are a serial list with commas
    ("President Joe Biden had a call with Minister of Economy, Trade, and Industry of Japan Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.call", "Phone"),
    ("President Joe Biden had the pleasure to meet, over dinner, with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.had-the-opportunity", "InPerson"),
    # a date right after the name is no part of it; a title no comma closes ends before the verb
    ("President Joe Biden called Prime Minister Fumio Kishida Oct. 23 to discuss the alliance.",
     {KISHIDA, BIDEN}, "meeting.called", "Phone"),
    ("President Joe Biden and Mr. Fumio Kishida, Prime Minister of Japan held a summit meeting in Tokyo.",
     {KISHIDA, BIDEN}, "meeting.held-together", "InPerson"),
    # calls
    ("Prime Minister Fumio Kishida held a telephone talk with President Joe Biden for thirty minutes.",
     {KISHIDA, BIDEN}, "meeting.held-talks", "Phone"),
    ("President Joe Biden conducted a call with Prime Minister Fumio Kishida to discuss the alliance.",
     {KISHIDA, BIDEN}, "meeting.call", "Phone"),
    ("President Joe Biden had an introductory call with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.call", "Phone"),
    ("President Joe Biden called Prime Minister Fumio Kishida to congratulate him on his election.",
     {KISHIDA, BIDEN}, "meeting.called", "Phone"),
    ("President Joe Biden spoke by telephone with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.spoke-with", "Phone"),
    ("President Joe Biden talked to Prime Minister Fumio Kishida on the phone.",
     {KISHIDA, BIDEN}, "meeting.spoke-with", "Phone"),
    ("President Joe Biden spoke via videoconference with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.spoke-with", "Video"),
    ("Prime Minister Fumio Kishida held a video conference with President Joe Biden.",
     {KISHIDA, BIDEN}, "meeting.call", "Video"),
    ("President Joe Biden received a phone call from Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.call-from", "Phone"),
    ("Prime Minister Fumio Kishida and President Joe Biden spoke by phone.",
     {KISHIDA, BIDEN}, "meeting.spoke-together", "Phone"),
    # talks and meetings
    ("Prime Minister Fumio Kishida held a Japan-India Summit Meeting with Prime Minister Narendra Modi.",
     {KISHIDA, MODI}, "meeting.held-talks", "InPerson"),
    ("Prime Minister Fumio Kishida held a foreign ministers’ meeting, followed by a lunch, with Prime Minister "
     "Narendra Modi.", {KISHIDA, MODI}, "meeting.held-talks", "InPerson"),
    ("Prime Minister Fumio Kishida, who is visiting Delhi, India, held a meeting with the Prime Minister "
     "Narendra Modi.", {KISHIDA, MODI}, "meeting.held-talks", "InPerson"),
    ("Talks between President Joe Biden and Prime Minister Fumio Kishida began at noon.",
     {KISHIDA, BIDEN}, "meeting.between", "InPerson"),
    ("President Joe Biden and Prime Minister Fumio Kishida met on the sidelines of the G20 summit.",
     {KISHIDA, BIDEN}, "meeting.met-each-other", "InPerson"),
    ("President Joe Biden met Prime Minister Fumio Kishida at the G7 summit in Hiroshima.",
     {KISHIDA, BIDEN}, "meeting.met-with", "InPerson"),
    ("President Joe Biden met first with Prime Minister Fumio Kishida in the morning.",
     {KISHIDA, BIDEN}, "meeting.met-with", "InPerson"),
    ("President Joe Biden met his Japanese counterpart, Fumio Kishida, in Tokyo.",
     {KISHIDA, BIDEN}, "meeting.met-with", "InPerson"),
    ("President Joe Biden had a meeting with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.held-talks", "InPerson"),
    ("President Joe Biden held a strategic dialogue with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.held-talks", "InPerson"),
    # courtesy calls, receptions, the passive
    ("Prime Minister Fumio Kishida received a courtesy call from President Joe Biden.",
     {KISHIDA, BIDEN}, "meeting.courtesy-received", "InPerson"),
    ("President Joe Biden paid a courtesy visit to Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.courtesy-call", "InPerson"),
    ("President Joe Biden visited the office of Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.courtesy-call", "InPerson"),
    ("President Joe Biden received Prime Minister Fumio Kishida at the White House.",
     {KISHIDA, BIDEN}, "meeting.received", "InPerson"),
    ("President Joe Biden welcomed Prime Minister Fumio Kishida to Washington.",
     {KISHIDA, BIDEN}, "meeting.received", "InPerson"),
    ("Prime Minister Fumio Kishida was received by President Joe Biden at the White House.",
     {KISHIDA, BIDEN}, "meeting.received-by", "InPerson"),
    # co-chairs and delegations
    ("Prime Minister Fumio Kishida and Prime Minister Narendra Modi co-chaired the annual dialogue.",
     {KISHIDA, MODI}, "meeting.co-chaired", "InPerson"),
    ("Prime Minister Fumio Kishida co-chaired the Japan-India dialogue with Prime Minister Narendra Modi.",
     {KISHIDA, MODI}, "meeting.co-chaired-with", "InPerson"),
    ("The dialogue was co-chaired by Prime Minister Fumio Kishida and Prime Minister Narendra Modi.",
     {KISHIDA, MODI}, "meeting.co-chaired-by", "InPerson"),
    ("The Japanese delegation was led by Prime Minister Fumio Kishida, while the Indian side was headed by "
     "Prime Minister Narendra Modi.", {KISHIDA, MODI}, "meeting.delegations-led-by", "InPerson"),
    ("While meeting with a delegation led by Prime Minister Fumio Kishida, President Joe Biden said the "
     "alliance was strong.", {KISHIDA, BIDEN}, "meeting.while-meeting-fronted", "InPerson"),
    # the meeting as a frame, the address within it, views exchanged, a visit paid to a person
    ("During their meeting in Tokyo, President Joe Biden and Prime Minister Fumio Kishida discussed trade.",
     {KISHIDA, BIDEN}, "meeting.during-their-meeting", "InPerson"),
    ("President Joe Biden told Prime Minister Fumio Kishida in a phone call that the alliance was strong.",
     {KISHIDA, BIDEN}, "meeting.told-in-a-call", "Phone"),
    ("President Joe Biden exchanged views with Prime Minister Fumio Kishida on the region.",
     {KISHIDA, BIDEN}, "meeting.exchanged-views-with", "InPerson"),
    ("Prime Minister Fumio Kishida paid a visit to President Joe Biden at the White House.",
     {KISHIDA, BIDEN}, "meeting.courtesy-call", "InPerson"),
    # a trip summary's purpose clause, a possessive
    ("President Joe Biden traveled to Tokyo to meet with Prime Minister Fumio Kishida.",
     {KISHIDA, BIDEN}, "meeting.travelled-to-meet", "InPerson"),
    ("President Joe Biden visited Tokyo to attend a forum and to hold a bilateral meeting with Prime "
     "Minister Fumio Kishida.", {KISHIDA, BIDEN}, "meeting.travelled-to-meet", "InPerson"),
    ("After President Joe Biden’s meeting with Prime Minister Fumio Kishida, both governments issued a "
     "statement.", {KISHIDA, BIDEN}, "meeting.possessive", "InPerson"),
    # a photo's note or the same person again in brackets after a name; Malay honorifics before it
    ("KUALA LUMPUR: Prime Minister Datuk Seri Razak Hamid (pix) today received a courtesy call from Brunei Foreign "
     "Minister Ali Osman.", {"razak-hamid", "ali-osman"}, "meeting.courtesy-received", "InPerson"),
    ("Jakarta: President Joko Widodo (Jokowi) received a visit from Prime Minister of Malaysia Razak Hamid on Friday.",
     {"joko-widodo", "razak-hamid"}, "meeting.courtesy-received", "InPerson"),
    ("In the meeting held in Penang, Prime Minister Razak Hamid and Foreign Minister Ali Osman of Brunei discussed "
     "bilateral cooperation.", {"razak-hamid", "ali-osman"}, "meeting.during-their-meeting", "InPerson"),
    ("Thereafter, President Bima Santoso of Indonesia and Prime Minister Razak Hamid of Malaysia departed for the "
     "Palace veranda for a face-to-face meeting.", {"bima-santoso", "razak-hamid"}, "meeting.held-together",
     "InPerson"),
    # "recent" of what was said in the meeting does not make "their discussions" an earlier meeting
    ("Prime Minister Razak Hamid received a courtesy call from Brunei Foreign Minister Ali Osman at Seri Perdana. "
     "Razak said their discussions were centred on Brunei's recent application for membership.",
     {"razak-hamid", "ali-osman"}, "meeting.courtesy-received", "InPerson"),
    ("Abuja — President Daniel Mulenga on Thursday received in audience his Senegalese counterpart, Amadou Sall, at "
     "the State House.", {"daniel-mulenga", "amadou-sall"}, "meeting.received", "InPerson"),
    ("King Hamid Al Rashid on Wednesday at Al Husseiniya Palace received Saudi Minister of State Ali Osman.",
     {"hamid-al-rashid", "ali-osman"}, "meeting.received", "InPerson"),
    ("Prime Minister Ravi Desai also discussed with Djiboutian President Ali Osman the status of joint projects.",
     {"ravi-desai", "ali-osman"}, "meeting.discussed-with", "InPerson"),
    ("Prime Minister Ravi Desai and H.R.H Crown Prince Faisal bin Nasser of Saudi Arabia held a telephonic "
     "conversation in the early hours of Monday.", {"ravi-desai", "faisal-bin-nasser"}, "meeting.held-together", "Phone"),
    ("President Paul Kagame on Sunday held what his office described as “a positive meeting” with Ambassador Ali "
     "Osman, President Daniel Mulenga’s Special Envoy.", {"paul-kagame", "ali-osman"}, "meeting.held-talks", "InPerson"),
    # Spanish: what the meeting was between "mantuvo una reunión" and "con"; "su par de C, X" (his counterpart)
    ("El presidente Martín Ruiz mantuvo una reunión de una hora en Casa Rosada con su par de Uruguay, Pablo Suárez, "
     "con quien repasó la agenda bilateral.", {"martin-ruiz", "pablo-suarez"}, "meeting.es-se-reunio", "InPerson"),
    # a dateline in capitals with the agency and date in brackets before a rule that opens the sentence
    ("ABU DHABI, (WAM - 12th Oct, 2020) During a phone call on Monday, Sheikh Faisal bin Nasser, Crown Prince of "
     "Qatar, and Russian President, Ivan Sokolov, discussed ways of enhancing relations.",
     {"faisal-bin-nasser", "ivan-sokolov"}, "meeting.during-their-meeting", "Phone"),
    # an audience given to a delegation led by someone; a country's name before his title after a comma
    ("Sultan Hamid Al Rashid gave audience at Al Alam Palace to a US presidential delegation led by Tom Hale, US "
     "Secretary of Energy, who arrived to convey condolences.", {"hamid-al-rashid", "tom-hale"}, "meeting.received",
     "InPerson"),
    # a full name written before the title that the report gives it later
    ("Kwon Min-ho had talks with Japanese Foreign Minister Kenji Morita in Tokyo. Unification Minister Kwon Min-ho "
     "posed for a photo with him.", {"kwon-min-ho", "kenji-morita"}, "meeting.held-talks", "InPerson"),
    # "made the commitment during a telephone conversation"
    ("The spokesman said Prime Minister Somchai Wong and his Vietnamese counterpart Tran Van Minh made the commitment "
     "during a telephone conversation.", {"somchai-wong", "tran-van-minh"}, "meeting.agreed-during-their-talks",
     "Phone"),
    ("El presidente Martín Ruiz recibió este viernes una visita de cortesía de su homólogo de Chile, Pablo Suárez, en "
     "el Palacio Nacional.", {"martin-ruiz", "pablo-suarez"}, "meeting.es-visita-de", "InPerson"),
    ("Prime Minister Carmel Vella and his Croatian counterpart, Ivo Horvat, engaged in a bilateral meeting at Castille "
     "on Thursday.", {"carmel-vella", "ivo-horvat"}, "meeting.held-together", "InPerson"),
    # a phrase set off by commas between the subject and the verb
    ("President of the Kyrgyz Republic Azamat Osmonov, within the framework of an official visit to Ankara, met with "
     "Turkish President Mehmet Yilmaz.", {"azamat-osmonov", "mehmet-yilmaz"}, "meeting.met-with", "InPerson"),
    # a party in brackets after the name; a first name and middle initial before a surname the gazetteer knows
    ("Prime Minister Kristjan Tamm (Reform) spoke by phone with President Donald J. Trump.",
     {"kristjan-tamm", "donald-trump"}, "meeting.spoke-with", "Phone"),
    ("Toshimitsu Motegi met with Treasurer Ian Ling Stuckey after dinner.", {"toshimitsu-motegi", "ian-ling-stuckey"},
     "meeting.met-with", "InPerson"),
    ("HARARE – South African President Thabo Nkosi arrived in the Zimbabwean capital Harare for a consultative meeting "
     "with President Tendai Moyo, the presidency said.", {"thabo-nkosi", "tendai-moyo"}, "meeting.arrived-for-talks",
     "InPerson"),
    # a long title of two offices before a comma and the name
    ("In Brussels, the High Representative of the European Union for Foreign Affairs and Security Policy/Vice-President "
     "of the European Commission, Anna Lindqvist, met with the US Secretary of State Tom Hale.",
     {"anna-lindqvist", "tom-hale"}, "meeting.met-with", "InPerson"),
    ("King Hamid Al Rashid, in a phone call with Custodian of the Two Holy Mosques King Faisal bin Nasser, expressed "
     "utter condemnation of the attack.", {"hamid-al-rashid", "faisal-bin-nasser"}, "meeting.in-a-meeting-inserted",
     "Phone"),
    ("State Councilor Li Wen and Foreign Minister Imran Qadir of Pakistan held the 2nd Round of China-Pakistan Foreign "
     "Ministers’ Strategic Dialogue in Hainan Province.", {"li-wen", "imran-qadir"}, "meeting.held-together",
     "InPerson"),
    ("Ivorian President Amadou Sall and his accompanying delegation were met at the Jubilee Lounge of the Kotoka "
     "International by President Kwame Mensah.", {"amadou-sall", "kwame-mensah"}, "meeting.received-by", "InPerson"),
    ("The statement said that during their talks at the Elysee, King Hamid Al Rashid of Morocco and French President "
     "Claire Duval discussed the situation in the region.", {"hamid-al-rashid", "claire-duval"},
     "meeting.during-their-meeting", "InPerson"),
    ("Iraqi Foreign Minister Ali Osman received in his residence in Washington the US envoy for Iran Tom Hale for talks "
     "on the region.", {"ali-osman", "tom-hale"}, "meeting.received", "InPerson"),
    ("President Ana Ruiz receives (Wednesday) President Pablo Suárez at the Alvorada Palace.", {"ana-ruiz", "pablo-suarez"},
     "meeting.received", "InPerson"),
    ("In a high-level meeting with Tonga's King Tupou Fale at the State House in Suva, Ratu Naiqama Lalabalavu "
     "reaffirmed Fiji's commitment.", {"tupou-fale", "naiqama-lalabalavu"}, "meeting.in-a-meeting-said", "InPerson"),
    ("Turkish President Mehmet Yilmaz spoke over the phone with Qatari emir Sheikh Faisal bin Nasser on Sunday.",
     {"mehmet-yilmaz", "faisal-bin-nasser"}, "meeting.spoke-with", "Phone"),
    ("Foreign Minister Imran Qadir received a congratulatory telephone call from Czech Foreign Minister Jan Novak.",
     {"imran-qadir", "jan-novak"}, "meeting.call-from", "Phone"),
    ("El presidente Martín Ruiz y su homólogo de Colombia, Pablo Suárez, sostuvieron una reunión en la mañana de hoy.",
     {"martin-ruiz", "pablo-suarez"}, "meeting.es-sostuvieron", "InPerson"),
    ("Foreign Minister Ana Ruiz led a Chilean delegation in a bilateral meeting with Foreign Minister Pablo Suárez of "
     "Peru.", {"ana-ruiz", "pablo-suarez"}, "meeting.held-talks", "InPerson"),
    # "he" in a clause of where or when is the one person the sentence names before it
    ("Prime Minister Somchai Wong of Thailand returned from Bhutan, where he was granted an audience with King Jigme "
     "Wangchuk of Bhutan.", {"somchai-wong", "jigme-wangchuk"}, "meeting.granted-audience", "InPerson"),
    # a title in lower case after "the", an aside in brackets after the side it names
    ("President Thabo Nkosi is on Tuesday hosting the president of the Sahrawi Arab Democratic Republic (also known "
     "as Western Sahara), Ahmed Salem, at the Union Buildings in Pretoria.", {"thabo-nkosi", "ahmed-salem"},
     "meeting.received", "InPerson"),
    # "his counterpart" with no name: the one person of another side the report names with an office of his kind
    ("South African President Thabo Nkosi has arrived in Lusaka for a working visit. He was met at the airport by "
     "Minister of Foreign Affairs Joseph Banda. President Daniel Mulenga received his counterpart at State House on "
     "Thursday evening.", {"thabo-nkosi", "daniel-mulenga"}, "meeting.received", "InPerson"),
]


@pytest.mark.parametrize("sentence, principals, rule, mode", FORMS, ids=[f[2] + ":" + f[0][:40] for f in FORMS])
def test_a_meeting_form_gives_one_meeting_of_its_principals(sentence, principals, rule, mode):
    found = meetings(sentence)
    assert [(set(p), r, m) for p, r, m in found] == [(principals, rule, mode)]


NOT_MEETINGS = [
    # a meeting doubted or put off, right after its people
    ("Analysts say a meeting between President Ana Ruiz of Chile and President Wei Lin of China is unlikely.",
     "skipped-hypothetical"),
    ("President Ana Ruiz of Chile spoke to reporters after her call with President Wei Lin of China was postponed.",
     "skipped-hypothetical"),
    ("Chilean President Ana Ruiz and Madame Lucia Soto hosted a banquet for Chinese President Wei Lin.", None),
    # a meeting talked about, not held
    ("There is a need for a meeting between President Ana Ruiz of Chile and President Wei Lin of China, a spokesman "
     "said.", "skipped-hypothetical"),
    ("They discussed the possibility of holding talks between President Ana Ruiz of Chile and President Wei Lin of "
     "China.", "skipped-hypothetical"),
    # "his counterpart" when the report names two people of other sides with an office of his kind: whom is not said
    ("President Thabo Nkosi of South Africa and President Ali Hassan of Egypt arrived in Lusaka on Thursday. President "
     "Daniel Mulenga received his counterpart at State House.", None),
    # an earlier talk someone recalls in reported speech
    ("President Elchin Mammadov of Azerbaijan received a delegation. Mammadov noted that he discussed with President "
     "Ivan Petrenko of Ukraine the development of ties.", None),
    # a principal never named, and no side known: who met is not told
    ("President Daniel Mulenga hosted the PM at a State Banquet at State House.", "unnamed-principals"),
    # messages, speeches, interviews
    ("President Joe Biden sent a message of condolences to Prime Minister Fumio Kishida.", None),
    ("President Joe Biden sent a letter of congratulations to Prime Minister Fumio Kishida.", None),
    ("President Joe Biden spoke with Prime Minister Fumio Kishida in an interview with a newspaper.", None),
    ("President Joe Biden called Prime Minister Fumio Kishida a close friend.", None),
    ("President Joe Biden called on Prime Minister Fumio Kishida to act.", None),
    # planned, hoped for, prevented
    ("President Joe Biden will meet Prime Minister Fumio Kishida next week.", "skipped-hypothetical"),
    ("President Joe Biden is to visit Prime Minister Fumio Kishida in Tokyo.", "skipped-hypothetical"),
    ("President Joe Biden looks forward to meeting Prime Minister Fumio Kishida.", "skipped-hypothetical"),
    ("President Joe Biden hopes to meet Prime Minister Fumio Kishida soon.", "skipped-hypothetical"),
    ("President Joe Biden invited Prime Minister Fumio Kishida to visit Washington.", "skipped-hypothetical"),
    ("President Joe Biden invited the Japanese Prime Minister Fumio Kishida to visit Washington.", "skipped-hypothetical"),
    ("President Joe Biden could not meet Prime Minister Fumio Kishida because of the storm.", "skipped-hypothetical"),
    ("President Joe Biden will travel to Tokyo to meet with Prime Minister Fumio Kishida.", "skipped-hypothetical"),
    # recalled only in general
    ("President Joe Biden had met Prime Minister Fumio Kishida twice before.", "skipped-historical"),
    ("President Joe Biden and Prime Minister Fumio Kishida have met many times.", None),
    # more than two sides, one side only
    ("President Joe Biden met Prime Minister Fumio Kishida and President Yoon Suk Yeol at Camp David.",
     "not-bilateral"),
    ("President Joe Biden, Prime Minister Fumio Kishida and President Yoon Suk Yeol held talks at Camp David.",
     None),
    ("President Joe Biden met Vice President Kamala Harris at the White House.", "not-bilateral"),
    # a person of no known side, in a report that names no side but the other person's: domestic
    ("President Vladimir Putin met with Speaker of the Federation Council Yegor Stroyev to discuss the budget "
     "of Russia.", "not-bilateral"),
]


@pytest.mark.parametrize("sentence, warning", NOT_MEETINGS, ids=[n[0][:50] for n in NOT_MEETINGS])
def test_what_is_not_a_bilateral_meeting_gives_none(sentence, warning):
    assert meetings(sentence) == []
    if warning:
        assert warning in problems(sentence)


def recalled(text: str) -> list[tuple[frozenset[str], bool, str | None]]:
    return [(m.principals, m.recalled, m.date.value().lexical()[0] if m.date.value() else None)
            for facts in report(text) for m in facts.meetings]


# One earlier meeting told in passing is a meeting of its own, beside the one the report tells
# (the gold of real pages counts them): made, marked as recalled, dated only by its own words.
RECALLED = [
    # a date told before "we met" is that meeting's own, unless it is the day of the report
    ("President Joe Biden: Thank you for the initiative to meet in Tokyo today. Recently, on August 27, we met at "
     "the Aviation Salon in Washington.\n\nPrime Minister Fumio Kishida: Thank you.",
     [({BIDEN, KISHIDA}, False, None), ({BIDEN, KISHIDA}, True, "--08-27")]),
    ("President Joe Biden and Prime Minister Fumio Kishida last met in Hiroshima.",
     [({BIDEN, KISHIDA}, True, None)]),
    ("Tokyo, 3 March 2023\n\nPresident Joe Biden met Prime Minister Fumio Kishida in Tokyo. "
     "The President recalled that he had exchanged views with Prime Minister Kishida in Hiroshima last year.",
     [({BIDEN, KISHIDA}, False, "2023-03-03"), ({BIDEN, KISHIDA}, True, "2022")]),
    # the speaker's "we" with the one addressed: an earlier meeting, unless it is today's
    ("March 3, 2023\n\nPresident Joe Biden: It is good to see you again; we met in Hiroshima last month."
     "\n\nPrime Minister Fumio Kishida: Thank you.",
     [({BIDEN, KISHIDA}, True, "2023-02")]),
    # a statement "by" the people its title names: "we" is its first; one sentence, two meetings
    ("Press Statement by\nPresident of the European Council Charles Michel and President of the European "
     "Commission Ursula von der Leyen following the EU-Japan Summit\n\nBrussels, 13 July 2023\n\n"
     "We welcomed Prime Minister Fumio Kishida today in Brussels, only a year since we last met in Tokyo.",
     [({"charles-michel", KISHIDA}, False, "2023-07-13"), ({"charles-michel", KISHIDA}, True, None)]),
    # the report's two principals, named by "their" or "they": only when the words after make it earlier
    ("March 3, 2023\n\nPresident Joe Biden called Prime Minister Fumio Kishida today. Their call continued "
     "their discussion in Hiroshima last month, which covered trade.",
     [({BIDEN, KISHIDA}, False, "2023-03-03"), ({BIDEN, KISHIDA}, True, "2023-02")]),
    ("President Joe Biden called Prime Minister Fumio Kishida on March 3, 2023. The two leaders recalled "
     "the productive talks they had during his visit to Tokyo.",
     [({BIDEN, KISHIDA}, False, "2023-03-03"), ({BIDEN, KISHIDA}, True, None)]),
    ("President Joe Biden called Prime Minister Fumio Kishida on March 3, 2023. The call follows on from "
     "their successful bilateral meeting in Hiroshima.",
     [({BIDEN, KISHIDA}, False, "2023-03-03"), ({BIDEN, KISHIDA}, True, None)]),
    ("President Joe Biden called Prime Minister Fumio Kishida on March 3, 2023. In their first meeting, "
     "the two leaders discussed trade.",
     [({BIDEN, KISHIDA}, False, "2023-03-03")]),
    ("March 3, 2023\n\nPresident Joe Biden: We met today in Washington to renew our alliance."
     "\n\nPrime Minister Fumio Kishida: Thank you.",
     [({BIDEN, KISHIDA}, False, "2023-03-03")]),
]


@pytest.mark.parametrize("text, expected", RECALLED, ids=[r[0][:50] for r in RECALLED])
def test_a_meeting_recalled_in_passing_is_one_of_its_own(text, expected):
    assert [(set(p), r, d) for p, r, d in recalled(text)] == [(set(p), r, d) for p, r, d in expected]


HEADLINES = [
    ("The White House\n\nOffice of the Press Secretary\n\n"
     "Readout of the President’s Call with Prime Minister Fumio Kishida of Japan\n\n"
     "President Joe Biden and the Prime Minister discussed trade and the alliance.", {KISHIDA, BIDEN}, "Phone"),
    ("Remarks with Prime Minister Fumio Kishida Before Their Meeting\n\nJoe Biden\nPresident\nTokyo, Japan\n"
     "March 3, 2023\n\nPRESIDENT BIDEN: Thank you all for coming.", {KISHIDA, BIDEN}, "InPerson"),
    ("Japan-India Summit Meeting\n\nMarch 3, 2023\nPhoto of the two leaders\n\nPrime Minister Fumio Kishida thanked Prime Minister "
     "Narendra Modi for the warm welcome.", {KISHIDA, MODI}, "InPerson"),
]


@pytest.mark.parametrize("text, principals, mode", HEADLINES, ids=[h[0].split("\n")[-1][:40] for h in HEADLINES])
def test_a_meeting_told_only_by_the_headline_takes_its_principal_from_the_body(text, principals, mode):
    found = meetings(text)
    assert [(set(p), m) for p, _, m in found] == [(principals, mode)]


def test_a_person_of_no_known_side_takes_the_country_the_titles_name():
    (facts,) = report("Ambassador Antony Blinken met Vietnam Minister of Industry and Trade Tran Quoc Binh. "
                      "They discussed trade between the United States and Vietnam.")
    assert {p.key: p.country for p in facts.meetings[0].participants}["tran-quoc-binh"] == "VN"


def test_a_headline_meeting_the_body_also_tells_is_one_meeting():
    text = ("Remarks with Prime Minister Fumio Kishida Before Their Meeting\n\nJoe Biden\nPresident\n\n"
            "President Joe Biden met Prime Minister Fumio Kishida in Tokyo.")
    assert [(set(p), r) for p, r, _ in meetings(text)] == [({KISHIDA, BIDEN}, "meeting.met-with")]



def sides_of(text: str) -> list[tuple[set[str], dict[str, str | None]]]:
    return [({p.key for p in m.participants}, {p.key: p.country for p in m.participants})
            for facts in report(text) for m in facts.meetings]


SCHOLZ, MICHEL, VDL = "olaf-scholz", "charles-michel", "ursula-von-der-leyen"
WONG, MARLES, KAMIKAWA = "penny-wong", "richard-marles", "yoko-kamikawa"

# A meeting is bilateral when its principals fall into exactly two sides, however many principals
# each side has (an organisation such as the EU is one side: its two presidents are one side).
SIDES = [
    # several principals named first, each with an appositive, then "met"
    ("Mr Olaf Scholz, Chancellor of Germany, Mr Charles Michel, President of the European Council, and "
     "Mrs Ursula von der Leyen, President of the European Commission, met in Berlin for their annual summit.",
     [{SCHOLZ: "DE", MICHEL: "EU", VDL: "EU"}], None),
    ("Chancellor Olaf Scholz, President Charles Michel and President Ursula von der Leyen met in Berlin.",
     [{SCHOLZ: "DE", MICHEL: "EU", VDL: "EU"}], None),
    # two hosts and two guests (a "2+2"): the guests of no known side are the other country the sentence names
    ("Foreign Minister Penny Wong and Australian Defence Minister Richard Marles hosted Foreign Minister Yoko Kamikawa "
     "and Japanese Defense Minister Minoru Kihara in Melbourne.",
     [{WONG: "AU", MARLES: "AU", KAMIKAWA: "JP", "minoru-kihara": "JP"}], None),
    ("Foreign Minister Penny Wong and Australian Defence Minister Richard Marles hosted Foreign Minister Tomás Ruiz Peña "
     "and Defence Minister Ana Lucía Ortega for the Australia-Chile Foreign and Defence Ministers' Meeting.",
     [{WONG: "AU", MARLES: "AU", "tomas-ruiz-pena": "CL", "ana-lucia-ortega": "CL"}], None),
    ("Foreign Minister Yoko Kamikawa and Defense Minister Minoru Kihara held the fifth Japan-Australia Foreign "
     "and Defence Ministerial Consultations (“2+2”) in Tokyo with Foreign Minister Penny Wong and Defence "
     "Minister Richard Marles.", [{KAMIKAWA: "JP", "minoru-kihara": "JP", WONG: "AU", MARLES: "AU"}], None),
    # one principal receives the two of the other side
    ("Prime Minister Fumio Kishida held a summit meeting with President Charles Michel and President Ursula "
     "von der Leyen.", [{KISHIDA: "JP", MICHEL: "EU", VDL: "EU"}], None),
    # three sides: a multilateral meeting; one side: a domestic one
    ("Mr Olaf Scholz, Chancellor of Germany, Mr Emmanuel Macron, President of France, and Ms Giorgia Meloni, "
     "Prime Minister of Italy, met in Rome.", [], "not-bilateral"),
    ("President Joe Biden, Vice President Kamala Harris and Secretary of State Antony Blinken met in the Oval "
     "Office.", [], "not-bilateral"),
]


@pytest.mark.parametrize("text, expected, warning", SIDES, ids=[s[0][:50] for s in SIDES])
def test_a_meeting_is_bilateral_when_its_principals_fall_into_two_sides(text, expected, warning):
    assert [countries for _, countries in sides_of(text)] == expected
    if warning:
        assert warning in problems(text)



# A side no sentence ties to a person, read as a reader does: an office only one government has,
# a page's byline, the side the report gives the person elsewhere; and the country a summit of many
# is held in is nobody's side.
SIDES_WITHOUT_A_LIST = [
    # two sides, then their two people in the same order
    ("The heads of the foreign ministries of Chile and Peru, Foreign Minister Ana Lagos and Foreign Minister Carlos "
     "Vidal, during a telephone conversation, discussed the summit.", [{"ana-lagos": "CL", "carlos-vidal": "PE"}]),
    ("Secretary of Defense Harold Brennan met with French Minister of the Armed Forces Claire Duval on the "
     "margins of the NATO Defence Ministerial in Brussels.", [{"harold-brennan": "US", "claire-duval": "FR"}]),
    ("The Secretary of State for Defence, Tom Ashworth, spoke with Japanese Defense Minister Kenji Morita.",
     [{"tom-ashworth": "GB", "kenji-morita": "JP"}]),
    ("The Prime Minister met with Kenji Morita, the Prime Minister of Japan, at the G7 Summit in Italy. The Prime "
     "Minister welcomed the close friendship between the UK and Japan.",
     [{"report-1-prime-minister": "GB", "kenji-morita": "JP"}]),
    ("Remarks with Foreign Minister Ivan Sokolov of Russia Before Their Meeting\n\nMartha Kline\nSecretary of State\n"
     "Geneva, Switzerland\nMarch 3, 2019\n\nSECRETARY KLINE: Good morning. I am glad to see Foreign Minister Sokolov "
     "again today.", [{"martha-kline": "US", "ivan-sokolov": "RU"}]),
    ("President Aurelio Mendes arrived at the Lopez Palace to meet with Paraguayan President Luis Ortega and his wife, "
     "who thanked Argentina and Chile. The president noted that she had exchanged views with President Ortega during "
     "his visit to Brazil this past May.",
     [{"aurelio-mendes": "BR", "luis-ortega": "PY"}, {"aurelio-mendes": "BR", "luis-ortega": "PY"}]),
    # the report names the two sides as a pair, in a later sentence or in its title: the principal of no
    # side is of the country paired with the other's; paired with two countries, it stays unknown
    ("Minister for Foreign Affairs Aino Virtanen held a telephone conversation with the Russian Foreign Minister "
     "Ivan Sokolov on Wednesday. They discussed the European Union and Russia, the conflict in Ukraine and bilateral "
     "issues between Finland and Russia.",
     [{"aino-virtanen": "FI", "ivan-sokolov": "RU"}]),
    ("Overview of the Chile-Peru Foreign Ministers' Meeting\n\nOn June 30, Minister for Foreign Affairs Ana Lagos "
     "held a meeting with H.E. Carlos Vidal, Minister of Foreign Affairs of Peru. They exchanged views on "
     "Venezuela and on trade with Brazil.",
     [{"ana-lagos": "CL", "carlos-vidal": "PE"}]),
    # "the Greek official": the report's one person of that side
    ("Prime Minister Nikos Pappas of Greece met Prime Minister Ion Popescu of Romania. Later, the Greek official was "
     "received at the Cotroceni Palace by President Mihai Ionescu of Romania.",
     [{"nikos-pappas": "GR", "ion-popescu": "RO"}, {"nikos-pappas": "GR", "mihai-ionescu": "RO"}]),
    # "the Indian foreign secretary": the report's one person of that side
    ("Foreign Secretary Anil Rao of India called on President Ravi Perera. The Indian foreign secretary also met with "
     "his Sri Lankan counterpart Nimal Silva.", [{"anil-rao": "IN", "ravi-perera": None},
                                                 {"anil-rao": "IN", "nimal-silva": "LK"}]),
    ("Minister for Foreign Affairs Aino Virtanen held a telephone conversation with the Russian Foreign Minister "
     "Ivan Sokolov. They discussed the Estonia-Russia border and relations between Finland and Russia.",
     [{"aino-virtanen": None, "ivan-sokolov": "RU"}]),
]


@pytest.mark.parametrize("text, expected", SIDES_WITHOUT_A_LIST, ids=[s[0][:50] for s in SIDES_WITHOUT_A_LIST])
def test_a_side_no_sentence_gives_is_read_as_a_reader_would(text, expected):
    assert [countries for _, countries in sides_of(text)] == expected


def test_a_heading_dates_the_meeting_the_body_tells_without_a_date():
    text = ("Remarks with Foreign Minister Ivan Sokolov of Russia Before Their Meeting\n\nMartha Kline\n"
            "Secretary of State\nMoscow, Russia\nJuly 15, 2016\n\nFOREIGN MINISTER SOKOLOV: Dear Secretary of State, "
            "I would like to welcome you. Yesterday we had a useful day.\n\nSECRETARY KLINE: Thank you, Ivan.")
    (facts,) = report(text)
    assert [(m.principals, m.date.value()) for m in facts.meetings] == \
        [(frozenset({"ivan-sokolov", "martha-kline"}), PartialDate(2016, 7, 15))]


# "X met with A, B and C": a list of three or more principals after the verb is one meeting with
# each (a visit's round of calls, the guests of a day); two of one side are one meeting of the
# three; a spouse named after a principal is no principal.
LISTS = [
    # two of two different sides after "met": one meeting with each
    ("Prime Minister Ravi Desai of India on Saturday met French President Claire Duval and Singapore counterpart "
     "Tan Wei Ming on the sidelines of the summit.", [{"ravi-desai", "claire-duval"}, {"ravi-desai", "tan-wei-ming"}]),
    ("President Joe Biden met with Prime Minister Fumio Kishida, Foreign Minister Yoko Kamikawa and Japanese "
     "Defense Minister Minoru Kihara in Tokyo.", [{BIDEN, KISHIDA}, {BIDEN, KAMIKAWA}, {BIDEN, "minoru-kihara"}]),
    ("Taiwanese President Lai Ching-te met with foreign guests attending the National Day celebrations, including Paraguayan "
     "President Santiago Peña and Mrs. Peña, Tuvalu Prime Minister Feleti Teo, and Eswatini Deputy Prime Minister "
     "Thulisile Dladla.", [{"lai-ching-te", "santiago-pena"}, {"lai-ching-te", "feleti-teo"},
                           {"lai-ching-te", "thulisile-dladla"}]),
    ("U.S. Embassy Tokyo Chargé d’Affaires Joseph Young visited Fukuoka, where he met with Fukuoka Governor Seitaro "
     "Hattori, Fukuoka City Mayor Soichiro Takashima and Kitakyushu City Mayor Kazuhisa Takeuchi.",
     [{"joseph-young", "seitaro-hattori"}, {"joseph-young", "soichiro-takashima"},
      {"joseph-young", "kazuhisa-takeuchi"}]),
    ("Ambassador Zheng Zeguang met with First Minister Michelle O’Neill and Deputy First Minister Emma "
     "Little-Pengelly.", [{"zheng-zeguang", "michelle-oneill", "emma-little-pengelly"}]),
    ("President Joe Biden welcomed Prime Minister Fumio Kishida and Mrs. Kishida to the White House.",
     [{BIDEN, KISHIDA}]),
    # a series of meetings "including with" a list, and "discussions in separate meetings with": one with each
    ("Prime Minister Ravi Desai of India held a series of bilateral meetings on the sidelines of the summit here, "
     "including with French President Claire Duval, Singapore Prime Minister Tan Wei Ming and Emir of Qatar Sheikh "
     "Faisal bin Nasser.", [{"ravi-desai", "claire-duval"}, {"ravi-desai", "tan-wei-ming"},
                            {"ravi-desai", "faisal-bin-nasser"}]),
    ("French President Claire Duval held discussions in separate meetings here with Prime Minister Ravi Desai of "
     "India and Singapore Prime Minister Tan Wei Ming.", [{"claire-duval", "ravi-desai"}, {"claire-duval", "tan-wei-ming"}]),
    # "talked with" and "discussed with" a list: one meeting with each
    ("Mongolian President Ganbold Bat talked with Ambassador of Indonesia Budi Santoso, Ambassador of Egypt Omar Hassan, and "
     "Ambassador of Thailand Somchai Wong about tourism.", [{"ganbold-bat", "budi-santoso"},
                                                             {"ganbold-bat", "omar-hassan"},
                                                             {"ganbold-bat", "somchai-wong"}]),
    ("Likewise, Ethiopian Prime Minister Ravi Desai discussed on bilateral issues with Sudanese Prime Minister Ali Osman, Guinean "
     "President Alpha Diallo and Ghanaian President, Nana Mensah.", [{"ravi-desai", "ali-osman"},
                                                                  {"ravi-desai", "alpha-diallo"},
                                                                  {"ravi-desai", "nana-mensah"}]),
    # a title in the plural before a list of names, each with its side in brackets
    ("Kenyan President Daniel Mulenga met Presidents Ali Osman (Djibouti), Amadou Sall (Mali) and Hassan Sheikh Omar "
     "(Somalia).", [{"daniel-mulenga", "ali-osman"}, {"daniel-mulenga", "amadou-sall"},
                    {"daniel-mulenga", "hassan-sheikh-omar"}]),
    # a report of one person's meetings names only the other principal
    ("Prime Minister Ram Thapa of Nepal held bilateral meetings on the sidelines of the summit. During the meeting with "
     "Afghan President Ali Karimi, the two leaders discussed trade. Another meeting was with the president of Chile "
     "Pablo Suárez.", [{"ram-thapa", "ali-karimi"}, {"ram-thapa", "pablo-suarez"}]),
    # a host receiving two guests of two sides receives each
    ("Prime Minister Nguyen Van An of Vietnam received US Deputy Secretary of State Tom Hale and Secretary of the "
     "Mongolian National Security Council Bat Erdene in Hanoi.", [{"nguyen-van-an", "tom-hale"},
                                                                  {"nguyen-van-an", "bat-erdene"}]),
    ("President Ivan Sokolov of Russia held a number of bilateral meetings on the summit’s sidelines, holding talks "
     "with President of France Claire Duval, Prime Minister of Japan Kenji Morita and Chancellor of Germany Anna Weber.",
     [{"ivan-sokolov", "claire-duval"}, {"ivan-sokolov", "kenji-morita"}, {"ivan-sokolov", "anna-weber"}]),
    ("Chilean President Ana Ruiz’s phone calls with Prime Minister Kenji Morita of Japan and Chancellor Anna Weber of Germany "
     "were cordial.", [{"ana-ruiz", "kenji-morita"}, {"ana-ruiz", "anna-weber"}]),
    # phone calls to two people of two sides: one call with each
    ("New Prime Minister of Estonia Kristjan Tamm made his first two official phone calls to Ukrainian President Ivan "
     "Petrenko and Finland's Prime Minister Aino Virtanen.", [{"kristjan-tamm", "ivan-petrenko"},
                                                               {"kristjan-tamm", "aino-virtanen"}]),
    # talks with one, then "also met with" another: two meetings
    ("Pakistani Prime Minister Ravi Desai held delegation-level talks with President Ali Osman of Iran and also met "
     "with Iranian Supreme Leader Grand Ayatollah Hamid Karimi.", [{"ravi-desai", "ali-osman"}, {"ravi-desai", "hamid-karimi"}]),
]


@pytest.mark.parametrize("text, expected", LISTS, ids=[s[0][:50] for s in LISTS])
def test_a_list_of_three_or_more_met_is_one_meeting_with_each(text, expected):
    assert [principals for principals, _ in sides_of(text)] == expected
    assert all(len(set(countries.values()) - {None}) == 2 for _, countries in sides_of(text))


SPEAKERS = [
    # "we had a very good and extremely outspoken discussion": the speaker and the one foreign person named
    ("President of Russia Vladimir Putin: Prime Minister Fumio Kishida is here in Moscow. We had a very good and "
     "extremely outspoken discussion on trade.", [{KISHIDA, "vladimir-putin"}]),
    ("Joe Biden, President: This morning I had a bilateral meeting with Prime Minister Fumio Kishida.",
     [{KISHIDA, BIDEN}]),
    ("Joe Biden, President: Prime Minister Fumio Kishida and I have just concluded our formal leaders’ meeting.",
     [{KISHIDA, BIDEN}]),
    ("Joe Biden: Thank you.\n\nYesterday I met my colleague Prime Minister Fumio Kishida in Tokyo.",
     [{KISHIDA, BIDEN}]),
    # "you" is the transcript's one other speaker, of another country
    ("President of Brazil Luiz Inácio Lula da Silva: Mr President, it is a pleasure to welcome you to Brasília."
     "\n\nPresident of France Emmanuel Macron (interpreted): Thank you.",
     [{"luiz-inacio-lula-da-silva", "emmanuel-macron"}]),
    ("President of Brazil Luiz Inácio Lula da Silva: At the beginning of our meeting I thank you."
     "\n\nPresident of France Emmanuel Macron: Thank you, Mr President.",
     [{"luiz-inacio-lula-da-silva", "emmanuel-macron"}]),
    # a label whose colon the next word follows with no space ("(retranslated):Mr President")
    ("President of Brazil Luiz Inácio Lula da Silva (retranslated):Mr President, it is a pleasure to welcome you."
     "\n\nPresident of France Emmanuel Macron: Thank you.",
     [{"luiz-inacio-lula-da-silva", "emmanuel-macron"}]),
    # one speaker only: "you" is the one person of another country the report names
    ("President of Brazil Luiz Inácio Lula da Silva: I thank President Emmanuel Macron of France for coming "
     "to Brasília. Our meeting today was productive.",
     [{"luiz-inacio-lula-da-silva", "emmanuel-macron"}]),
    ("President of Brazil Luiz Inácio Lula da Silva: I thank President Emmanuel Macron of France and "
     "Prime Minister Fumio Kishida of Japan for their letters. Our meeting today was productive.", []),
    # a joint statement by two: "we" are its two authors
    ("Joint Statement by President Emmanuel Macron of France and President Luiz Inácio Lula da Silva of Brazil"
     "\n\nMarch 3, 2023\n\nWe met today in Brasília to renew our partnership.",
     [{"luiz-inacio-lula-da-silva", "emmanuel-macron"}]),
    # a "you" no second speaker names, a host who only hopes to see you, or an interviewer: no meeting
    ("President of Brazil Luiz Inácio Lula da Silva: It is a pleasure to welcome you all to Brasília.", []),
    ("President of Brazil Luiz Inácio Lula da Silva: I hope to see you in Brasília next year."
     "\n\nPresident of France Emmanuel Macron: Thank you.", []),
    ("Jane Reporter, Host: Thank you for our conversation today.\n\nPresident Joe Biden: Thank you.", []),
    # a headline gives the report as one person's words
    ("Video conference of foreign ministers: Remarks by President Joe Biden at the press conference\n\n"
     "Good afternoon. Today we engaged in a strategic dialogue with Prime Minister Fumio Kishida.",
     [{KISHIDA, BIDEN}]),
    # the speaker is unknown: no meeting is made up
    ("QUESTION: I had a bilateral meeting with Prime Minister Fumio Kishida, did you?", []),
    ("I had a bilateral meeting with Prime Minister Fumio Kishida.", []),
]


@pytest.mark.parametrize("text, expected", SPEAKERS, ids=[s[0][:50] for s in SPEAKERS])
def test_the_speakers_i_is_the_speaker_of_the_turn(text, expected):
    assert [set(p) for p, _, _ in meetings(text)] == expected


def test_a_lexicon_is_one_alternation_longest_entry_first_and_may_name_another():
    lexicon = {"phone": ("phone", "telephone"), "by": ("by {@phone}",)}
    assert expand_lexicons("{@by}", lexicon) == "(?:by (?:telephone|phone))"
    assert compile_pattern("{a:person} spoke {@by} with {b:person}", lexicon).search("⟨P0⟩ spoke by telephone with ⟨P1⟩")


def test_a_person_slot_keeps_only_persons_of_the_words_it_carries():
    lexicon = load_lexicon(PIPELINE.mappings)
    regex = compile_pattern("{a:person} met {b:persons}", lexicon)
    found = regex.search("⟨P0⟩ met the ⟨C0⟩ ⟨P1⟩ and the ⟨C1⟩ ⟨P2⟩ MP")
    assert found and found.group("b") == "⟨P1⟩ and the ⟨C1⟩ ⟨P2⟩ MP"
    (facts,) = report("President Joe Biden met the Japanese Prime Minister Fumio Kishida.")
    assert [p.key for p in facts.meetings[0].participants] == [BIDEN, KISHIDA]


CALL_FROM = ("'{a:person} (?:received|took|answered|accepted|was the recipient of) (?:a |an )?"
             "(?:(?:congratulatory|brief|cordial|warm) )?(?:phone |telephone |video )?call from {b:person}'")


def test_a_slot_that_opens_a_pattern_starts_with_its_token_so_the_search_is_fast():
    lexicon = load_lexicon(PIPELINE.mappings)
    assert compile_pattern("{a:person} met {b:person}", lexicon).pattern.startswith("(?P<a>⟨P")
    assert compile_pattern("^{a:persons} met {b:person}", lexicon).pattern.startswith("^(?P<a>⟨P")
    assert not compile_pattern("talks with {b:person}", lexicon).pattern.startswith("talks with (?P<b>")


@pytest.mark.parametrize("pattern, extra, message", [
    ("'{a:person} {@no_such_words} {b:person}'", "", r"unknown lexicon \{@no_such_words\}"),
    ("'{a:person} {@loop} {b:person}'", "  loop: ['again {@loop}']\n", r"lexicon 'loop' names itself"),
])
def test_a_lexicon_error_names_the_file_and_line(mappings_copy, pattern, extra, message):
    path = mappings_copy / "rules" / "meetings.yaml"
    text = path.read_text()
    assert CALL_FROM in text
    path.write_text(text.replace(CALL_FROM, pattern, 1).replace("lexicon:\n", "lexicon:\n" + extra, 1))
    with pytest.raises(RuleError, match=r"meetings\.yaml:\d+.*" + message):
        load_mappings(mappings_copy)


def test_a_date_told_after_what_someone_said_is_not_the_meetings():
    text = ("Tokyo, 27 June 2014\n\nPrime Minister Fumio Kishida received a courtesy call from Mexican Foreign "
            "Secretary Jose Antonio Meade. Prime Minister Kishida welcomed Secretary Meade to Japan and stated "
            "that relations are developing, including when President Joe Biden visited Japan in April last year.")
    assert [d for _, _, d in recalled(text)] == ["2014-06-27", None]


def test_a_date_in_what_the_host_says_right_after_the_match_is_not_the_meetings():
    text = ("Welcoming Mr. Ravi Desai, Prime Minister of India, President Paul Kagame said Mr. Desai's visit "
            "to Rwanda in January 2014 was a milestone.")
    assert [d for _, _, d in recalled(text)] == [None]


def test_a_date_after_their_first_meeting_since_is_not_the_meetings():
    text = ("Tokyo, 3 March 2023\n\nPresident Joe Biden and Prime Minister Fumio Kishida met in Tokyo, "
            "their first meeting since the summit in Hiroshima in May last year.")
    assert [d for _, _, d in recalled(text)] == ["2023-03-03"]


def test_a_surname_of_several_words_is_the_full_name_the_report_gave():
    text = ("Prime Minister Fumio Kishida met President Luiz Inácio Lula da Silva in Tokyo. "
            "In their talks, Prime Minister Kishida and President Lula da Silva discussed trade.")
    assert {p for p, _, _ in meetings(text)} == {frozenset({KISHIDA, "luiz-inacio-lula-da-silva"})}


VENUES = [
    ("President Joe Biden met Prime Minister Fumio Kishida at the Treaty Room of the Lodge on Monday.",
     "venue:Treaty Room of the Lodge"),
    ("President Joe Biden met Prime Minister Fumio Kishida on the sidelines of the Pacific Islands Forum.",
     "venue:Pacific Islands Forum"),
    ("President Joe Biden met Prime Minister Fumio Kishida in the Oval Office.", "venue:Oval Office"),
    ("At the outset, President Joe Biden met Prime Minister Fumio Kishida.", None),
    ("President Joe Biden met Prime Minister Fumio Kishida at the invitation of the host.", None),
    # an office named after its holder, the article before it dropped
    ("Prime Minister Hiro Tanabe received a courtesy call from Secretary of Defense Harold Brennan at the Prime "
     "Minister's Office.", "venue:Prime Minister's Office"),
    # a headline that names where the report's meeting is held places it
    ("Secretary Harold Brennan Remarks Welcoming Japanese Defense Minister Kenji Morita to the Pentagon\n\n"
     "Secretary of Defense Harold Brennan: Our meeting today shows the strength of our alliance, Minister Morita.",
     "venue:Pentagon"),
]


@pytest.mark.parametrize("sentence, location", VENUES, ids=[v[0][50:90] for v in VENUES])
def test_a_venue_no_gazetteer_knows_is_read_by_its_capitalised_name(sentence, location):
    assert [m.location for facts in report(sentence) for m in facts.meetings] == [location]


def test_a_call_is_held_nowhere_its_sentence_names_what_was_discussed():
    (facts,) = report("President Ana Ruiz of Chile and President Wei Lin of China discussed Lin's visit to Chile "
                      "over the phone on Monday.")
    assert [(m.mode, m.location, m.city) for m in facts.meetings] == [("Phone", None, None)]


def test_a_headline_that_names_a_venue_places_no_call():
    (facts,) = report("Kremlin Reveals What the Presidents Discussed Over the Phone\n\nPresident Ivan Petrov of Russia "
                      "held a telephone conversation with President Ana Ruiz of Chile on Tuesday.")
    assert [(m.mode, m.location, m.city) for m in facts.meetings] == [("Phone", None, None)]


@pytest.mark.parametrize("second, location", [
    ("Their conversation was a continuation of their discussion at the Pentagon last week.", "venue:Pentagon"),
    ("Their conversation in the Situation Room was a continuation of their discussion last week.", None),
])
def test_an_earlier_meeting_is_placed_by_the_words_that_tell_it(second, location):
    (facts,) = report("Secretary of Defense Harold Brennan called Japanese Defense Minister Kenji Morita today. " + second)
    assert [(m.recalled, m.location) for m in facts.meetings] == [(False, None), (True, location)]


def test_the_two_leaders_take_the_sides_the_report_gives_and_are_no_unnamed_principals():
    text = ("Today, President Karim Mansour received at Cairo International Airport Turkish President Emre Aydin. "
            "The two presidents held a closed session of discussions on Egyptian-Turkish relations.")
    (facts,) = report(text)
    assert [{p.key: p.country for p in m.participants} for m in facts.meetings] == \
        [{"karim-mansour": "EG", "emre-aydin": "TR"}]
    assert "unnamed-principals" not in {p.code for p in facts.problems}


def test_the_two_leaders_of_a_report_that_names_two_people_of_two_sides():
    text = ("Japanese Prime Minister Fumio Kishida praised the work of his Indian counterpart Narendra "
            "Modi. The two leaders, along with their delegations, held talks on trade.")
    assert [(set(p), r) for p, r, _ in meetings(text)] == [({KISHIDA, MODI}, "meeting.the-two-leaders")]
    # a report that names three people: whom "the two leaders" are is not said
    assert meetings(text.replace("on trade.", "on trade with President Joe Biden's envoy John Kerry.")) == []


def test_a_lead_paragraph_taken_for_a_heading_is_read_as_a_sentence():
    # a lead without its full stop, above a paragraph, looks like a heading: a long one is read as a sentence too
    text = ("Malta and Croatian PMs in bilateral meeting ahead of summit\n\n28 September 2023\n\n"
            "Prime Minister Carmel Vella and his Croatian counterpart, Ivo Horvat, engaged in a bilateral meeting at "
            "Castille on Thursday\n\nThey held discussions on enhancing trade relations between the two countries and "
            "on energy.\n")
    assert [set(p) for p, _, _ in meetings(text)] == [{"carmel-vella", "ivo-horvat"}]
