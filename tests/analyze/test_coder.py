"""The coder's decisions on the cases that matter to editors, with the evidence behind them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from crankcall.analyze.coder import Coder, default_coder
from crankcall.analyze.contract import contract_json
from crankcall.analyze.lexicon import load_lexicon
from crankcall.errors import DataFileError
from crankcall.models import CodedArticle


def _code(title: str, text: str = "") -> CodedArticle:
    return _rules().code(id="t", title=title, text=text)


@cache
def _rules() -> Coder:
    """The coder without its topic and relation models. The rows here pin what the rules read;
    the models' second readings are scored by the gate (tests/test_gate.py) and by
    tests/analyze/test_topicmodel.py and test_relationmodel.py."""
    coder = default_coder()
    return Coder(coder.gazetteer, coder.lexicon)


@pytest.mark.parametrize(
    ("title", "text", "dyads", "relation"),
    [
        (
            "Russia and North Korea sign mutual defence treaty in Pyongyang",
            "",
            ["KP-RU"],
            "cooperation",
        ),
        ("Putin in Pyongyang", "", ["KP-RU"], "cooperation"),
        # An outsider that only sources the headline ("NIS: ...") leads nothing.
        (
            "NIS: North Korean engineers flown to Russia to service missile launchers",
            "",
            ["KP-RU"],
            "cooperation",
        ),
        (
            "Seoul spy agency: Pyongyang shares missile test data with Moscow",
            "",
            ["KP-RU"],
            "cooperation",
        ),
        # ... nor when the pair's act it sources is friction between them.
        ("NIS: Pyongyang presses Moscow over unpaid shell deliveries", "", ["KP-RU"], "contention"),
        # A Korean headline: the agency, then its quotation. Shells sent are cooperation.
        ("국정원 “북한, 러시아에 포탄 1000만발 이상 보내”", "", ["KP-RU"], "cooperation"),
        ("국정원: 북한, 러시아에 포탄 수백만 발 제공", "", ["KP-RU"], "cooperation"),
        # Ukraine voices it: without the word for providing (提供), no cue, and the pair dropped.
        ("乌克兰称中国向俄罗斯提供无人机零部件", "", ["CN-RU"], "cooperation"),
        # Shielding a third from the Council together is acting together, as a veto is.
        (
            "Moscow and Beijing shield Tehran from Council censure over enrichment",
            "",
            ["CN-IR", "CN-RU", "IR-RU"],
            "cooperation",
        ),
        (
            "Iran summons China's ambassador over Gulf islands statement",
            "",
            ["CN-IR"],
            "contention",
        ),
        ("Chinese banks turn away payments from Russian importers", "", ["CN-RU"], "contention"),
        (
            "Iranian official says China 'has not delivered' on 25-year pact",
            "",
            ["CN-IR"],
            "contention",
        ),
        ("China, Russia, Iran and North Korea voted against the resolution", "", [], "none"),
        ("Iran beat North Korea 3-0 in World Cup qualifier", "", [], "none"),
        # A ranking of the four is a comparison; buying from one another ranked is not.
        (
            "Report ranks Beijing first among state hackers, followed by Moscow and Tehran",
            "",
            [],
            "none",
        ),
        (
            "Iran ranks first among buyers of Chinese drone parts, report says",
            "",
            ["CN-IR"],
            "cooperation",
        ),
        (
            "Moscow and Beijing hold joint naval drills",
            "Russian and Chinese warships began joint exercises in the Sea of Japan on Monday.",
            ["CN-RU"],
            "cooperation",
        ),
        # A headline that names the pair as acting apart says the story is no interaction: the
        # body's drills do not make one.
        (
            "China and Russia stage separate naval drills near Japan",
            "Chinese and Russian warships held exercises in the Sea of Japan on the same days. "
            "Japanese officials said the two fleets trained in different areas.",
            [],
            "none",
        ),
    ],
)
def test_dyads_and_relation(title: str, text: str, dyads: list[str], relation: str) -> None:
    coded = _code(title, text)
    assert list(coded.dyads) == dyads
    assert coded.relation == relation


def test_a_crank_state_alone_is_not_relevant() -> None:
    coded = _code(
        "North Korea fires ballistic missile into the sea",
        "Japan said the missile fell outside its waters.",
    )
    assert not coded.relevant and coded.dyads == () and coded.score < 0.5


def test_outside_sanctions_on_a_network_are_relevant_without_a_dyad() -> None:
    coded = _code(
        "US sanctions Chinese and Iranian suppliers of Russia's drone programme",
        "The Treasury said the firms shipped components used in Russian drones.",
    )
    assert coded.relevant and coded.dyads == () and coded.relation == "none"
    assert coded.topic == "sanctions"


@pytest.mark.parametrize(
    "title",
    [
        # Outside states beyond the great powers, and measures other than sanctions.
        "Australia sanctions Iranian drone makers over supplies to Russia",
        "Canberra sanctions Iranian drone makers over supplies to Russia",
        "Japan freezes assets of Chinese and North Korean firms over Russia support",
        "G7 threatens 'consequences' over Beijing's backing of Moscow's war",
    ],
)
def test_more_outside_measures_are_relevant_without_a_dyad(title: str) -> None:
    coded = _code(title)
    assert coded.relevant and coded.dyads == () and coded.relation == "none", coded.rules


@pytest.mark.parametrize(
    "title",
    [
        "Сборные России и Ирана сыграли вничью в товарищеском матче",
        "女足亚洲杯：朝鲜队点球淘汰中国队",
    ],
)
def test_sport_in_other_languages_is_no_interaction(title: str) -> None:
    coded = _code(title)
    assert coded.dyads == () and not coded.relevant, coded.rules


def test_topic_of_a_bare_visit_is_the_visitor_office() -> None:
    from datetime import date

    coder = _rules()
    visit = coder.code(id="t", title="Belousov in Pyongyang", text="", published=date(2024, 11, 29))
    assert visit.topic == "military"
    assert coder.code(id="t", title="Putin in Pyongyang", text="").topic == "diplomacy"
    security = coder.code(id="t", title="Shoigu in Tehran", text="", published=date(2024, 11, 20))
    assert security.topic == "security_law"  # the Security Council's secretary since May 2024


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        # State media named first as the subject: the story is about the media.
        ("Tasnim and Sputnik sign cooperation memorandum", "information_ops"),
        # ... not when it is the source or the voice.
        ("KCNA: Kim Jong Un receives Russian delegation", "diplomacy"),
        ("KCNA commentary backs Iran in its dispute with Russia's rivals", "diplomacy"),
    ],
)
def test_state_media_as_the_subject_give_the_topic(title: str, topic: str) -> None:
    assert _code_on(title).topic == topic


def test_a_topic_entrys_form_is_true_or_false(tmp_path: Path) -> None:
    topics = tmp_path / "topics.toml"
    topics.write_text('[[topic]]\nid = "energy"\nweight = 2\nform = "yes"\nwords = ["oil"]\n')
    with pytest.raises(DataFileError, match="topic energy: form must be true or false"):
        load_lexicon(topics_path=topics)


def test_an_office_names_titles_or_actors(tmp_path: Path) -> None:
    topics = tmp_path / "topics.toml"
    topics.write_text('[[office]]\ntopic = "military"\n', "utf-8")
    with pytest.raises(DataFileError, match="office military: give titles or actors"):
        load_lexicon(topics_path=topics)


@pytest.mark.parametrize(
    ("title", "text", "topic"),
    [
        # Missiles shipped to a war are arms; a missile programme is nuclear_missile.
        ("Moscow's guns run on North Korean shells and missiles", "", "military"),
        (
            "Iranian engineers help North Korea with long-range missile propellant",
            "",
            "nuclear_missile",
        ),
        # Snapback is the return of UN sanctions.
        ("Moscow and Beijing call the snapback of Iran measures void", "", "sanctions"),
        # An outside declaration with no subject in its headline is diplomacy.
        (
            "NATO summit calls China an enabler of Russia's war",
            "The leaders said Chinese supplies of machine tools and drone parts sustain the "
            "military industry that Russia uses to build weapons and shells.",
            "diplomacy",
        ),
        (
            "Russian and Chinese interior ministers sign state security cooperation plan",
            "",
            "security_law",
        ),
        ("Iranian film festival opens in Pyongyang with Russian guests", "", "other"),
        # Leaders at a military parade are diplomacy; a warship taking part is military.
        ("Putin and Kim watch Beijing military parade from Xi's rostrum", "", "diplomacy"),
        ("Iranian frigate sails in Russian Navy Day parade", "", "military"),
        # A satellite launched for another with reported military use is military.
        (
            "Soyuz lifts Iran's Khayyam into orbit; Moscow may use its images over Ukraine",
            "",
            "military",
        ),
        # Seizing contraband is law enforcement; an airline's route is people travelling.
        ("Russia seizes contraband cigarettes from North Korean freighter", "", "security_law"),
        ("China Southern resumes Guangzhou-Pyongyang service", "", "other"),
        # An energy commodity traded is energy; trade itself, or its money, stays trade.
        ("Russian coal exports to China fall as Beijing restores import tariff", "", "energy"),
        ("中国恢复煤炭进口关税 俄罗斯煤企对华出口承压", "", "energy"),
        ("China, Russia trade hits record as oil imports rise", "", "trade_finance"),
        ("Russian banks stall payments for Chinese coal buyers", "", "trade_finance"),
        # A sanction broken is the story, whatever goods cross; goods beside a sanction
        # that no one breaks stay their own topic.
        ("Tankers carry Russian diesel to North Korea far beyond the UN cap", "", "sanctions"),
        (
            "Iranian crude reaches Chinese refiners via ship-to-ship swaps off Malaysia",
            "",
            "sanctions",
        ),
        ("North Korean seamstresses work in Russian factories, breaching UN ban", "", "sanctions"),
        ("Russian refiners sell more fuel to China after U.S. sanctions", "", "energy"),
        # Censors and TV segments are information; a swearing-in and visa-free entry are other.
        ("Chinese censors delete posts mocking Russia's army", "", "information_ops"),
        ("Iranian TV to air Russian news segments each evening", "", "information_ops"),
        ("Russian Duma deputies attend swearing-in of Iran's president", "", "other"),
        ("伊朗对中国公民实行免签政策", "", "other"),
        # Seizing a ship or raiding a farm is law enforcement, in each language.
        ("朝方扣押两艘中国渔船", "", "security_law"),
        ("Iranian officers raid Chinese-run bitcoin farms outside Tehran", "", "security_law"),
        # A headline of help with no topic word, and missiles in the body with no word of a
        # programme: the missiles are arms (this once failed with an error).
        (
            "Pyongyang's engineers help Tehran with its Shahab line, dossier says",
            "The dossier says the engineers spent months at a missile works outside Isfahan.",
            "military",
        ),
        # Weapon systems by name are arms.
        ("Moscow holds back S-400 batteries promised to Beijing", "", "military"),
        ("Moscow ships Pantsir systems to Tehran, Israeli officials say", "", "military"),
    ],
)
def test_topic_is_the_subject_not_the_form(title: str, text: str, topic: str) -> None:
    assert _code(title, text).topic == topic


@pytest.mark.parametrize(
    ("title", "text", "relation"),
    [
        # A headline that turns carries both kinds: mixed.
        ("Moscow and Beijing deepen ties but still disagree on gas price", "", "mixed"),
        (
            "Tehran presses Pyongyang over unpaid bills even as arms deliveries continue",
            "",
            "mixed",
        ),
        ("Pyongyang bristles as Beijing courts Seoul", "", "contention"),
        # Barter is trade between the pair, whatever holds up its payments.
        ("Russia, China turn to barter as payment snags persist", "", "mixed"),
        # An outside state that only reports or causes the friction does not take it over.
        (
            "Beijing presses Pyongyang to bring workers home, straining ties, Seoul says",
            "",
            "contention",
        ),
        (
            "Chinese firms suspend work on Russian gas project after U.S. sanctions",
            "",
            "contention",
        ),
        # The same when the headline names only one of the pair.
        (
            "Chinese partners suspend participation in Arctic project after U.S. sanctions",
            "Russia's Novatek and the Chinese partners had agreed to expand the project.",
            "contention",
        ),
        # ... but one that voices it does.
        ("Beijing presses Pyongyang, straining ties, U.S. officials warn", "", "cooperation"),
        # A snub and a commodity flow that grows.
        (
            "North Korea sends low-level delegation to China's National Day reception",
            "",
            "contention",
        ),
        ("Russian LNG to China surges", "", "cooperation"),
        # A halt makes the talks the object of friction.
        ("Chinese refiner suspends talks on Russian oil venture", "", "contention"),
        # Friction one CRANK state voices at another stays theirs beside an outsider.
        (
            "North Korea bristles at Russia's contacts with Seoul",
            "North Korea is irritated as Russia keeps talking to South Korea, diplomats said.",
            "contention",
        ),
        # The headline leads the one dyad's relation even when it names only one of the pair.
        (
            "Engineer charged with treason over leak to China",
            "Russian prosecutors said the engineer passed documents to Chinese contacts. "
            "Moscow and Beijing have praised their partnership and agreed to expand cooperation.",
            "contention",
        ),
    ],
)
def test_relation_rules(title: str, text: str, relation: str) -> None:
    assert _code(title, text).relation == relation


def test_evidence_and_actor_spans_index_title_and_text_joined() -> None:
    title = "Shoigu meets Kim in Pyongyang"
    text = "Russia's Security Council secretary Sergei Shoigu met North Korean leader Kim Jong Un on Friday."
    coded = _code(title, text)
    document = f"{title}\n\n{text}"
    assert coded.dyads == ("KP-RU",)
    for mention in coded.actors:
        assert document[mention.start : mention.end] == mention.text
    for evidence in coded.evidence:
        assert document[evidence.start : evidence.end] == evidence.text
    assert coded.interactions[0].dyad == "KP-RU" and coded.interactions[0].evidence


def test_contract_json_has_exactly_the_contract_fields() -> None:
    data = contract_json(_code("Lavrov and Araghchi discuss ties in Moscow"))
    assert list(data) == [
        "id",
        "relevant",
        "score",
        "crank",
        "dyads",
        "relation",
        "topic",
        "event_type",
        "intensity",
        "actors",
        "evidence",
        "coder",
    ]
    assert set(data["actors"][0]) == {"id", "country", "text", "start", "end"}  # type: ignore[index]
    assert 0.0 <= data["score"] <= 1.0  # type: ignore[operator]
    assert -10 <= data["intensity"] <= 10  # type: ignore[operator]


@pytest.mark.parametrize(
    ("title", "text", "relation"),
    [
        # The body goes on naming one of the pair at a time: its friction is the pair's.
        (
            "Iran and Russia open new rail freight route",
            "Iran and Russia opened a freight route through Azerbaijan on Monday. "
            "Iranian hauliers, however, complain that inspectors at the border reject their "
            "loads on technicalities.",
            "mixed",
        ),
        (
            "Russia and North Korea sign deal on seasonal workers",
            "Russia and North Korea signed a deal on Tuesday to bring North Korean workers to "
            "building sites in the Far East. But contractors say Pyongyang has "
            "repeatedly delayed sending the crews it promised.",
            "mixed",
        ),
        # A sentence naming an outside state is not carried: the friction is with it.
        (
            "Iran and Russia open new rail freight route",
            "Iran and Russia opened a freight route on Monday. "
            "Russia has long been at odds with Ukraine over grain.",
            "cooperation",
        ),
    ],
)
def test_the_body_naming_one_of_the_pair_speaks_for_it(
    title: str, text: str, relation: str
) -> None:
    coded = _code(title, text)
    assert coded.dyads == (coded.dyads[0],) and coded.relation == relation, coded.rules


def test_sentences_naming_one_of_the_pair_are_evidence_not_topic() -> None:
    coded = _code(
        "Iran and Russia open new rail freight route",
        "Iran and Russia opened a freight route through Azerbaijan on Monday. "
        "Iranian hauliers, however, complain that inspectors reject their loads.",
    )
    assert any("naming one of the pair" in rule for rule in coded.rules)
    assert any("hauliers" in e.text for e in coded.interactions[0].evidence)


def test_rules_explain_the_decision() -> None:
    coded = _code("China, Russia, Iran and North Korea voted against the resolution")
    assert any("list" in rule for rule in coded.rules)


@pytest.mark.parametrize(
    ("title", "dyads", "relation"),
    [
        (
            "Russia, Iran and China wrap up naval exercise in Gulf of Oman",
            ["CN-IR", "CN-RU", "IR-RU"],
            "cooperation",
        ),
        ("China, Russia at odds over gas price", ["CN-RU"], "contention"),
        # Failing to agree is friction only the pair can have with each other.
        ("Russia and Iran fail to agree on gas hub price", ["IR-RU"], "contention"),
        ("Russia, China fail to reach deal on Power of Siberia 2 price", ["CN-RU"], "contention"),
        ("Moscow and Tehran fail to sign long-awaited treaty", ["IR-RU"], "contention"),
        # An outsider named before a colon is the source, not the actor the headline leads with.
        ("Seoul: North Korean troops in Kursk suffer heavy losses", ["KP-RU"], "cooperation"),
        ("Iran, Russia link Mir and Shetab bank card networks", ["IR-RU"], "cooperation"),
        # Giving is a transfer; giving up on the other's goods is friction.
        ("North Korea gives Russia millions of shells", ["KP-RU"], "cooperation"),
        ("Iran gives up on Russian fighter jets", ["IR-RU"], "contention"),
        # A meeting that yields no new deals is a meeting with a shortfall.
        ("Beijing hosts North Korean trade delegation, signs no new deals", ["CN-KP"], "mixed"),
        # "Next" as a date or the next round is no comparison; what comes next for them is.
        ("Putin to visit Pyongyang next month", ["KP-RU"], "cooperation"),
        ("Iran and Russia to sign treaty next year", ["IR-RU"], "cooperation"),
        ("Is Iran the next North Korea?", [], "none"),
        # Ties that hit a bump or are on the rocks are friction; a bar is no ban.
        ("Xi-Putin bromance hits a bump over gas pipeline", ["CN-RU"], "contention"),
        ("Chinese karaoke bars thrive in Pyongyang", ["CN-KP"], "cooperation"),
        # Ties the friction is about are its object, not cooperation beside it; not past "despite".
        ("Russia-China ties strained over gas price", ["CN-RU"], "contention"),
        ("China-North Korea relations on the rocks, diplomats say", ["CN-KP"], "contention"),
        ("Russia-China trade grows despite delays at border", ["CN-RU"], "mixed"),
        # A currency pair traded or settled is trade between the two.
        ("Iran and Russia launch rial-ruble trading on Moscow exchange", ["IR-RU"], "cooperation"),
        # What one would like to do is no likeness.
        ("Iran would like to buy Russian fighter jets", ["IR-RU"], "cooperation"),
        ("Like Iran, North Korea defies the West", [], "none"),
        ("Moscow and Beijing blame Washington for tensions", [], "none"),
        ("Russia and China condemn U.S. strikes on Iran", ["CN-IR", "IR-RU"], "cooperation"),
        (
            "Tehran's interest in North Korean shells cooled after Russia deals",
            ["IR-KP"],
            "contention",
        ),
        ("Xi met Pezeshkian in Kazan on the sidelines of the summit", ["CN-IR"], "cooperation"),
        ("China forcibly repatriates North Korean defectors", ["CN-KP"], "cooperation"),
        ("Beijing 'firmly opposes' UN sanctions on Iran", ["CN-IR"], "cooperation"),
        # A host meets each guest; the guests named in a list do not meet each other ...
        ("Xi hosts Putin, Pezeshkian at Tianjin SCO summit", ["CN-IR", "CN-RU"], "cooperation"),
        (
            "Xi held talks with Putin and Pezeshkian in Tianjin",
            ["CN-IR", "CN-RU"],
            "cooperation",
        ),
        # A host welcoming, receiving or greeting a listed pair meets each of them too ...
        (
            "Xi welcomes Putin, Pezeshkian as SCO summit opens in Tianjin",
            ["CN-IR", "CN-RU"],
            "cooperation",
        ),
        ("Putin receives Xi, Pezeshkian in Kazan", ["CN-RU", "IR-RU"], "cooperation"),
        # ... where a pair welcoming a third's step acts in parallel towards it.
        ("Russia, China welcome Iran's entry into SCO", ["CN-IR", "IR-RU"], "cooperation"),
        # ... unless the three meet together, as a host's guests do in a drill.
        (
            "Tehran hosts Russian, Chinese navies for Maritime Security Belt drill",
            ["CN-IR", "CN-RU", "IR-RU"],
            "cooperation",
        ),
        (
            "Xi held trilateral talks with Putin and Pezeshkian in Tianjin",
            ["CN-IR", "CN-RU", "IR-RU"],
            "cooperation",
        ),
        (
            "Xi, Putin and Pezeshkian held talks in Tianjin",
            ["CN-IR", "CN-RU", "IR-RU"],
            "cooperation",
        ),
        (
            "Xi, Putin and Kim stand side by side at Beijing parade",
            ["CN-KP", "CN-RU", "KP-RU"],
            "cooperation",
        ),
    ],
)
def test_clauses_lists_venues_and_targets(title: str, dyads: list[str], relation: str) -> None:
    coded = _code(title)
    assert list(coded.dyads) == dyads
    assert coded.relation == relation


@pytest.mark.parametrize(
    ("title", "relevant"),
    [
        ("Report names China, Russia, Iran and North Korea as top cyber threats", False),
        # ... whoever names them: the states in a row are no group word of their own ...
        ("U.S. names China, Russia, Iran and North Korea as top threats in annual report", False),
        # ... unless the measure is a sanction.
        ("U.S. sanctions network supplying China, Russia, Iran and North Korea", True),
        # A headline of two sentences names the group in its second.
        ("Four Problems or One? The West Needs a Strategy for the CRANK Alignment", True),
        ("Think tank urges allies to counter CRINK sanctions evasion", True),
        ("US and allies sign pact amid concern over North Korea-Russia military ties", True),
    ],
)
def test_outside_lists_and_groups(title: str, relevant: bool) -> None:
    coded = _code(title)
    assert coded.relevant is relevant and coded.dyads == ()


def test_russian_case_forms_are_found() -> None:
    coded = _code("Ракетоносцы России и Китая провели совместное патрулирование")
    assert coded.crank == ("CN", "RU") and coded.dyads == ("CN-RU",)


def test_a_hyphenated_pair_names_the_pair_not_a_list() -> None:
    assert _code("China brokers Russia-Iran deal").dyads == ("CN-IR", "CN-RU", "IR-RU")
    assert _code("China watches as Russia-North Korea ties deepen").dyads == ("KP-RU",)


def _code_on(
    title: str,
    text: str = "",
    on: tuple[int, int, int] = (2024, 6, 1),
) -> CodedArticle:
    from datetime import date

    return _rules().code(id="t", title=title, text=text, published=date(*on))


WIRE_RELATIONS = [
    # "China-Iran trade" that slides is the object of friction, not cooperation beside it.
    ("China-Iran trade slides as oil purchases tumble", "", "contention"),
    # A turn at the start of a sentence sets it against the one before: both kinds weigh.
    (
        "Russian firms in Iran",
        "Russia and Iran signed agreements on rail and customs cooperation on Monday. But "
        "Russian exporters complained that Iranian banks were slow to pay.",
        "mixed",
    ),
    # A body sentence turning with both kinds makes a friction-led story mixed too.
    (
        "Russia-China trade slips as ties cool",
        "Russian timber exports to China continued, but Chinese car shipments to Russia declined.",
        "mixed",
    ),
    # Friction one of the pair shields the other from is an outsider's.
    ("Beijing shields Pyongyang from Security Council condemnation", "", "cooperation"),
    (
        "China and Russia block statement on North Korean launch",
        "China and Russia prevented the Security Council from issuing a statement "
        "condemning North Korea's launch.",
        "cooperation",
    ),
    # Cooperation that friction is "over" is its object.
    ("Iran rebukes Russia over corridor talks", "", "contention"),
    # ... and so is cooperation that friction is said to harm.
    (
        "Chinese embassy calls Russian TV remarks harmful to friendship with Russia",
        "",
        "contention",
    ),
    # Wire phrasing of friction and of cooperation.
    ("Moscow's fee hike hits Chinese car makers in Russia", "", "contention"),
    ("Beijing's new map lays claim to island Russia holds", "", "contention"),
    ("China tells North Korea to recall its workers", "", "contention"),
    ("Russia-China trade falls despite warm words", "", "mixed"),
    ("Iran's crude exports to China set a new record", "", "cooperation"),
    # Words of briefings and tickers (book G's odd lines): a declined request, a warning
    # shot, a plug pulled, a cut in deliveries are friction; shielding one's own makers is
    # not support of the other; "cut a deal" still is cooperation.
    ("Beijing declines Pyongyang's request for more fertiliser", "", "contention"),
    ("Moscow ignores Tehran's invitation to naval parade", "", "contention"),
    ("Tehran raises duties on Chinese steel to shield local mills", "", "contention"),
    ("Russia cuts gas deliveries to China below contract levels", "", "contention"),
    ("Russia and China cut a deal on gas deliveries", "", "cooperation"),
    ("North Korean coast guard fires warning shots at Chinese fishing boats", "", "contention"),
    ("Pyongyang pulls plug on China bridge opening", "", "contention"),
    ("North Korean lifter beats Chinese rival in weightlifting final", "", "none"),
    ("两名中国公民在伊朗遭拘押 中方提出交涉", "", "contention"),
    # A headline turning from what the pair does, in words no cue knows, to friction: mixed;
    # one whose friction comes before the turn stays contention.
    (
        "Iranian trawlers return to Russia's Caspian waters, but inspectors seize two boats",
        "",
        "mixed",
    ),
    ("Beijing quietly cancels Pyongyang trip, but gives no reason", "", "contention"),
    # What a request, an invitation or a sale refused or blocked was for is its object.
    ("Tehran turns down Russian request to open trade office in Bandar Abbas", "", "contention"),
    ("Beijing blocks sale of drone engines to Russia", "", "contention"),
    ("Pyongyang snubs invitation to Iranian defence fair", "", "contention"),
    ("Tehran sends only a deputy minister to Moscow's Victory Day parade", "", "contention"),
    ("КНДР проигнорировала приглашение России на форум", "", "contention"),
    # Fines, a cry of foul, an unfriendly ruling are friction; "expand freight" and exchanges
    # pledged are cooperation, and so is one state firing or leaning on the other's weapons.
    ("Vladivostok court fines Chinese shipping agent; consulate cries foul", "", "contention"),
    ("Russia and China expand rail freight through Zabaikalsk", "", "cooperation"),
    ("Iranian and Russian student unions pledge exchanges", "", "cooperation"),
    ("Kyiv says Moscow fired Iranian ballistic missiles at Odesa", "", "cooperation"),
    ("Kyiv says dozens of Chinese nationals are fighting for Russia", "", "cooperation"),
    ("North Korean soldiers come home with Russian medals", "", "cooperation"),
    # A report from the provinces names its region, not its country.
    ("Liaoning traders reopen seafood trade with North Korea", "", "cooperation"),
    ("Nakhodka customs seizes North Korean cargo", "", "contention"),
    # The four states' media write of their own side without naming it; Persian and Chinese
    # meetings, bans and cuts.
    ("我国对朝化肥出口恢复", "", "cooperation"),
    ("دیدار سفیر جمهوری دموکراتیک خلق کره با وزیر کشور ایران", "", "cooperation"),
    ("ممنوعیت واردات لبنیات از روسیه به ایران", "", "contention"),
    ("山东炼厂削减伊朗原油进口", "", "contention"),
    # A headline of two halves joined by no word (a semicolon, an ellipsis, a space between
    # Chinese clauses) turns as "but" does; produce on shelves is no deal shelved.
    ("Chinese buses fill Tehran's depots; Iranian customs fine the importer", "", "mixed"),
    ("中俄贸易额再创新高 俄方不满人民币结算受阻", "", "mixed"),
    ("Russian grain reaches Nampo; Pyongyang delays payment", "", "mixed"),
    ("Tehran shelves rail deal with Moscow", "", "contention"),
    ("Iranian apples fill Russian shelves", "", "cooperation"),
]
"""Relations as wire copy and analysis write them (turns, objects of friction, fee hikes)."""


@pytest.mark.parametrize(
    ("title", "text", "relation"),
    [
        # Friction of the pair's own in a sentence of its own makes a story of cooperation mixed.
        (
            "Moscow and Beijing sign gas supply deal",
            "The two countries agreed to expand supplies. Russian officials complained that "
            "Chinese banks keep delaying payments for Russian exports.",
            "mixed",
        ),
        # ... but not friction that is only hedged ("could be delayed").
        (
            "Moscow and Beijing sign gas supply deal",
            "The two countries agreed to expand supplies. Officials said the contract could be "
            "delayed.",
            "cooperation",
        ),
        # ... nor a denial of an outsider's claim.
        (
            "Chinese firms supply drone parts to Russia, report says",
            "Researchers said Chinese firms supplied engines to Russian drone makers. China's "
            "foreign ministry rejected the claim.",
            "cooperation",
        ),
        # ... nor friction the pair voices together at an outside measure.
        (
            "Putin hails ties with Kim ahead of visit",
            "Putin said Russia and North Korea would jointly resist illegitimate unilateral "
            "restrictions imposed by the West.",
            "cooperation",
        ),
        # ... nor background: what the pair did years before the article.
        (
            "Iran and China deepen ties",
            "Iranian officials praised China's support. China and Iran signed a 25-year "
            "cooperation agreement in 2021, and Tehran complained then that investment lagged.",
            "cooperation",
        ),
        # "Not only" widens a cue, it does not negate it.
        (
            "Russia and China mark treaty anniversary",
            "Beijing said it would not only cooperate with Moscow but expand trade with Russia.",
            "cooperation",
        ),
        # Talks in a "restricted format" restrict nothing.
        (
            "China and North Korea hold talks in Beijing",
            "The talks between China and North Korea began in a restricted format.",
            "cooperation",
        ),
        # "The two sides" make friction theirs beside a transit state.
        (
            "China and Russia hold talks on gas pipeline",
            "Talks on the pipeline between China and Russia via Mongolia have made little "
            "progress, with the two sides apart on price.",
            "mixed",
        ),
        # Detaining escapees to hand them back is a favour to their government.
        (
            "Russian police detain North Korean workers who fled",
            "Police in Vladivostok detained two North Korean labourers who had fled their "
            "worksite, a rights group said.",
            "cooperation",
        ),
        # Wire verbs of friction: firms exit, talks stall over price.
        ("Chinese firms quietly exit Iranian projects", "", "contention"),
        # A cooperation cue that is the subject of friction is its object: contention.
        ("Russia-China gas deal stalls", "", "contention"),
        ("Iran-Russia rail corridor project delayed again", "", "contention"),
        # Wire verbs of trade that grows back, and of deliveries that arrive, beside friction.
        ("Russian coal trade with China rebounds in March", "", "cooperation"),
        (
            "North Korea's trade with China picks up, yet Pyongyang grumbles over checks",
            "",
            "mixed",
        ),
        ("Chinese aid convoy reaches North Korea amid row over border closures", "", "mixed"),
        ("First Russian grain train reaches Iran, but fees dispute lingers", "", "mixed"),
        # ... and not when the growth is negated.
        ("Iran's trade with China has yet to rebound, Tehran complains", "", "contention"),
        # Plants opened, exports started, labour gaps filled, fuel that keeps a country going.
        ("Chinese carmaker opens second assembly plant in Russia", "", "cooperation"),
        ("Iran to start oil exports to North Korea, documents show", "", "cooperation"),
        ("North Korean labourers fill Russian staffing shortages", "", "cooperation"),
        ("Russian diesel keeps North Korean trucks running", "", "cooperation"),
        # Keeping the other side's ships, trucks or tourists waiting is friction.
        ("Iranian customs keep Russian trucks waiting for weeks", "", "contention"),
        ("Russian tankers set Arctic record as China buys more LNG", "", "cooperation"),
        # Condemning an attack on the other is standing by it; condemning the other is not.
        ("Beijing condemns air strikes on Iran's nuclear facilities", "", "cooperation"),
        ("Pyongyang denounces the attack on Iran's embassy in Syria", "", "cooperation"),
        ("Russia condemns Iran over attack on a tanker", "", "contention"),
        # Trade that has all but vanished is the object of friction, as trade that slides is.
        ("North Korea-Iran trade close to zero, report says", "", "contention"),
        ("Rodong Sinmun halves its coverage of China", "", "contention"),
        # One CRANK state's dealings with an outsider irk another: the outsider, object of a
        # preposition in the subject, is not the voice of the friction.
        ("Moscow's overtures to Seoul irk Pyongyang", "", "contention"),
        ("Beijing's warming ties with Washington unsettle Moscow", "", "contention"),
        ("Tehran miffed as Moscow drags feet on fighter jet deal", "", "contention"),
        *WIRE_RELATIONS,
    ],
)
def test_friction_of_the_pair_own_and_what_is_not(title: str, text: str, relation: str) -> None:
    assert _code_on(title, text).relation == relation


@pytest.mark.parametrize(
    ("title", "relation", "dyads"),
    [
        # A turn ("but") ends what a stall after a cue may reach: the signing stays cooperation.
        ("China and Russia sign record trade deals but pipeline stalls", "mixed", ["CN-RU"]),
        # A pair named as one keeps its own friction beside an outside state.
        ("Kazakhstan becomes arena for Russia-China rivalry", "contention", ["CN-RU"]),
        (
            "U.S. officials see Moscow and Beijing at odds over Arctic shipping",
            "contention",
            ["CN-RU"],
        ),
        # ... but what such a pair voices together is aimed elsewhere.
        (
            "Moscow and Beijing condemned the U.S. strikes on Iran",
            "cooperation",
            ["CN-IR", "IR-RU"],
        ),
        # Far from a deal, short of a pledge, pulling out, blocking a bid: friction.
        (
            "Gazprom, CNPC still far from Power of Siberia 2 price deal, sources say",
            "contention",
            ["CN-RU"],
        ),
        ("China's investment in Iran falls far short of 25-year pact pledges", "mixed", ["CN-IR"]),
        ("Chinese firms pull out of Russian Arctic LNG project", "contention", ["CN-RU"]),
        ("Russia blocks Chinese bid for stake in Far East port", "contention", ["CN-RU"]),
        ("China quietly curbs exports of drone parts to Russia", "contention", ["CN-RU"]),
        ("Xi declines to meet North Korean envoy, sources say", "contention", ["CN-KP"]),
        ("China sends North Korean workers home in quiet squeeze", "contention", ["CN-KP"]),
        ("Iran says Russia let it down over S-400 request", "contention", ["IR-RU"]),
        ("Russian analysts question China's reliability as a partner", "contention", ["CN-RU"]),
        ("North Korea, China reopen bridge but trade stays thin", "mixed", ["CN-KP"]),
        # Growth verbs before trade words, record purchases of a commodity: cooperation.
        ("Iran, China expand trade despite disputes over unpaid oil bills", "mixed", ["CN-IR"]),
        ("China buys record Russian oil even as payments snarl", "mixed", ["CN-RU"]),
        # Blocking a Council text shields the third state: no friction with it.
        (
            "Chinese, Russian envoys block Security Council statement on Pyongyang",
            "cooperation",
            None,
        ),
    ],
)
def test_wire_phrases_of_friction(
    title: str, relation: str | None, dyads: list[str] | None
) -> None:
    coded = _code_on(title, "")
    assert coded.relation == relation
    if dyads is not None:
        assert list(coded.dyads) == dyads


def test_a_cue_in_a_crowded_sentence_belongs_to_the_states_it_stands_between() -> None:
    coded = _code_on(
        "Chinese border city turns back North Korean trucks",
        "Chinese customs in Dandong turned back dozens of North Korean trucks this month.\n\n"
        "Analysts said the move reflects Beijing's irritation with Pyongyang's growing "
        "closeness to Moscow.",
    )
    assert coded.dyads == ("CN-KP",)
    assert coded.relation == "contention"
    # ... and a listed state stands with its neighbour: all three sign.
    three = _code_on("Russia and China sign deals with Iran at Kazan meeting", "")
    assert {"CN-IR", "IR-RU"} <= set(three.dyads)


@pytest.mark.parametrize(
    ("sentence", "dyads"),
    [
        # The subject's states before the cue, the others right after it: the cue joins each
        # of the first with each of the second, not the first among themselves.
        ("Russia and China signed deals with Iran on Tuesday.", ("CN-IR", "IR-RU")),
        (
            "Iran will continue to deepen strategic cooperation with Russia and China.",
            ("CN-IR", "IR-RU"),
        ),
        # The states named in a vote against a measure shield the state it aims at.
        (
            "The board declared Iran in breach of its duties, in a vote that Russia and China "
            "opposed.",
            ("CN-IR", "IR-RU"),
        ),
        # A pair named after "between" is the pair itself, whoever watches it.
        (
            "Beijing is watching the military cooperation between Russia and North Korea.",
            ("KP-RU",),
        ),
        ("Beijing has watched the new defence treaty between Moscow and Pyongyang.", ("KP-RU",)),
        # Not a cue far from its subject or across a clause.
        ("China says it supplies no weapons, and Iran and North Korea deny the same.", ()),
        (
            "China's nuclear arsenal is growing fast, according to U.S. estimates, while Russia "
            "has suspended its participation in the treaty and North Korea tests missiles.",
            (),
        ),
    ],
)
def test_a_cue_in_a_crowded_body_sentence_makes_the_pairs_it_plainly_joins(
    sentence: str, dyads: tuple[str, ...]
) -> None:
    """Until 2026-11-29 a cue in a body sentence naming three CRANK states counted for no
    pair: a Tehran Times column's "Iran will continue to deepen strategic cooperation with
    Russia and China" gave none."""
    coded = _code_on("Tehran weighs its options", sentence)
    assert coded.dyads == dyads


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        ("Payment jam leaves Russian exporters waiting months for Chinese cash", "contention"),
        ("Iran, Russia link payment systems, but trade stays small", "mixed"),
        ("Beijing frowns on Pyongyang's missile test", "contention"),
        # Back after a verb of return is no backing.
        ("Chinese customs turn back North Korean ships", "contention"),
        ("Russia backs Iran at the IAEA board", "cooperation"),
        # A semicolon turns a headline; buying is trade.
        ("Russia, China deepen energy ties; gas price gap persists", "mixed"),
        ("China buys Iranian oil at steep discounts as Tehran complains of squeeze", "mixed"),
        # Verbs of restriction in the languages of state media.
        ("Россия ограничила ввоз китайских грузовиков", "contention"),
    ],
)
def test_more_wire_phrases(title: str, relation: str) -> None:
    assert _code_on(title, "").relation == relation


