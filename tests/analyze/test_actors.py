"""Finding actors in text, including the hard cases editors complain about."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crankcall.analyze import actors
from crankcall.analyze.actors import _THE_NORTH, ActorFinder, Found, _the_norths
from crankcall.analyze.gazetteer import load_gazetteer
from crankcall.analyze.text import sentences
from crankcall.models import Mention


@pytest.fixture(scope="module")
def finder() -> ActorFinder:
    return ActorFinder(load_gazetteer())


def _states(finder: ActorFinder, text: str) -> list[str]:
    return [str(f.country) for f in finder.find(text, sentences(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South Korea and Japan held talks in Seoul.", ["KR", "JP", "KR"]),
        ("North Korea fired a missile, Seoul said.", ["KP", "KR"]),
        ("Taiwan, officially the Republic of China, held drills.", ["TW", "TW"]),
        ("Russian-made Iranian drones hit the city.", ["RU", "IR"]),
        ("Iran-backed militias attacked the base.", ["IR"]),
        ("Sino-Russian ties deepened.", ["CN", "RU"]),
        ("China, Russia, Iran and North Korea voted against.", ["CN", "RU", "IR", "KP"]),
        ("The Kremlin said Pyongyang and Beijing agreed.", ["RU", "KP", "CN"]),
        ("Iranians and North Koreans attended.", ["IR", "KP"]),
        ("RUSSIA AND NORTH KOREA SIGN DEFENCE PACT", ["RU", "KP"]),
    ],
)
def test_states_found_in_order(finder: ActorFinder, text: str, expected: list[str]) -> None:
    assert _states(finder, text) == expected


def test_ambiguous_korean_follows_the_korea_the_article_names(finder: ActorFinder) -> None:
    north = "Pyongyang sent more shells. Korean officials denied it."
    assert _states(finder, north) == ["KP", "KP"]
    south = "Seoul protested. Korean officials summoned the envoy."
    assert _states(finder, south) == ["KR", "KR"]
    assert _states(finder, "Korean food is popular.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # North Korea's ruling party has a Central Military Commission too.
        ("The ruling party's Central Military Commission said its units fought in Kursk.", ["RU"]),
        ("The WPK Central Military Commission issued a statement.", ["KP"]),
        ("The Central Military Commission of the Workers' Party of Korea spoke.", ["KP"]),
        ("Belousov met officers of China's Central Military Commission.", ["RU", "CN", "CN"]),
        ("Xi Jinping chaired a meeting of the Central Military Commission.", ["CN", "CN"]),
        ("The State Council met on Friday.", []),
        # A person's short name needs no context: he is the only Kim news names alone.
        ("Kim inspected a munitions factory.", ["KP"]),
    ],
)
def test_an_ambiguous_institution_needs_its_state_named(
    finder: ActorFinder, text: str, expected: list[str]
) -> None:
    assert _states(finder, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "The North" after North Korea is named: wire copy on the peninsula.
        (
            "North Korea sent troops. The North has shipped missiles to Russia.",
            ["KP", "KP", "RU"],
        ),
        ("Pyongyang and the North's army", ["KP", "KP"]),
        # Not before a name ("the North Caucasus"), nor where North Korea is not named.
        ("North Korea and Russia met in the North Caucasus.", ["KP", "RU"]),
        ("Snow fell across the North on Sunday, Britain's forecasters said.", ["GB"]),
        # Russian names the others in full, in every case.
        ("Граница России и Корейской Народно-Демократической Республики", ["RU", "KP"]),
        ("Визит в Исламскую Республику Иран", ["IR"]),
        ("Переговоры с Китайской Народной Республикой", ["CN"]),
        # The abbreviations, the Celestial Empire and the peoples, in Russian; Persian's
        # abbreviation of the Islamic Republic.
        ("Армия РФ получает снаряды из КНДР", ["RU", "KP"]),
        ("Посол ИРИ в Москве", ["IR", "RU"]),
        ("Поднебесная наращивает закупки", ["CN"]),
        ("Северокорейцы воюют за россиян", ["KP", "RU"]),
        ("تقدیم استوارنامه سفیر ج.ا.ا در پیونگ‌یانگ", ["IR", "KP"]),
        # Compounds of a CRANK state and an outside one, as headlines name a relationship.
        ("中美关系和美伊谈判", ["CN", "US", "US", "IR"]),
        ("북·미 대화와 남북 관계", ["KP", "US", "KR", "KP"]),
        # The Kremlin, Xi, the Leader of the Revolution, Patrushev, a Russian counterpart.
        ("克里姆林宫称会谈富有成效", ["RU"]),
        ("习主席发表新年贺词", ["CN"]),
        ("رهبر انقلاب در دیدار با فرماندهان", ["IR"]),
        ("Патрушев провёл консультации с иранскими коллегами", ["RU", "IR"]),
        ("عراقچی با همتای روس خود گفت‌وگو کرد", ["IR", "RU"]),
        # Persian's Islamic Republic is Iran's, unless another is named.
        ("جمهوری اسلامی پاکستان و جمهوری اسلامی", ["PK", "IR"]),
        # A shouting headline keeps its abbreviations as written.
        ("DPRK AND IRAN SIGN MILITARY PACT", ["KP", "IR"]),
        ("КНДР и ИРИ", ["KP", "IR"]),
    ],
)
def test_more_names_of_the_states(finder: ActorFinder, text: str, expected: list[str]) -> None:
    assert _states(finder, text) == expected


def _people(finder: ActorFinder, text: str) -> list[tuple[str, str]]:
    return [(f.actor, f.text) for f in finder.find(text, sentences(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Named in full, then quoted beside South Korea: still Kim Jong Un.
        (
            "Kim Jong Un visited the Russian embassy. South Korea's ministry said Kim wanted "
            "recognition.",
            [
                ("KP.kim_jong_un", "Kim Jong Un"),
                ("RU", "Russian"),
                ("KR", "South Korea"),
                ("KP.kim_jong_un", "Kim"),
            ],
        ),
        # A headline's "Kim", named in full in the lead.
        (
            "Kim skips parade in Moscow\n\nSeoul said Kim Jong Un stayed in Pyongyang.",
            [
                ("KP.kim_jong_un", "Kim"),
                ("RU", "Moscow"),
                ("KR", "Seoul"),
                ("KP.kim_jong_un", "Kim Jong Un"),
                ("KP", "Pyongyang"),
            ],
        ),
        # Another Kim named in full in between: "Kim" is his, not the North's leader's.
        (
            "Kim Jong Un fired missiles. In Seoul, Kim Yong-hyun said Kim would answer.",
            [("KP.kim_jong_un", "Kim Jong Un"), ("KR", "Seoul"), ("KR", "Kim"), ("KR", "Kim")],
        ),
    ],
)
def test_a_short_name_refers_back_to_the_full_name_before_it(
    finder: ActorFinder, text: str, expected: list[tuple[str, str]]
) -> None:
    assert _people(finder, text) == expected


def test_korean_with_no_korea_in_its_sentence_goes_to_the_nearest_one_named(
    finder: ActorFinder,
) -> None:
    text = "Seoul protested on Monday. Pyongyang fired again. A Korean statement came later."
    assert _states(finder, text) == ["KR", "KP", "KP"]
    text = "Pyongyang fired again. A Korean statement came later. Seoul protested on Monday."
    assert _states(finder, text) == ["KP", "KP", "KR"]


def _refers_back_by_slicing(mention: Found, firm: list[Found], text: str) -> bool:
    """What `_refers_back` answers, asked the plain way: the text between the full name and the
    short one, searched for a longer name that begins with the short one."""
    if actors._NAME_GOES_ON.match(text, mention.end):
        return False
    own = [f for f in firm if f.actor == mention.actor]
    if not own:
        return False
    before = [f for f in own if f.end <= mention.start]
    between = text[before[-1].end : mention.start] if before else text[mention.end : own[0].start]
    return actors.re.search(rf"\b{actors.re.escape(mention.text)}\b(?=[ -][A-Z])", between) is None


_PARTS = [
    "Kim",
    "Kim Jong Un",
    "Kim Yo Jong",
    "Kim Moon-soo",
    "Kim Yong-hyun",
    "Korean",
    "Koreans",
    "Seoul",
    "Pyongyang",
    "South Korea",
    "Putin",
    "Moscow",
    "State Council",
    "Beijing",
    "China",
    "said",
    "met",
    "and",
    ".",
    ",",
    ";",
    "Kim-",
    "Kim Kim",
    "\n\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), min_size=1, max_size=60))
def test_short_names_resolve_as_the_plain_search_of_the_text_between_says(
    finder: ActorFinder, parts: list[str]
) -> None:
    # Each ambiguous mention is judged from indexes of the firm ones (by actor, state and
    # sentence), not a pass over all of them: a long text naming many people by short name took
    # time growing with the square of its mentions. The answers are those of the plain search.
    text = " ".join(parts)
    starts = [span.start for span in sentences(text)]
    found = [
        Found(
            *finder._meaning[surface][:2],
            text[start:end],
            start,
            end,
            actors._sentence_of(starts, start),
            finder._meaning[surface][2],
        )
        for start, end, surface in finder._match(text, None, native=False)
    ]
    firm = [f for f in found if f.kind != "ambiguous"]
    context = actors._Firm(firm, text)
    for mention in found:
        if mention.kind == "ambiguous" and mention.actor in finder._people:
            assert actors._refers_back(mention, context) == _refers_back_by_slicing(
                mention, firm, text
            ), (text, mention)


def test_native_mentions_of_a_long_text_hold_their_own_spans(finder: ActorFinder) -> None:
    # Byte offsets of the other scripts' forms are turned into character offsets in one pass
    # over the text: every span still holds its mention, to the end of a long text.
    unit = "ایران و روسیه توافق کردند. Россия и Китай подписали соглашение. 中国和俄罗斯签署协议。"
    text = unit * 400
    found = finder.find(text, sentences(text))
    assert len(found) == 6 * 400
    assert all(text[f.start : f.end] == f.text for f in found)
    assert [f.country for f in found[-6:]] == ["IR", "RU", "RU", "CN", "CN", "RU"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Korean headlines name states by one Chinese character, and Russia by "러".
        ("北, 러시아에 포탄 수백만발 제공", ["KP", "RU"]),
        ("시진핑, 北 정권수립 기념행사 불참", ["CN", "KP"]),
        ("美 국무부, 北에 무기 지원 중단 경고", ["US", "US", "KP"]),  # 국무부: State Department
        ("러 외무장관, 北 방문…김정은 접견", ["RU", "KP", "KP"]),
        ("한국 해경, 불법조업 中어선 3척 나포", ["KR", "CN"]),
        # Two or three in a row name each their state ("North Korea-China trade").
        ("北中 교역 회복세", ["KP", "CN"]),
        ("韓美日 외교장관 회담", ["KR", "US", "JP"]),
        # ... not inside a word of Chinese characters, after a figure, or inside 러시아.
        ("北京和莫斯科签署协议", ["CN", "RU"]),
        ("북한 3日 미사일 발사", ["KP"]),
        ("러시아, 북한에 방공체계 지원", ["RU", "KP"]),
        # Ri Chang Dae, North Korea's security minister, is not Li Qiang.
        ("리창대 국가보위상, 러시아 대표단 접견", ["RU"]),
        # North Korea as "북" standing alone, as Yonhap's Korean headlines name it ...
        ("북, 한미연합훈련 맹비난", ["KP"]),
        ("북 미사일 발사에 러 침묵", ["KP", "RU"]),
        # ... not a drum beaten, nor the start of a word.
        ("북 치는 소년과 북을 울리는 아이", []),
        ("북쪽으로 이동한 북한군", ["KP"]),
    ],
)
def test_korean_one_letter_names_of_states(
    finder: ActorFinder, text: str, expected: list[str]
) -> None:
    assert _states(finder, text) == expected


def test_people_resolve_to_their_states_with_spans(finder: ActorFinder) -> None:
    text = "Putin met Kim Jong Un; Pezeshkian called Xi Jinping."
    found = finder.find(text, sentences(text))
    assert [(f.actor, f.country) for f in found] == [
        ("RU.putin", "RU"),
        ("KP.kim_jong_un", "KP"),
        ("IR.pezeshkian", "IR"),
        ("CN.xi_jinping", "CN"),
    ]
    assert all(text[f.start : f.end] == f.text for f in found)


def test_native_forms_are_found_without_word_boundaries(finder: ActorFinder) -> None:
    text = "中俄关系和俄罗斯与朝鲜签署条约。"
    assert "RU" in _states(finder, text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中俄联合演习在湛江开幕", ["CN", "RU"]),
        ("북러 정상회담", ["KP", "RU"]),
        ("북·중 교역 감소", ["KP", "CN"]),
        ("外交部：中方尊重伊朗主权", ["CN", "IR"]),
        ("Российско-китайские переговоры", ["RU", "CN"]),
    ],
)
def test_compounds_and_short_forms_of_state_media(
    finder: ActorFinder, text: str, expected: list[str]
) -> None:
    found = finder.find(text, sentences(text))
    assert [str(f.country) for f in found] == expected
    assert all(text[f.start : f.end] == f.text for f in found)


@pytest.mark.parametrize(
    "text",
    [
        "汪洋大海中的一艘船",  # "a vast ocean": a word, not Wang Yang
        "韩正式宣布新政策",  # "Korea formally announces", not Han Zheng
        "Грозный ответ Москвы",  # "a stern answer", not the city
        "Сила Сибири и Синвар",  # Xi's short Russian form only as a word of its own
    ],
)
def test_native_forms_that_are_ordinary_words_are_left_out(finder: ActorFinder, text: str) -> None:
    found = [f.actor for f in finder.find(text, sentences(text))]
    assert not {"CN.wang_yang", "CN.han_zheng", "RU.chechnya", "CN.xi_jinping"} & set(found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The Pacific holds Pyongyang's name, a shipyard and a tanker hold Korea's (조선).
        ("인도태평양 전략과 평양의 반발", ["평양"]),
        ("서태평양에서 훈련", []),
        ("조선소 수주 급증, 유조선 나포…조선 외무성 담화", ["조선 외무성"]),
        ("조선업 호황", []),
        ("和平城市论坛在平城举行", ["平城"]),  # "peace city" is no Pyongsong
        ("이것이야말로 야말 반도의 LNG", ["야말"]),  # "-야말로" is a particle, not Yamal
        ("불우한 이웃과 우한 연구소", ["우한"]),  # "unfortunate" is no Wuhan
        ("보스또츠느이우주발사장에서 회담", []),  # Vostochny's 이우주 is no Yiwu (이우시 is)
        (
            "사우디 국왕이 유리창 너머로",
            ["사우디"],
        ),  # a king, a window pane: no Wang Yi, no Li Qiang
        ("조국의 존엄을 선양하는 길에서 선양 총영사관", ["선양"]),  # exalting is no Shenyang
        ("化工行业和加工行业的工商银行贷款", ["工商银行"]),  # the chemical industry is no ICBC
        ("朝鲜半岛局势和延边朝鲜族自治州", ["延边"]),  # the peninsula, the ethnic Koreans
        ("中美洲国家美中不足", []),  # Central America, a flaw in the jade
    ],
)
def test_chinese_and_korean_words_holding_a_name_name_nothing(
    finder: ActorFinder, text: str, expected: list[str]
) -> None:
    assert [f.text for f in finder.find(text, sentences(text))] == expected


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Госдума ратифицировала договор", "RU.duma"),
        ("伊朗伊斯兰革命卫队发表声明", "IR.irgc"),
        ("توقیف محموله در بندرعباس", "IR.bandar_abbas"),
        ("북한, 상하이협력기구 가입 추진", "INT.sco"),
        ("Роснефть и китайские партнёры", "RU.rosneft"),
        ("中国外交部发言人表示", "CN.mfa"),
        ("조선인민군 총참모부 발표", "KP.kpa"),
    ],
)
def test_institutions_and_places_are_known_by_their_native_names(
    finder: ActorFinder, text: str, actor: str
) -> None:
    assert actor in [f.actor for f in finder.find(text, sentences(text))]


@pytest.mark.parametrize(
    "text",
    [
        "印度尼西亚总统访华",  # Indonesia holds India's Chinese name: India has none alone
        "인도적 지원을 논의",  # "humanitarian" holds India's Korean name
        "俄罗斯外交部发言人",  # a ministry named with its state is that state's, not China's
    ],
)
def test_native_names_inside_other_words_are_left_out(finder: ActorFinder, text: str) -> None:
    found = [f.actor for f in finder.find(text, sentences(text))]
    assert "IN" not in found and "CN.mfa" not in found


def test_finds_and_mentions_built_directly_equal_their_dataclasses() -> None:
    """The coder builds finds as tuples and mentions by setting their fields directly (quicker
    than keyword construction and a frozen dataclass's __init__); every field must be set."""
    args = {"actor": "RU", "country": "RU", "text": "Russia", "start": 3, "end": 9}
    built = actors.new_found(*args.values(), 1, "names")
    assert built == Found(**args, sentence=1, kind="names")
    assert hash(built) == hash(Found(**args, sentence=1, kind="names"))
    mention = actors.mentions_of([built])[0]
    assert mention == Mention(
        actor_id="RU", country="RU", text="Russia", start=3, end=9, sentence=1
    )
    assert len(actors._SET_MENTION) == len(dataclasses.fields(Mention))


@pytest.mark.parametrize(
    ("text", "actor"),
    [
        ("Без Асада: что теряют Россия и Иран", "SY.assad"),
        ("سقوط اسد؛ ضربه‌ای سنگین به همکاری تهران و مسکو", "SY.assad"),
        ("북한군, 쿠르스크 전선 투입", "RU.kursk"),
        ("欧盟通过第15轮对俄制裁", "INT.eu"),
        ("Зеленский заявил о потерях северокорейских войск", "UA.zelensky"),
        ("Переговоры Лаврова и Ван И прошли в Москве", "RU.lavrov"),
        ("Песков прокомментировал визит", "RU.peskov"),
        ("«Росатом» доставил топливо для АЭС «Бушер»", "IR.bushehr"),
        # The people of the gazetteer by their names in the four languages, and the provinces.
        ("Рябков: Россия, Китай и Иран выступили против санкций", "RU.ryabkov"),
        ("里亚布科夫谈伊朗核问题", "RU.ryabkov"),
        ("گفت‌وگوی ریابکوف و غریب‌آبادی در پکن", "RU.ryabkov"),
        ("Встреча с Эрдоганом прошла в Анкаре", "TR.erdogan"),
        ("辽宁企业赴朝考察", "CN.liaoning"),
        ("Губернатор Приморья посетил Находку", "RU.nakhodka"),
        ("استاندار گیلان از بندر انزلی بازدید کرد", "IR.gilan"),
    ],
)
def test_outside_actors_of_crank_stories_in_the_languages_of_state_media(
    finder: ActorFinder, text: str, actor: str
) -> None:
    """Reports in Russian, Persian, Korean and Chinese name the same outside people and places
    as English ones: stories join them on those names."""
    assert actor in [f.actor for f in finder.find(text, sentences(text))]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("the North", "The North", "he North", "North", "t", "T", " ", "  ", "\n"),
                *("\t", "-", "_", ".", "x", "1", "É", "é", "Caucasus", "korea", "\u00a0"),
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_the_north_is_found_where_its_pattern_matches(text: str) -> None:
    """`_the_norths` looks for "he North" and checks the letters around it instead of running
    the pattern at every character: it must find exactly what the pattern finds."""
    assert list(_the_norths(text)) == [m.span() for m in _THE_NORTH.finditer(text)]


def _name_forms() -> list[dict[str, str]]:
    path = Path(__file__).resolve().parents[1] / "gold" / "name-forms.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_the_forms_media_name_the_states_and_their_people_by_are_found(
    finder: ActorFinder,
) -> None:
    """A list written blind to the finder (tests/gold/name-forms.jsonl: 390 forms in five
    languages, each in a sentence of its own) of how media name the four states and their
    people: every form is found as a mention of its state, but those left out on purpose
    (`left_out` says why: a word with another sense), which are found as none."""
    missed, wrongly = [], []
    for row in _name_forms():
        text, form = row["sentence"], row["form"]
        at = text.index(form)
        found = any(
            f.start < at + len(form) and at < f.end and f.country == row["state"]
            for f in finder.find(text, sentences(text))
        )
        if found == bool(row.get("left_out")):
            (wrongly if found else missed).append(f"{row['lang']} {form}")
    assert not missed and not wrongly, (missed, wrongly)


@st.composite
def _apart_spans(draw: st.DrawFn) -> list[tuple[int, int, str]]:
    """Spans in a text of 200 characters, none overlapping another, in any order."""
    cuts = sorted(draw(st.sets(st.integers(0, 200), max_size=30)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return draw(st.permutations([(s, e, "x") for s, e in pairs if s < e]))


@given(spans=_apart_spans(), start=st.integers(0, 200), length=st.integers(1, 20))
@settings(max_examples=300, deadline=None)
def test_a_span_is_free_as_a_pass_over_every_span_taken_says(
    spans: list[tuple[int, int, str]], start: int, length: int
) -> None:
    """Whether a new mention overlaps one found already, answered by bisection (texts naming
    the states thousands of times), as comparing it with every one answers it."""
    end = start + length
    plain = not any(s < end and start < e for s, e, _ in spans)
    assert actors._Taken((s, e) for s, e, _ in spans).free(start, end) == plain