def test_friction_that_has_lasted_for_years_is_news() -> None:
    """ "For years" says how long friction has gone on, not that it is over."""
    coded = _code_on(
        "Iran, Russia agree to boost rail corridor funding",
        "Iranian and Russian officials agreed on Saturday to speed up financing for the "
        "Rasht-Astara railway.\n\nThe project has been delayed for years, and Iranian officials "
        "have complained that Russian loan disbursements are slow.",
    )
    assert coded.relation == "mixed"


@pytest.mark.parametrize(
    ("title", "relation", "dyads"),
    [
        # One state voices friction at another listed with an outsider, or named after a turn
        # whose clause has no subject of its own.
        ("Iran summons British and Russian envoys over conference photo", "contention", ["IR-RU"]),
        (
            "China opposes IAEA censure of Iran but urges Tehran to work with inspectors",
            "mixed",
            ["CN-IR"],
        ),
        # ... whoever is named between: the IAEA here is where, not who.
        (
            "Beijing shields Iran at the IAEA board, but presses Tehran on inspector access",
            "mixed",
            ["CN-IR"],
        ),
        # A CRANK government calling a measure on its own firms illegal answers it.
        (
            "Russia calls U.S. sanctions on its shippers over North Korean fuel deals illegal",
            "none",
            [],
        ),
        # Slowing transfers and trade are friction, after a pledge too.
        (
            "Kim vows more help for Russia's war as shell shipments reportedly slow",
            "mixed",
            ["KP-RU"],
        ),
        (
            "Chinese deliveries of drone parts to Russia dwindle as banks balk",
            "contention",
            ["CN-RU"],
        ),
        ("Russia-China trade slows for a third month", "contention", ["CN-RU"]),
        # What did not happen: no joint statement, payments that cannot be made, nothing arrived.
        ("Putin's Pyongyang welcome: honour guard, but no joint communique", "mixed", ["KP-RU"]),
        (
            "Russian tour groups are back in Beijing, but they cannot pay by card",
            "mixed",
            ["CN-RU"],
        ),
        (
            "Iranian official: not one barrel of Russian fuel has arrived yet",
            "contention",
            ["IR-RU"],
        ),
        # ... programmes dropped, hackers, money gone, parts late, beside deals yielded and
        # business brisk.
        ("Pyongyang radio drops Russian news bulletins from its schedule", "contention", ["KP-RU"]),
        (
            "Dandong traders report brisk business with North Korea, slow payments",
            "mixed",
            ["CN-KP"],
        ),
        (
            "Chinese hackers target Russian satellite makers as Moscow and Beijing pledge cyber "
            "solidarity",
            "mixed",
            ["CN-RU"],
        ),
        (
            "Pezeshkian's Moscow visit yields 12 agreements; Iranian traders ask where the money went",
            "mixed",
            ["IR-RU"],
        ),
        # An envoy after a turn speaks for the first state; a record and a "new era" are
        # cooperation beside the friction.
        (
            "Russia shields North Korea at the UN, but its ambassador presses Pyongyang on talks",
            "mixed",
            ["KP-RU"],
        ),
        ("Russia's coal to China: record in March, price row in April", "mixed", ["CN-RU"]),
        ("Kim leaves Moscow with a 'new era' declaration and no deal on jets", "mixed", ["KP-RU"]),
        # Friction words of reporting on the four.
        ("Leaked Zarif tape says Russia tried to sabotage nuclear deal", "contention", ["IR-RU"]),
        ("North Korean troops fired on Russian unit by mistake", "contention", ["KP-RU"]),
        ("China's UnionPay shuns Russian banks over sanctions fears", "contention", ["CN-RU"]),
        (
            "Araghchi says Armenian border is Iran's red line, Moscow has been told",
            "contention",
            ["IR-RU"],
        ),
        (
            "Iran's foreign ministry calls Russia-GCC wording on the islands 'unacceptable'",
            "contention",
            ["IR-RU"],
        ),
        # The clause after "but" has no subject of its own: North Korea keeps the Chinese out.
        (
            "North Korea welcomes Russian tourists but keeps Chinese tour groups out",
            "mixed",
            ["CN-KP", "KP-RU"],
        ),
        # ... and of cooperation, beside friction in a turning headline.
        (
            "North Korean shells keep Russia's guns firing, though quality complaints mount",
            "mixed",
            ["KP-RU"],
        ),
        (
            "Visa-free travel lifts Chinese tourism to Russia, but border delays irk travellers",
            "mixed",
            ["CN-RU"],
        ),
        (
            "Iran, Russia hold Caspian naval drill amid Tehran's anger over islands statement",
            "mixed",
            ["IR-RU"],
        ),
        ("Moscow, Tehran vow to speed Rasht-Astara railway as delays pile up", "mixed", ["IR-RU"]),
        # A transfer's words stop at the turn: what remains elusive is the rest.
        (
            "Iran gets Russian trainer jets and helicopters, but Su-35s remain elusive",
            "mixed",
            ["IR-RU"],
        ),
        # Other names in a list keep it a list.
        (
            "Internet freedom declines again; China, Myanmar, Iran and Russia among worst",
            "none",
            [],
        ),
        # Russian and Chinese words of failed price talks and stuck payments.
        ("«Сила Сибири 2»: Москва и Пекин снова не сошлись в цене", "contention", ["CN-RU"]),
        ("中俄贸易额创新高 支付难题仍困扰企业", "mixed", ["CN-RU"]),
        # States that act each on their own, or stay away together, do not interact.
        ("Russia and China hold separate drills near Japan", "none", []),
        ("Xi, Putin separately congratulate Lee Jae-myung on election win", "none", []),
        # An outsider's pressure that moves a CRANK state causes what it does; it does not voice
        # it.
        (
            "Beijing quietly curbs exports of dual-use goods to Russia after pressure from EU",
            "contention",
            ["CN-RU"],
        ),
        # An anniversary of ties, greetings exchanged: the pair's consultation.
        (
            "China and North Korea mark 75 years of diplomatic ties with exchange of messages",
            "cooperation",
            ["CN-KP"],
        ),
        # A state that says it never gave what it is said to give denies it: no friction.
        ("Beijing says it never provided lethal aid to Moscow", "cooperation", ["CN-RU"]),
        ("China, Russia, Iran and North Korea absent from Ukraine peace summit", "none", []),
        # ... while one staying away from the other's event snubs it.
        ("Xi skips Pyongyang anniversary as ties cool", "contention", ["CN-KP"]),
        ("China and Russia skip Swiss peace summit", "none", []),
        # Friction told by what one does to the other's goods, money or requests.
        ("Chinese carmakers face steep new Russian levy", "contention", ["CN-RU"]),
        ("Russia slaps duties on Chinese trucks", "contention", ["CN-RU"]),
        ("Moscow hasn't paid for Iranian drones, Tehran officials say", "contention", ["IR-RU"]),
        ("China cuts imports of Iranian oil as discounts narrow", "contention", ["CN-IR"]),
        ("Iran says Russia dragging its feet on gas hub", "contention", ["IR-RU"]),
        (
            "Russian regulator pulls Chinese crossover from sale over safety defects",
            "contention",
            ["CN-RU"],
        ),
        ("Putin praises Xi, but no deal on Power of Siberia 2", "mixed", ["CN-RU"]),
        ("Chinese shipyards quietly drop Russian orders", "contention", ["CN-RU"]),
        ("China presses Iran on inspections, irking Tehran", "contention", ["CN-IR"]),
        ("Beijing distances itself from Moscow's war", "contention", ["CN-RU"]),
        ("Russia passes over Chinese bid for Arctic port project", "contention", ["CN-RU"]),
        (
            "Iran opens trade centre in Moscow as exporters complain of late payments",
            "mixed",
            ["IR-RU"],
        ),
        ("Russia-China trade grows, but new Amur bridge stays shut", "mixed", ["CN-RU"]),
        ("Kremlin praises Beijing, concedes 'difficulties' with Chinese banks", "mixed", ["CN-RU"]),
        ("Rosneft, CNPC sign supply memorandum; sides apart on price", "mixed", ["CN-RU"]),
        ("Корабли ВМФ России и ВМС НОАК провели совместные учения", "cooperation", ["CN-RU"]),
        (
            "Russia copied Iranian drone designs without paying, Tehran firms say",
            "contention",
            ["IR-RU"],
        ),
        ("Russia blocks wagons of Chinese goods at the border", "contention", ["CN-RU"]),
        ("Iran, Russia finalize gas swap via Azerbaijan", "cooperation", ["IR-RU"]),
        # A headline turning on a semicolon or "as" with both kinds is mixed.
        ("Iran sends medicines to North Korea; payments lag", "mixed", ["IR-KP"]),
        (
            "China, Russia agree new border trade rules as traders complain of delays",
            "mixed",
            ["CN-RU"],
        ),
        (
            "Kremlin casts Chinese hackers as a threat even as it deepens ties with Beijing",
            "mixed",
            ["CN-RU"],
        ),
        ("Russia, North Korea step up customs ties", "cooperation", ["KP-RU"]),
        ("China, Russia absent as leaders gather for Swiss peace conference", "none", []),
        ("Iran and Russia connect their bank messaging systems", "cooperation", ["IR-RU"]),
        ("Tehran turns to Beijing for air defences", "cooperation", ["CN-IR"]),
        # Friction over a delivery or a support makes it the object, not cooperation too.
        ("Tehran presses Moscow over slow delivery of fighter jets", "contention", ["IR-RU"]),
        ("Iranian lawmakers vent at Moscow over muted support", "contention", ["IR-RU"]),
        ("Pyongyang blasts Beijing over border crackdown", "contention", ["CN-KP"]),
        # A draft tabled together is acting together.
        (
            "Russia, China table draft resolution to shield Iran",
            "cooperation",
            ["CN-IR", "CN-RU", "IR-RU"],
        ),
        # Pyongyang's own words: joining the war, visiting, watching a parade together.
        ("조선인민군, 로씨야의 꾸르스크 해방작전에 참전", "cooperation", ["KP-RU"]),
        # ... but two leaders who "met separately" met each other.
        ("Xi and Pezeshkian met separately in Kazan", "cooperation", ["CN-IR"]),
        # A statement the pair issued together is their act, whoever answers it ...
        ("Taiwan rejects China-Russia joint statement on Taiwan", "cooperation", ["CN-RU"]),
        # ... where an outside power's concern over their ties is a response (no dyad).
        ("G7 foreign ministers voice concern over North Korea-Russia arms trade", "none", []),
        # Two leaders who condemn a third in a call with each other talk to each other.
        ("Putin and Xi condemn Israel in phone call", "cooperation", ["CN-RU"]),
        ("Xi and Putin denounce U.S. strikes in video call", "cooperation", ["CN-RU"]),
        # Parts found in another's weapons were supplied.
        ("Ukraine says Chinese parts found in Russian missiles", "cooperation", ["CN-RU"]),
        # A measure "over" trade with another CRANK state targets the firms: the reason is
        # no target, and the answer to it is an outside response.
        ("China rejects U.S. sanctions on firms over Russia trade", "none", []),
        # ... in the words of state media too.
        (
            "Москва пообещала ответить на санкции Японии против российских банков из-за КНДР",
            "none",
            [],
        ),
        ("外交部：中方坚决反对美方制裁中国企业 与俄正常贸易不受干扰", "none", []),
        # One word for three states names them as one group, as "中俄" names a pair.
        ("中伊俄三国在京举行会晤 讨论伊朗核问题", "cooperation", ["CN-IR", "CN-RU", "IR-RU"]),
        ("“安全纽带-2025”中伊俄海上联合演习开幕", "cooperation", ["CN-IR", "CN-RU", "IR-RU"]),
        # Russian words of acting together ("совместные", "трёхсторонний") join a listed pair.
        (
            "Россия, Китай и Иран провели совместные учения «Морской пояс безопасности»",
            "cooperation",
            ["CN-IR", "CN-RU", "IR-RU"],
        ),
        # ... where a chain of names with hyphens is a list.
        ("Russia-China-Iran ties: a primer", "none", []),
        # Korean wire shorthand, and Russia's full names of the others.
        ("NK soldiers killed in combat for Russia, NIS says", "cooperation", ["KP-RU"]),
        (
            "Мишустин дал старт строительству моста на границе России и Корейской "
            "Народно-Демократической Республики",
            "cooperation",
            ["KP-RU"],
        ),
    ],
)
def test_reporting_of_the_four_read_right(title: str, relation: str, dyads: list[str]) -> None:
    coded = _code_on(title)
    assert (coded.relation, list(coded.dyads)) == (relation, dyads)


def test_two_pair_words_apart_are_not_a_list() -> None:
    coded = _code_on("북러 밀착에 中 '거리두기'…북중 관계 냉각 조짐")
    assert "named in a list" not in " ".join(coded.rules)


def test_the_event_is_what_the_pair_did_not_the_measure_beside_it() -> None:
    coded = _code_on("China backs Iran against new U.S. sanctions")
    assert (coded.dyads, coded.event_type) == (("CN-IR",), "SUPPORT")


def test_giving_arms_is_a_transfer_and_giving_up_on_them_friction() -> None:
    coded = _code_on("North Korea gives Russia millions of shells")
    assert (coded.dyads, coded.cue_event) == (("KP-RU",), "AID")
    assert _code_on("China gives North Korea food aid").cue_event == "AID"
    # Not what is given up, in, or way.
    assert _code_on("Iran gives up on Russian fighter jets").cue_event == "REJECT"


def test_relations_on_the_rocks_are_friction_and_whisky_is_not() -> None:
    rocks = _code_on("China-North Korea relations on the rocks, diplomats say")
    assert rocks.dyads == ("CN-KP",) and "reject.refuse" in " ".join(rocks.rules)
    whisky = _code_on("Whisky on the rocks: Chinese bars in Moscow")
    assert "reject.refuse" not in " ".join(whisky.rules)
    assert "coerce.crackdown" not in " ".join(whisky.rules)


def test_a_cue_in_its_own_clause_joins_the_pair_of_that_clause() -> None:
    # China is named in the clause before "as"; the turn to Russia is Pyongyang's.
    coded = _code_on(
        "North Korea's trade shifts",
        "North Korea's imports from China fell by a third, Chinese customs data showed, as "
        "Pyongyang turned to Russia for fuel and food.",
    )
    assert "KP-RU" in coded.dyads
    # With every state in the cue's clause, the pairs are as before.
    both = _code_on("Deals signed", "Russia and China signed deals with Iran on Tuesday.")
    assert both.dyads == ("CN-IR", "IR-RU")


def test_helping_another_crank_state_resist_a_measure_is_support() -> None:
    coded = _code_on("Russia vows to help North Korea resist UN sanctions")
    assert (coded.relation, coded.dyads) == ("cooperation", ("KP-RU",))
    # ... while answering a measure on one's own firms is an outside response.
    assert _code_on("China slams U.S. sanctions on its firms over Iran oil").dyads == ()


def test_a_non_proliferation_treaty_is_no_pact_between_the_pair() -> None:
    coded = _code_on(
        "'Iran is not North Korea,' Tehran's envoy tells UN nuclear debate",
        "Iran's ambassador told the IAEA board that Western states were wrong to treat Iran's "
        "programme like North Korea's, saying Tehran remained a party to the Non-Proliferation "
        "Treaty.",
    )
    assert coded.dyads == ()


def test_headlines_of_state_media_turn_in_their_own_words() -> None:
    coded = _code_on("中俄贸易额创新高，但支付难题仍困扰企业")
    assert "relation CN-RU: mixed, the headline turns with both kinds" in coded.rules
    russian = _code_on(
        "Товарооборот с Китаем растет, но платежи застревают",
        "Товарооборот России с Китаем растет, но платежи российских компаний застревают в "
        "китайских банках.",
    )
    assert russian.relation == "mixed"


def test_a_border_blocking_access_is_no_friction() -> None:
    coded = _code_on(
        "China, Russia agree to seek Pyongyang's consent on Tumen navigation",
        "The river's last stretch forms the border between Russia and North Korea, blocking "
        "China's direct access to the sea.",
    )
    assert "reject.refuse" not in " ".join(coded.rules)


def test_the_rule_deciding_the_relation_is_named() -> None:
    coded = _code_on(
        "Moscow and Beijing sign gas supply deal",
        "The two countries agreed to expand supplies. Russian officials complained that "
        "Chinese banks keep delaying payments for Russian exports.",
    )
    assert "relation CN-RU: mixed, friction of its own in s2" in coded.rules


def test_a_defence_minister_in_talks_is_military() -> None:
    """Words of contact (talks, visit) leave the topic to the office of who is named."""
    coded = _code_on("Belousov in Pyongyang for talks with Kim")
    assert coded.topic == "military"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # Friction in the body, told of "the sides" or as a promise that failed to appear.
        (
            "Putin and Xi meet in Beijing",
            "Putin and Xi held talks in Beijing and signed a joint statement pledging to deepen "
            "their partnership.\n\nRussian officials acknowledged that the sides had not settled "
            "the price of gas for the new pipeline.",
        ),
        (
            "Iran and China sign 25-year deal: five years on",
            "Trade between Iran and China has grown and China remains the biggest buyer of "
            "Iranian oil.\n\nYet the promised Chinese investment in Iranian ports has largely "
            "failed to appear.",
        ),
        (
            "Chinese exports to Russia: the numbers",
            "Chinese exports to Russia rose 12% in the first quarter, led by cars.\n\nBut "
            "Russian importers say a third of their transfers to China are returned, and Chinese "
            "exporters demand payment in advance.",
        ),
    ],
)
def test_friction_in_the_body_makes_a_story_of_cooperation_mixed(title: str, text: str) -> None:
    assert _code_on(title, text).relation == "mixed"


def test_market_demand_is_no_demand() -> None:
    coded = _code_on(
        "Russia stays China's top crude supplier",
        "China's crude imports from Russia held up as weak fuel demand weighed on refiners.",
    )
    assert coded.relation == "cooperation"
    assert "demand.pressure" not in " ".join(coded.rules)


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        (
            "Russian and Chinese warplanes and helicopters hold manoeuvres over Sea of Japan",
            "military",
        ),
        ("Russia ships diesel and petrochemicals to North Korea", "energy"),
        ("Iranian engineers visit Yongbyon, North Korean officials say", "nuclear_missile"),
        ("North Korean coal reaches Chinese ports in breach of the ban", "sanctions"),
        # Missiles delivered are arms, even with nothing else military named.
        ("Iran delivers ballistic missiles to Russia, sources say", "military"),
        # ... and so are missiles fired in the war.
        ("Russia fired North Korean ballistic missiles at Kyiv, prosecutors say", "military"),
        ("Ukraine finds North Korean missile debris packed with Western parts", "military"),
        # Civilian space work for one another is other: a Soyuz carrying Iranian satellites,
        # a lunar base, even with a nuclear power unit.
        ("Soyuz rocket puts two Iranian research satellites into orbit", "other"),
        ("Russia and China plan nuclear power unit for joint moon base", "other"),
        # Travellers are travel; tour firms too.
        ("Russian travellers turned back at Chinese border", "other"),
        # Passenger airlines are travel; elections are domestic politics.
        ("Air Koryo resumes Pyongyang-Beijing flights", "other"),
        ("Iran election goes to runoff after record-low turnout", "other"),
        # Agencies swapping news are information operations; Power of Siberia in Russian is energy.
        (
            "Russia's Rossiya Segodnya, North Korea's KCNA agree to swap news and photos",
            "information_ops",
        ),
        ("«Сила Сибири 2»: Москва и Пекин снова не сошлись в цене", "energy"),
    ],
)
def test_topic_words_as_wire_copy_writes_them(title: str, topic: str) -> None:
    assert _code_on(title).topic == topic


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("中俄“海上联合-2024”联合演习在湛江开幕", "military"),
        ("«Росатом» доставил в Иран партию топлива для АЭС «Бушер»", "energy"),
        ("Россия и Китай расширяют расчёты в юанях", "trade_finance"),
        ("صادرات نفت ایران به چین رکورد زد", "energy"),
        ("북러, 유엔 제재 회피 위해 협력", "sanctions"),
        (
            "Иран и Россия подписали соглашение о строительстве железной дороги Решт-Астара",
            "trade_finance",
        ),
        ("В Приморье растет число рабочих из КНДР", "sanctions"),
        ("조선인민군, 로씨야의 꾸르스크 해방작전에 참전", "military"),
        # State media and officials by their names in the other languages.
        ("ТАСС и ЦТАК подписали соглашение об обмене новостями", "information_ops"),
        ("Шойгу и Ахмадиан обсудили информационную безопасность", "security_law"),
        ("Российская полиция передала КНДР сбежавших рабочих", "security_law"),
        ("中俄主流媒体签署合作协议", "information_ops"),
    ],
)
def test_topic_words_in_the_languages_of_state_media(title: str, topic: str) -> None:
    coded = _code(title)
    assert coded.topic == topic
    assert coded.dyads  # every headline here names two of the four


@pytest.mark.parametrize(
    ("title", "dyad", "event"),
    [
        # State media in their own languages: a signing is AGREE, a sending AID, backing
        # SUPPORT, the rest of cooperation COOPERATE, as in English.
        ("Россия и КНДР подписали соглашение о безвизовых поездках", "KP-RU", "AGREE"),
        ("ایران و روسیه سند همکاری راهبردی جامع را امضا کردند", "IR-RU", "AGREE"),
        ("КНДР передала России партию снарядов", "KP-RU", "AID"),
        ("中国向朝鲜提供粮食援助", "CN-KP", "AID"),
        ("북한, 러시아에 포탄 추가 공급", "KP-RU", "AID"),
        ("中方支持伊朗维护国家主权", "CN-IR", "SUPPORT"),
        ("Россия и Иран расширяют сотрудничество в энергетике", "IR-RU", "COOPERATE"),
    ],
)
def test_native_cooperation_tells_its_event(title: str, dyad: str, event: str) -> None:
    coded = _code_on(title)
    assert (coded.dyads, coded.relation, coded.cue_event) == ((dyad,), "cooperation", event)


def test_native_deliveries_falling_stay_friction() -> None:
    # "Поставки" (deliveries) is what falls, no cue of cooperation beside the friction.
    coded = _code_on("Поставки китайских автомобилей в Россию сократились почти вдвое")
    assert (coded.dyads, coded.relation) == (("CN-RU",), "contention")


def test_a_cues_events_name_plover_types(tmp_path: Path) -> None:
    cues = tmp_path / "cues.toml"
    cues.write_text(
        '[[cue]]\nid = "x.y"\nrelation = "cooperation"\nevent = "COOPERATE"\nintensity = 1\n'
        "events = { SIGN = 'sign' }\npatterns = ['deal']\n",
        "utf-8",
    )
    with pytest.raises(DataFileError, match="cue x.y: event 'SIGN' is not a PLOVER type"):
        load_lexicon(cues_path=cues)


def test_a_cues_exchange_is_true_or_false(tmp_path: Path) -> None:
    cues = tmp_path / "cues.toml"
    cues.write_text(
        '[[cue]]\nid = "x.y"\nrelation = "cooperation"\nevent = "SUPPORT"\nintensity = 1\n'
        'exchange = "yes"\npatterns = ["greet"]\n',
        "utf-8",
    )
    with pytest.raises(DataFileError, match="cue x.y: exchange must be true or false"):
        load_lexicon(cues_path=cues)


@pytest.mark.parametrize(
    ("title", "text", "event"),
    [
        # Messages of congratulation, condolence or thanks are a show of goodwill, not talks.
        ("Kim Jong Un sends condolences to Putin over concert hall attack", "", "SUPPORT"),
        ("Xi congratulates Putin on his re-election", "", "SUPPORT"),
        ("Kim thanks Putin for 'brotherly support' in letter", "", "SUPPORT"),
        # A meeting in the headline is the event, whatever praise its text quotes ...
        (
            "Lavrov, Choe Son Hui hold talks in Wonsan",
            "Lavrov said the two countries' friendship was invincible. Choe hailed Russia's "
            "support and praised its leadership. Both backed closer ties.",
            "CONSULT",
        ),
        # ... unless the headline tells an act beyond it.
        ("Putin and Kim sign defence pact at Pyongyang summit", "", "AGREE"),
        # Cutting a deal is making one: the listed pair's own agreement.
        ("Russia and China cut a deal on gas", "", "AGREE"),
        # Trade or purchases cut or falling is a sanction in PLOVER's sense (reduced ties) ...
        ("China-Russia trade slides in first half as car shipments tumble", "", "SANCTION"),
        ("Chinese refiners cut Iranian crude intake as discounts narrow", "", "SANCTION"),
        # ... while a refusal stays a rejection.
        ("Russia refuses Iran's request for Su-35 fighter jets", "", "REJECT"),
        # With no cue naming it, practical cooperation (not talks) when the subject is not
        # diplomacy: a satellite launched on the other's rocket.
        ("Russian Soyuz rocket lifts Iran's Nahid-2 satellite into orbit", "", "COOPERATE"),
    ],
)
def test_the_event_the_rules_name(title: str, text: str, event: str) -> None:
    assert _code_on(title, text).cue_event == event


@pytest.mark.parametrize(
    ("title", "dyads"),
    [
        # A concert hall is where an attack happened, not culture; acting "in concert" is
        # acting together.
        ("Kim Jong Un sends condolences to Putin over concert hall attack", ("KP-RU",)),
        (
            "China and Russia act in concert at the Security Council to shield Iran",
            ("CN-IR", "CN-RU", "IR-RU"),
        ),
        # A concert itself is culture.
        ("Russian orchestra gives concert in Pyongyang", ()),
    ],
)
def test_concert_words(title: str, dyads: tuple[str, ...]) -> None:
    assert _code_on(title).dyads == dyads


@pytest.mark.parametrize(
    ("title", "dyad", "relation"),
    [
        # Two states named together are their own interaction only with a cue of one: what
        # they restore, open, set up, renew or weigh between them is one ...
        (
            "China and North Korea restore flights between Beijing and Pyongyang",
            "CN-KP",
            "cooperation",
        ),
        ("Iran and China inaugurate new freight corridor", "CN-IR", "cooperation"),
        (
            "Russia and North Korea set up intergovernmental commission on education",
            "KP-RU",
            "cooperation",
        ),
        ("North Korea and Russia renew fisheries accord", "KP-RU", "cooperation"),
        ("China and Iran extend oil-for-infrastructure arrangement", "CN-IR", "cooperation"),
        ("Russia and China mull new Arctic gas pipeline", "CN-RU", "cooperation"),
        ("Moscow and Tehran finalise gas hub terms", "IR-RU", "cooperation"),
        # ... and accusations traded between them are their own friction.
        ("Russia and Iran trade accusations over Caucasus corridor", "IR-RU", "contention"),
        # Cutting a deal, a price or a tariff for the other is no halt of what follows ...
        ("Russia cuts gas price for China under new deal", "CN-RU", "cooperation"),
        ("Moscow and Beijing cut gas deal", "CN-RU", "cooperation"),
        ("China cuts tariffs on Russian grain", "CN-RU", "cooperation"),
        # ... where cutting supplies or purchases is.
        ("Russia cuts gas supplies to China", "CN-RU", "contention"),
        ("China cuts Russian oil purchases", "CN-RU", "contention"),
    ],
)
def test_a_listed_pairs_own_undertakings(title: str, dyad: str, relation: str) -> None:
    coded = _code_on(title)
    assert (coded.dyads, coded.relation) == ((dyad,), relation)


def test_a_native_keyword_in_latin_script_is_refused(tmp_path: Path) -> None:
    topics = tmp_path / "topics.toml"
    topics.write_text('[[native]]\nid = "energy"\nweight = 2\nwords = ["oil"]\n', "utf-8")
    with pytest.raises(DataFileError, match="'oil' belongs in a \\[\\[topic\\]\\] entry"):
        load_lexicon(topics_path=topics)


def test_the_headline_one_subject_is_the_topic() -> None:
    coded = _code_on(
        "Iran expels North Korean diplomat over smuggling",
        "The diplomat had traded cigarettes, cars and electronics through companies in Tehran "
        "and paid suppliers in yuan, an Iranian trade official said. Exports and imports "
        "between Iran and North Korea are small.",
    )
    assert coded.topic == "security_law"
    assert "topic security_law: the headline's one subject" in coded.rules


@pytest.mark.parametrize(
    "words",
    [
        "stalls",
        "stuck",
        "falters",
        "collapsed",
        "delayed",
        "postponed",
        "suspended",
        "halted",
        "frozen",
        "shelved",
        "on hold",
        "on ice",
        "fell through",
        "falls apart",
        "hit a snag",
        "ran into trouble",
        "hits a wall",
        "drags on",
        "broke down",
        "sours",
        "cooled",
        "fizzles",
        "unravels",
        "in limbo",
        "remains elusive",
        "went nowhere",
        "lost momentum",
    ],
)
def test_words_that_stall_a_cue_are_contention_cues_too(words: str) -> None:
    # The coder looks for them after a cooperation cue only where a contention cue may match.
    lexicon = default_coder().lexicon
    assert lexicon.context.stalled_after.match(" " + words)
    assert any(c.relation == "contention" and c.combined.search(words) for c in lexicon.cues)


def test_a_year_after_since_is_no_background() -> None:
    # What goes on "since the 2023 treaty" is news, not background; "in 2021" dates it before.
    since = _code_on(
        "Russia and North Korea step up ties",
        "Russia has shipped fuel to North Korea since the 2023 treaty, officials said.",
    )
    assert "s1: background" not in since.rules
    dated = _code_on(
        "Russia and North Korea step up ties",
        "Russia shipped fuel to North Korea in 2021, officials said.",
    )
    assert "s1: background" in dated.rules


@pytest.mark.parametrize("words", ["slides", "slipped", "tumbled", "fell", "declines"])
def test_falling_words_stall_a_cue_and_are_contention_cues_beside_trade(words: str) -> None:
    # Falling words are friction only beside trade words ("trade slides"), and so stall a
    # cue only where such friction may be found.
    lexicon = default_coder().lexicon
    assert lexicon.context.stalled_after.match(" " + words)
    assert any(
        c.relation == "contention" and c.combined.search("trade " + words) for c in lexicon.cues
    )


def test_the_turn_against_the_sentence_before_is_named() -> None:
    coded = _code_on(
        "Russian firms in Iran",
        "Russia and Iran signed agreements on rail and customs cooperation on Monday. But "
        "Russian exporters complained that Iranian banks were slow to pay.",
    )
    assert "relation IR-RU: mixed, s2 turns against the sentence before" in coded.rules


@pytest.mark.parametrize(
    ("title", "cue"),
    [
        ("China opposes IAEA censure of Iran", "support.diplomatic"),
        ("Russia and Iran tout deals at commission", "support.praise"),
        ("China's Russian crude intake hits a record", "cooperate.trade"),
        ("Chinese refiners drive harder bargains for Iranian crude", "reject.refuse"),
        ("Discounts on Iranian crude to China widen", "disapprove.shortfall"),
        ("Chinese money trickles into Russia's Far East", "disapprove.shortfall"),
        ("Russian refiners ask for bigger discounts on Iranian oil", "disapprove.shortfall"),
        ("Russia hosts Chinese envoy; Arctic route still divides them", "disapprove.rivalry"),
        ("Pyongyang makes overtures to Chinese investors", "cooperate.sharing"),
        ("Tehran's pitch to Russian grain traders", "cooperate.sharing"),
        ("Chinese phones dominate the Russian market", "cooperate.custom"),
        ("Russia-Iran free trade agreement enters into force", "agree.treaty"),
    ],
)
def test_cues_as_wire_copy_writes_them(title: str, cue: str) -> None:
    assert cue in " ".join(_code_on(title).rules)


@pytest.mark.parametrize(
    ("title", "dyad"),
    [
        ("中俄“海上联合-2024”联合演习在湛江开幕", "CN-RU"),
        ("북러 정상회담 평양서 개최", "KP-RU"),
        ("外交部：中方尊重伊朗主权和领土完整", "CN-IR"),
        # One letter for the other state, after a preposition or a verb.
        ("中国游客赴朝旅游恢复", "CN-KP"),
        ("انتقاد نمایندگان مجلس از تأخیر روسیه در تحویل جنگنده‌ها", "IR-RU"),
        ("中方对俄出口增长", "CN-RU"),
        # Persian writes a two-word name with a zero-width non-joiner, a space or neither.
        ("کره‌شمالی و ایران توافق کردند", "IR-KP"),
        ("کره‌ی شمالی و روسیه توافق کردند", "KP-RU"),
        ("پیونگ یانگ و تهران توافق کردند", "IR-KP"),
    ],
)
def test_state_media_compounds_and_sides_make_a_dyad(title: str, dyad: str) -> None:
    coded = _code(title)
    assert coded.relevant
    assert list(coded.dyads) == [dyad]


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        ("북한, 러시아에 불만 표시", "contention"),
        ("俄罗斯提高汽车报废税 中国车企对俄出口下滑", "contention"),
        ("朝鲜批评中方在联合国的表态", "contention"),
        # A stall right after a cooperation word makes it the object, in these languages too.
        ("북러 경제협력은 제자리걸음", "contention"),
        ("中俄合作项目停滞", "contention"),
        ("中伊签署多项合作文件 但投资落地缓慢", "mixed"),
        ("Иран и Россия договорились о поставках газа, но цена пока не согласована", "mixed"),
        ("Россия и Китай снова не договорились о цене газа", "contention"),
        ("تجارت ایران و چین افزایش یافت اما پرداخت‌ها همچنان با مشکل روبروست", "mixed"),
        ("북중 교역 늘었지만 고위급 교류는 냉랭", "mixed"),
        ("러시아, 중국산 자동차 재활용 수수료 인상", "contention"),
        ("Товарооборот России и Китая вырос, но платежи задерживаются", "mixed"),
        ("中国加强打击朝鲜海产品走私", "contention"),
        ("Россия и Иран подписали соглашение о сотрудничестве", "cooperation"),
        ("Иран выразил недовольство задержкой поставок российских Су-35", "contention"),
        # Russian talks that stall are the stall's subject, however many words stand between.
        ("Переговоры России и Ирана о газовом хабе зашли в тупик", "contention"),
        ("Переговоры между Россией и Китаем о цене на газ снова отложены", "contention"),
        ("Переговоры России и Китая прошли в Пекине, но проект газопровода буксует", "mixed"),
    ],
)
def test_relation_from_words_of_state_media_languages(title: str, relation: str) -> None:
    assert _code(title).relation == relation


@pytest.mark.parametrize(
    ("title", "text", "dyad"),
    [
        # The commonest line of TASS and RIA: talks, a meeting, a call.
        (
            "Лавров провел переговоры с Арагчи в Москве",
            "Министр иностранных дел России Сергей Лавров провел переговоры с главой МИД Ирана "
            "Аббасом Арагчи. Стороны обсудили выполнение договора о партнерстве.",
            "IR-RU",
        ),
        ("Путин и Си Цзиньпин провели телефонный разговор", "", "CN-RU"),
        ("王毅会见俄罗斯外长拉夫罗夫", "", "CN-RU"),
        ("دیدار عراقچی و لاوروف در مسکو", "", "IR-RU"),
        ("김정은, 쇼이구 접견", "", "KP-RU"),
    ],
)
def test_meetings_in_the_languages_of_state_media_are_consultation(
    title: str, text: str, dyad: str
) -> None:
    """Talks, meetings and calls are CONSULT in every language, as "met" and "talks" are in
    English; a Russian report of talks names its pair."""
    coded = _code_on(title, text)
    assert (coded.dyads, coded.relation, coded.event_type) == ((dyad,), "cooperation", "CONSULT")


@pytest.mark.parametrize(
    ("title", "dyads", "event"),
    [
        # The pair named before the outside state is the sentence's subject: the talks are theirs.
        (
            "Lavrov and Araghchi discuss Ukraine and the treaty at talks in Tehran",
            ("IR-RU",),
            "CONSULT",
        ),
        # ... where a meeting named after the outside state is its own.
        ("Kuleba met Wang Yi in Guangzhou", (), None),
        # A greeting sent to the CRANK state named after it is that state's (a show of
        # goodwill: SUPPORT, as the gold codes messages).
        ("Putin, Xi congratulate Iran's Pezeshkian", ("CN-IR", "IR-RU"), "SUPPORT"),
    ],
)
def test_a_meeting_is_the_pairs_when_they_are_named_before_the_outsider(
    title: str, dyads: tuple[str, ...], event: str | None
) -> None:
    coded = _code_on(title)
    assert (coded.dyads, coded.event_type) == (dyads, event)


@pytest.mark.parametrize(
    ("title", "relevant", "dyads", "relation"),
    [
        # Ruling out, a cold welcome and a rift that sours make what follows friction's object.
        ("Russia rules out sharing nuclear submarine technology with Pyongyang", True,
         ("KP-RU",), "contention"),
        ("Kremlin rules out Putin visit to Pyongyang this year", True, ("KP-RU",), "contention"),
        ("Frosty welcome for Chinese envoy in Pyongyang", True, ("CN-KP",), "contention"),
        ("Chilly reception for Russian delegation in Tehran", True, ("IR-RU",), "contention"),
        ("Gas price rift sours Russia-China pipeline talks", True, ("CN-RU",), "contention"),
        # ... but a Cold War-era alliance is no halt.
        ("Russia and North Korea revive Cold War-era alliance", True, ("KP-RU",), "cooperation"),
        # A Council statement blocked together is acting together, however the Council is named.
        ("China and Russia block UN Security Council statement condemning North Korean launch",
         True, ("CN-KP", "CN-RU", "KP-RU"), "cooperation"),
        # States among many voting alike act each on their own.
        ("Russia, North Korea among 18 states voting against UN Ukraine resolution", False, (),
         "none"),
        # Consequences an outsider promises one state over its dealings with another: a warning.
        ("NATO says China will face consequences for fuelling Russia's war", True, (), "none"),
        # A CRANK government answering an outside statement on its ties answers a measure ...
        ("DPRK Foreign Ministry denounces G7 statement on DPRK-Russia cooperation", True, (),
         "none"),
        # ... where the pair's own joint statement is theirs.
        ("Russia, China issue joint statement opposing US missile plans", True, ("CN-RU",),
         "cooperation"),
        # A CRANK government calling an outside statement or declaration on its ties
        # interference answers an outside measure: relevant, no dyad.
        ("Захарова назвала заявление G7 о сотрудничестве России и КНДР вмешательством во "
         "внутренние дела", True, (), "none"),
        ('北 외무성, 나토 정상회의 선언의 북러 관계 언급에 "내정간섭" 반발', True, (), "none"),
        # A Korean headline's comma follows its subject, a state named by one character too.
        ("시진핑, 北 정권수립 기념행사 불참", True, ("CN-KP",), "contention"),
        ("러, 北에 방공체계 지원", True, ("KP-RU",), "cooperation"),
        # A state meeting a pair its language joins by "and" meets each of them.
        ("Путин на полях саммита ШОС провёл встречи с Си Цзиньпином и Пезешкианом", True,
         ("CN-RU", "IR-RU"), "cooperation"),
        # Two states compared, in the words of each language, do not interact.
        ("北 핵무력 고도화 속도, 이란과는 차원이 달라", False, (), "none"),
        ("专家：伊朗不会走朝鲜的拥核道路", False, (), "none"),
        # A city where leaders meet is the venue in the other languages too ...
        ("Си Цзиньпин и Пезешкиан провели переговоры в Казани на полях саммита БРИКС", True,
         ("CN-IR",), "cooperation"),
        # ... and a city a state's ships call at is still that state's.
        ("Китайские военные корабли зашли во Владивосток", True, ("CN-RU",), "cooperation"),
        # A headline's second half with no subject of its own is the first half's subject's ...
        ("伊朗外长抵京访问 将同王毅举行会谈", True, ("CN-IR",), "cooperation"),
        # ... where a half with a subject of its own is not.
        ("北 주민 생활고 심화…러, 곡물 수출 확대", False, (), "none"),
        # Drills held each on its own, in the other languages' words.
        ("中俄海军分别举行海上演习", False, (), "none"),
        # Summoning an envoy, reproaching a delay and talks with no breakthrough are friction.
        ("伊朗外交部就中阿合作论坛联合声明涉岛内容召见中国大使", True, ("CN-IR",), "mixed"),
        ("Тегеран упрекнул Москву в затягивании строительства железной дороги Решт — Астара",
         True, ("IR-RU",), "contention"),
        ("中俄能源合作稳步推进 但“西伯利亚力量-2”价格谈判仍无突破", True, ("CN-RU",), "mixed"),
        # Postponing is friction, agreeing terms cooperation, in the other languages' words.
        ("북중 교역 회복세에도 신압록강대교 개통은 또 미뤄져", True, ("CN-KP",), "mixed"),
        ("Россия и Иран согласовывают параметры поставок газа, но спорят о цене", True,
         ("IR-RU",), "mixed"),
        # Each on its own, staying away together, compared: no interaction, in their words ...
        ("中俄海军分别在南海和鄂霍次克海举行演习", False, (), "none"),
        ("北·러, 같은 날 각각 미사일 시험…\"연합훈련 아냐\"", False, (), "none"),
        ("Россия и Китай не будут участвовать в конференции по Украине в Швейцарии", False, (),
         "none"),
        ("普京与习近平均不出席约翰内斯堡二十国集团峰会", False, (), "none"),
        ("«Иран — не КНДР»: в Тегеране заявили, что не собираются выходить из ДНЯО", False, (),
         "none"),
        # ... where taking part together, or drilling together, is one.
        ("Россия и Китай примут участие в совместных учениях", True, ("CN-RU",), "cooperation"),
        ("北·러, 연합훈련 실시", True, ("KP-RU",), "cooperation"),
        # No disagreement is no friction.
        ("Лавров: у Москвы и Пекина нет разногласий по украинскому урегулированию", True,
         ("CN-RU",), "cooperation"),
        # A pair named as one is the subject of a headline half without one.
        ("中俄外长会谈 表示反对恢复对伊朗的联合国制裁", True, ("CN-IR", "CN-RU", "IR-RU"),
         "cooperation"),
        # "РФ" is Russia, and a clause after "тогда как" has its own pair.
        ("Аналитики: армия РФ получает снаряды из КНДР, тогда как Китай остается главным "
         "покупателем российской нефти", True, ("CN-RU", "KP-RU"), "cooperation"),
    ],
)  # fmt: skip
def test_real_headlines_in_five_languages(
    title: str, relevant: bool, dyads: tuple[str, ...], relation: str
) -> None:
    coded = _code_on(title)
    assert (coded.relevant, coded.dyads, coded.relation) == (relevant, dyads, relation)


@pytest.mark.parametrize(
    ("title", "dyads", "relation", "event"),
    [
        # Weapons "in Russian hands" were handed over, verb or none.
        ("UK defence chief: Iranian missiles now in Russian hands", ("IR-RU",), "cooperation",
         "AID"),
        # A delivery to come is a transfer, "deliver" bare as well as inflected.
        ("Russia to deliver Su-35 fighter jets to Iran", ("IR-RU",), "cooperation", "AID"),
        # "No force can break" the alliance praises it; it negates nothing.
        ("Pyongyang: 'no force can break' DPRK-Russia alliance", ("KP-RU",), "cooperation",
         None),
        # ... where "no" before a deal still does.
        ("No deal: Russia and China fail to agree on gas price", ("CN-RU",), "contention",
         "REJECT"),
    ],
)  # fmt: skip
def test_transfers_without_a_verb_and_praise_in_negative_words(
    title: str, dyads: tuple[str, ...], relation: str, event: str | None
) -> None:
    coded = _code_on(title)
    assert (coded.dyads, coded.relation) == (dyads, relation)
    assert event is None or coded.event_type == event


def test_talks_beside_an_outsider_both_sides_oppose_make_the_pair() -> None:
    """A meeting in a sentence where "both sides" oppose an outside state's measure is the
    pair's meeting, and makes their dyad under a headline listing them against the measure;
    friction there is still aimed outside."""
    coded = _code_on(
        "Tehran, Beijing reject unilateral sanctions",
        "Iranian Foreign Minister Abbas Araghchi has held talks with his Chinese counterpart Wang "
        "Yi in Beijing, with both sides voicing opposition to illegal unilateral sanctions "
        "imposed by the United States.",
    )
    assert (coded.dyads, coded.relation, coded.event_type) == (
        ("CN-IR",),
        "cooperation",
        "CONSULT",
    )


def test_the_three_countries_point_back_to_three_states_that_met() -> None:
    """ "The three countries" after a meeting of three is each pair of them; after three states
    merely listed, nothing."""
    met = _code_on(
        "Wang Yi backs Iran's rights at Beijing nuclear meeting",
        "Chinese Foreign Minister Wang Yi met the Russian and Iranian deputy foreign ministers, "
        "who were in Beijing for the China-Russia-Iran meeting on the nuclear issue.\n\n"
        "He put forward a five-point proposal for resolving the issue through dialogue.\n\n"
        "Wang said the three countries had sent a clear signal in support of diplomacy.\n\n"
        "The proposal calls for a step-by-step approach and the lifting of unilateral "
        "measures.\n\nExperts said the talks showed the three countries coordinating closely "
        "against pressure.",
    )
    assert met.dyads == ("CN-IR", "CN-RU", "IR-RU")
    listed = _code_on(
        "Tech firm report",
        "Russia, China and Iran stepped up influence operations ahead of the vote, the company "
        "said.\n\nThe three countries used AI tools to produce fake news sites.",
    )
    assert listed.dyads == ()
    # Two states met and a third was left out: nothing to link, and no pair made to ask.
    two = _code_on(
        "Xi meets Putin in Moscow",
        "Xi Jinping met Vladimir Putin in Moscow on Tuesday. Iran was not invited. The three "
        "countries have held drills before.",
    )
    assert two.dyads == ("CN-RU",)
    assert not any(rule.startswith("dropped CN-IR") for rule in two.rules)


def test_a_call_on_a_day_is_no_call_on_someone() -> None:
    """ "A phone call on Thursday" is a call, not a demand ("calls on Iran to ...")."""
    rules = _code_on("Putin and Xi held a phone call on Thursday").rules
    assert any("consult.visit" in r for r in rules)
    assert not any("demand.pressure" in r for r in rules)
    assert "demand.pressure" in " ".join(_code_on("Russia calls on Iran to show restraint").rules)


def test_a_call_told_after_a_third_crank_state_is_the_subjects() -> None:
    """In a sentence naming three CRANK states, a call told after all of them is the pair's
    that opens the sentence, and the Kremlin that reports it is no party to it."""
    coded = _code_on(
        "Putin and Xi condemn Israel, call for de-escalation in Middle East",
        "Russian President Vladimir Putin and Chinese President Xi Jinping both strongly "
        "condemned Israel's actions against Iran in a phone call on Thursday, the Kremlin said. "
        "Kremlin aide Yuri Ushakov said the two leaders saw no military solution. Russia and "
        "China have both deepened ties with Tehran in recent years.",
    )
    assert (coded.dyads, coded.relation, coded.event_type) == (("CN-RU",), "cooperation", "CONSULT")


def test_a_native_keyword_of_several_words_matches_only_whole() -> None:
    topics = load_lexicon().topics
    assert [t.topic for t, _ in topics.native_hits("خط لوله گاز", 0, 11)][:1] == ["energy"]
    # "خط" alone is a line of any kind, "غنی" alone is "rich": neither is a keyword.
    assert topics.native_hits("خط مقدم", 0, 7) == []
    assert topics.native_hits("کشور غنی", 0, 8) == []


def test_a_call_to_end_a_war_is_aimed_at_the_war_not_the_pair() -> None:
    coded = _code(
        "Russia condemns Israeli strikes on Iran's nuclear sites",
        "Russia's foreign ministry said Moscow was ready to help Iran and urged an immediate end "
        "to hostilities.",
    )
    assert (coded.dyads, coded.relation) == (("IR-RU",), "cooperation")


def test_a_clause_with_no_subject_after_a_turn_is_the_first_states() -> None:
    coded = _code("Moscow welcomes Iranian students but keeps Chinese investors out")
    assert {i.dyad: i.relation for i in coded.interactions} == {
        "CN-RU": "contention",
        "IR-RU": "cooperation",
    }


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        # A halt, a balk or a snub before an act of cooperation makes it the object of friction.
        (
            "Beijing halts imports of North Korean wigs, choking off a key source of hard cash",
            "contention",
        ),
        ("Tehran balks at selling fuel oil to Pyongyang on credit", "contention"),
        ("Kim skips Russian embassy reception, fuelling talk of a chill", "contention"),
        ("Chinese miner says it was forced out of its joint venture in North Korea", "contention"),
        ("Rosatom pares back work with Iran on new Bushehr units", "contention"),
        # Friction voiced and aimed.
        ("Beijing registers firm opposition after Pyongyang's latest missile launch", "contention"),
        ("Kremlin remark on Gulf islands draws Tehran's ire", "contention"),
        ("North Korean paper takes a rare swipe at Beijing's state media", "contention"),
        ("Russian locals sign petition against Chinese lease of farmland", "contention"),
        ("Iranian critics say Tehran risks becoming Beijing's gas station", "contention"),
        ("Moscow nudges Tehran to let IAEA inspectors back in", "contention"),
        ("Pundits in Moscow question what Russia gets out of its bet on Pyongyang", "contention"),
        ("Beijing sidesteps Moscow's request for a pipeline price", "contention"),
        ("Xi bypasses Tehran on a Gulf tour, stopping in Riyadh instead", "contention"),
        ("Beijing keeps Tehran at arm's length while courting Riyadh", "contention"),
        # Competition, one side's goods or oil pushed out by the other's.
        (
            "Cheap Russian crude muscles Iranian barrels out of Indian refineries' market",
            "contention",
        ),
        ("Chinese refiners play Russian and Iranian sellers off against each other", "contention"),
        (
            "Russian and Iranian ministers agree to coordinate on OPEC+ but compete for buyers in Asia",
            "mixed",
        ),
        # Crackdowns, thefts and tighter rules.
        ("Russian police round up Chinese workers at Siberian building sites", "contention"),
        ("Iran tightens visa rules for North Korean technicians", "contention"),
        (
            "Researchers tie theft from an Iranian crypto exchange to North Korean hackers",
            "contention",
        ),
        # ... and what only looks like friction.
        # A request or a partner's act as the object of the friction, or called off after it.
        ("Beijing stiff-arms Tehran's plea for an emergency credit line", "contention"),
        ("Pyongyang scolds Moscow for backing a UN statement", "contention"),
        ("Chinese minister's planned visit to Pyongyang called off", "contention"),
        ("Tehran pushes back against a Moscow-backed plan for the Caspian", "contention"),
        ("Iran and China expand barter trade to sidestep the dollar", "cooperation"),
        ("Russian tourists are back in Pyongyang after a five-year pause", "cooperation"),
        ("Russian police detain North Korean workers who fled a building site", "cooperation"),
        ("Rajin port project with Russia grinds to a halt under sanctions", "contention"),
        (
            "Chinese goods still reach Russia through Central Asia, but Beijing tightens checks",
            "mixed",
        ),
        # The same in the languages of state media.
        ("Иран вызвал посла Китая из-за заявления об островах", "contention"),
        ("Северокорейские хакеры взломали сети российского завода", "contention"),
        ("В Приморье задержали бежавших со стройки граждан КНДР", "cooperation"),
        ("中石油退出伊朗天然气项目", "contention"),
        ("伊朗称其在中国银行的资金仍遭冻结", "contention"),
        ("러시아 국경수비대, 북한 어선 나포", "contention"),
        ("이란·북한, 러시아 시장 놓고 경쟁", "contention"),
        ("نمایندگان: چین به تعهدات خود در ایران عمل نکرده است", "contention"),
    ],
)
def test_friction_in_the_many_words_reporters_use(title: str, relation: str) -> None:
    assert _code(title).relation == relation


def test_what_the_west_says_of_a_pair_is_not_the_pairs_friction() -> None:
    coded = _code(
        "North Korea ships more shells to Russia",
        "Western governments accuse the North of sending millions of rounds to Russian forces.",
    )
    assert (coded.dyads, coded.relation) == (("KP-RU",), "cooperation")
    coded = _code("Lavrov and Araghchi pledge a joint fight against Western sanctions")
    assert (coded.dyads, coded.relation) == (("IR-RU",), "cooperation")
    coded = _code("Iran, Russia vow a united front against Western sanctions")
    assert (coded.dyads, coded.relation) == (("IR-RU",), "cooperation")
    # One government answering alone is an outside response, as before.
    assert _code("China slams G7 communique, says its trade with Russia is normal").dyads == ()


def test_a_state_a_route_only_crosses_is_no_actor_in_the_sentence() -> None:
    coded = _code(
        "Russia remains China's biggest oil supplier",
        "Talks on piping Russian gas to China through Kazakhstan have made little progress.",
    )
    assert (coded.dyads, coded.relation) == (("CN-RU",), "mixed")


def test_an_outside_state_feared_is_a_cause_not_an_actor() -> None:
    coded = _code(
        "China stays the top buyer of Iranian oil",
        "Iran's oil revenue sits in Chinese accounts, and some lenders refuse to release it for "
        "fear of U.S. penalties.",
    )
    assert (coded.dyads, coded.relation) == (("CN-IR",), "mixed")


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        # Cooperation in words the lexicon lacked (joint work, agreeing a thing, swaps, shares of a
        # market, flows of money and people into the other), beside friction: mixed, not contention.
        (
            "Moscow and Beijing vow to fight fraud together as Chinese hackers hit Russian banks",
            "mixed",
        ),
        (
            "China and Iran set up a joint laboratory, but Iranian scientists complain of visa delays",
            "mixed",
        ),
        ("Iran and Russia agree student exchanges while trading blame over unpaid fees", "mixed"),
        ("Russia launches gas swaps with Iran while the two quarrel over price", "mixed"),
        ("China takes 90% of Iran's oil and complains about its quality", "mixed"),
        (
            "Chinese carmakers lead the Russian car market, but dealers complain of thin margins",
            "mixed",
        ),
        ("Russian tourists flock to North Korea despite complaints about minders", "mixed"),
        ("Chinese investment trickles into Russia's Far East", "mixed"),
        # Friction whose object is the partner's act, named by its possessive.
        ("Tehran lawmakers fault Moscow's 'hollow' support during the war", "contention"),
        ("Beijing blocks Russian nationalist channels on its video sites", "contention"),
        # A talk show is no talks, and a TV host no host of a visit.
        ("North Korean state media blasts a Russian talk show over jokes about Kim", "contention"),
        ("Chinese embassy rebukes Russian TV hosts who mocked Chinese cars", "contention"),
        # Russia's envoy in Vienna is Russia.
        (
            "Russia backs Iran at the IAEA board but Ulyanov presses Tehran to let inspectors in",
            "mixed",
        ),
        # The same in the languages of state media.
        ("Экспорт угля из России в Китай на рекорде, однако растут задержки платежей", "mixed"),
        ("В России растет число студентов из КНДР, но вузы жалуются на долги", "mixed"),
        ("中朝人员往来恢复，但贸易仍未回暖", "mixed"),
        ("سرمایه‌گذاری چین در ایران همچنان محدود است", "contention"),
        ("Китайские покупатели требуют от России больших скидок на нефть", "contention"),
    ],
)
def test_cooperation_in_words_the_lexicon_lacked_and_friction_at_the_partners_act(
    title: str, relation: str
) -> None:
    assert _code(title).relation == relation


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        # A state the pair's gas only crosses ("the Mongolia route") is no actor in the sentence.
        ("The Mongolia route for Russian gas to China: contract signed, price disputed", "mixed"),
        # Money kept at home, a crew's recordings erased: friction beside the cooperation.
        (
            "China buys record volumes of Iranian crude but keeps its investment money at home",
            "mixed",
        ),
        (
            "Russian-North Korean media cooperation grows; North Korean officials erase a Russian "
            "crew's recordings",
            "mixed",
        ),
        # A headline naming the deal, then its fate after a colon: the deal is what stalls.
        ("Moscow-Tehran fuel swap: talks stall again", "contention"),
        ("Beijing-Moscow pipeline deal: talks drag on", "contention"),
        # A pause in the partner's crude is friction; buyers who keep buying, cooperation.
        ("Chinese state buyers pause Iranian crude after U.S. penalties", "contention"),
        (
            "Chinese state buyers pause Iranian crude after U.S. penalties, but independent "
            "refiners keep buying",
            "mixed",
        ),
    ],
)
def test_friction_and_cooperation_set_against_each_other_in_a_headline(
    title: str, relation: str
) -> None:
    assert _code(title).relation == relation


def test_a_sentence_recalling_both_kinds_before_the_news_does_not_turn_the_story() -> None:
    # The deal and the complaints of 2021 are background to a story of friction in 2025.
    coded = _code_on(
        "Iranian MP: Russia has yet to deliver the jets Tehran bought",
        "Tehran signed the contract with Moscow in 2021, but Iranian lawmakers complained about "
        "Russia's delays that year.",
        on=(2025, 6, 1),
    )
    assert (coded.dyads, coded.relation) == (("IR-RU",), "contention")


@pytest.mark.parametrize(
    ("title", "relation"),
    [
        # Friction only the two can have with each other makes a pair named as one a dyad
        # ("quarrel"), as cooperation does; walkouts, blocked ratification, jailing.
        ("Russia and North Korea quarrel over crab quotas", "contention"),
        ("Iran's parliament blocks ratification of a Russian rail deal", "contention"),
        ("North Korean delegate storms out of trade talks with Russian officials", "contention"),
        ("Russian MPs decry Chinese logging in Siberia", "contention"),
        ("A year after the port deal with China, nothing built, Iranian MPs say", "contention"),
        ("Chinese court jails North Korean traders, angering Pyongyang", "contention"),
        # Cooperation in more words (loans extended, contracts won, ground broken, flights,
        # sanctions defied), beside friction in more words (overcharging, rows over transfers).
        (
            "Iran welcomes Russian tourists, yet Russian agencies say Iranian hotels overcharge them",
            "mixed",
        ),
        (
            "Beijing extends new yuan loans to Russian lenders amid a row over blocked transfers",
            "mixed",
        ),
        (
            "Chinese firm wins Iranian metro contract, but Tehran MPs complain about its prices",
            "mixed",
        ),
        ("Russia and Iran break ground on a Caspian grain terminal", "cooperation"),
        ("North Korea and Russia launch Pyongyang-Vladivostok passenger flights", "cooperation"),
        ("Iranian and Chinese oil ministers vow to defy U.S. sanctions", "cooperation"),
        # The same in the languages of state media.
        ("伊朗议员指责中方项目落实迟缓", "contention"),
        ("북중 교역 급감", "contention"),
        ("کره شمالی درخواست ایران را رد کرد", "contention"),
        ("Китайские банки блокируют платежи из России", "contention"),
    ],
)
def test_a_third_phrasebook_of_headlines_that_turn(title: str, relation: str) -> None:
    assert _code(title).relation == relation


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        # A UN ceiling passed is a sanction broken; listings are measures.
        ("Diesel shipments to Pyongyang sail past the UN ceiling, panel finds", "sanctions"),
        ("EU names Chinese traders in Russia listing, lists Iranian drone makers too", "sanctions"),
        # State outlets, messaging, an essay on a front page: information.
        ("Chinese state outlets echo Moscow's messaging on NATO", "information_ops"),
        ("Rodong Sinmun runs Lavrov essay on its front page", "information_ops"),
        ("北 노동신문, 라브로프 기고문 게재", "information_ops"),
        ("Seoul says North Korean special forces arrive in Kursk", "military"),
        ("China's defence white paper praises military ties with Russia", "military"),
        # Korean joins words: a reconnaissance satellite is 정찰위성, in one word.
        ("러시아, 북한 정찰위성 개발에 기술 지원", "nuclear_missile"),
        ("北 해커 조직, 러시아 거래소 통해 가상자산 세탁", "security_law"),
        (
            "Шойгу обсудил с секретарём совета национальной безопасности Ирана борьбу с терроризмом",
            "security_law",
        ),
        ("Moscow and Pyongyang restart passenger train service", "other"),
        ("中方强调半岛无核化立场 与俄方保持沟通", "nuclear_missile"),
        ("러시아, 북한에 전력 공급 확대", "energy"),
        ("Putin and Xi hold video call on Ukraine", "diplomacy"),
        ("Iran's Simorgh rocket carries Chinese-made parts, analysts say", "nuclear_missile"),
        # A second writer's words.
        ("Russian embassy's WeChat posts on Kursk draw millions of readers", "information_ops"),
        ("中俄媒体论坛在上海开幕", "information_ops"),
        ("Небензя назвал закрытой тему денуклеаризации КНДР", "nuclear_missile"),
        ("Shahab-3 upgrade: Pyongyang's fingerprints seen again", "nuclear_missile"),
        ("Russian and Iranian amateurs run the Pyongyang marathon", "other"),
        ("中国地震救援队抵达伊朗", "other"),
        ("로씨야 예술단 평양 공연", "other"),
        ("Chinese observers hail Russia's presidential vote", "other"),
        ("ایران و روسیه درباره امنیت اطلاعات گفت‌وگو کردند", "security_law"),
    ],
)
def test_topic_words_a_blind_writer_used(title: str, topic: str) -> None:
    assert _code(title).topic == topic


def test_a_venue_is_a_mention_but_not_a_party() -> None:
    """A city where leaders meet makes no pair with its state, in any language, yet it is named
    in the text: contract 2 lists it among the mentions, and the story stage reads it as a
    place two reports of the summit share."""
    for title in (
        "Xi met Pezeshkian in Kazan on the sidelines of the summit",
        "Си Цзиньпин и Пезешкиан провели переговоры в Казани на полях саммита БРИКС",
    ):
        coded = _code_on(title)
        assert coded.dyads == ("CN-IR",)
        assert "RU.kazan" in [m.actor_id for m in coded.actors]


@pytest.mark.parametrize(
    ("title", "text", "relevant", "dyads", "relation"),
    [
        # Friction "with" someone else is not the pair's own, and makes no pair of them ...
        ("Russia and China clash with US over Gaza text at Security Council", "", False, (),
         "none"),
        # ... where friction with each other, or with no one named, is.
        ("Moscow and Beijing spar with each other over Arctic shipping", "", True, ("CN-RU",),
         "contention"),
        ("Russia and China clash over Central Asia influence", "", True, ("CN-RU",),
         "contention"),
        # A deal that falls through is friction over it.
        ("North Korean missile parts sale to Iran falls through over payment, defector says", "",
         True, ("IR-KP",), "contention"),
        # A half of the headline without the list has a pair of its own ...
        ("North Korea, Iran and Russia condemn US strikes; Tehran thanks Moscow for backing", "",
         True, ("IR-RU",), "cooperation"),
        # ... and with none, the list is still a list.
        ("North Korea, Iran and Russia condemn US strikes; Washington warns of consequences", "",
         False, (), "none"),
        # Weapons of two origins side by side, in a third state's hands, join no pair; "rebel-
        # held" holds no meeting ...
        ("Myanmar junta's Russian-made and Chinese-built jets pound rebel-held towns", "", False,
         (), "none"),
        # ... where one state's weapons in the other's hands were handed over.
        ("Russian-made Iranian drones strike Kyiv", "", True, ("IR-RU",), "cooperation"),
        ("Russian troops shell rebel-held villages with North Korean rounds", "", True,
         ("KP-RU",), "cooperation"),
        # What talks did not touch on is no friction of theirs ...
        ("Kremlin: Putin and Xi did not discuss arms supplies in Beijing talks", "", True,
         ("CN-RU",), "cooperation"),
        # ... where a delivery that has not come is; one to come is a transfer.
        ("Russia has not delivered the Su-35 jets Iran paid for", "", True, ("IR-RU",),
         "contention"),
        ("Russia to deliver Su-35 fighter jets to Iran", "", True, ("IR-RU",), "cooperation"),
        # A diplomatic reception the other state's officials attend is a meeting.
        ("Iranian Ambassador Hosts Reception on Anniversary of Islamic Revolution",
         "The Iranian ambassador to the DPRK gave a reception at his embassy. Present there were "
         "officials of the DPRK Foreign Ministry.", True, ("IR-KP",), "cooperation"),
    ],
)  # fmt: skip
def test_friction_with_others_origins_side_by_side_and_halves_of_a_list(
    title: str, text: str, relevant: bool, dyads: tuple[str, ...], relation: str
) -> None:
    coded = _code_on(title, text)
    assert (coded.relevant, coded.dyads, coded.relation) == (relevant, dyads, relation)


@pytest.mark.parametrize(
    ("title", "event"),
    [
        # A treaty in any case of the Russian noun is an agreement ...
        ("Москва и Тегеран завершают работу над большим договором", "AGREE"),
        # ... and strengthening coordination is cooperation beside the friction that follows.
        ("伊朗与俄罗斯加强协调 双方在天然气价格上仍有分歧", "COOPERATE"),
    ],
)
def test_native_words_of_agreement_and_cooperation_set_the_event(title: str, event: str) -> None:
    assert _code_on(title).event_type == event


@pytest.mark.parametrize(
    ("title", "text", "dyads", "relation"),
    [
        # Chinese banks holding up or sending back Iranian transfers are friction ...
        ("گلایه بازرگانان از سخت‌گیری بانک‌های چینی در نقل‌وانتقال پول ایرانیان",
         "به گفته فعالان اتاق بازرگانی، برخی بانک‌های چینی حواله‌های مرتبط با ایران را ماه‌ها "
         "معطل نگه می‌دارند یا بازمی‌گردانند.", ("CN-IR",), "contention"),
        # ... and sympathy sent to the other's people a condolence.
        ("پیام تسلیت رهبر کره شمالی در پی شهادت رئیس‌جمهور",
         "کیم جونگ اون در پیامی به مقامات جمهوری اسلامی ایران، درگذشت آیت‌الله رئیسی را "
         "ضایعه‌ای بزرگ خواند و با ملت ایران ابراز همدردی کرد.", ("IR-KP",), "cooperation"),
    ],
)  # fmt: skip
def test_persian_leads_of_payments_held_up_and_condolences(
    title: str, text: str, dyads: tuple[str, ...], relation: str
) -> None:
    coded = _code_on(title, text)
    assert (coded.relevant, coded.dyads, coded.relation) == (True, dyads, relation)
