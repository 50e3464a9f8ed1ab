"""The self-check as a person meets it: start, questions, errors, results."""

from __future__ import annotations

import re

import pytest

from .conftest import (
    FULL,
    SAME_ORIGIN,
    Flow,
    answers_for,
    form_action,
    hidden_fields,
    results_form_fields,
    texts_contradicting_a_safety_yes,
    visible_text,
)


def test_root_redirects_by_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/en/")


def test_start_page_explains_and_starts(client):
    html = client.get("/en/").get_data(as_text=True)
    text = visible_text(html)
    assert "not a diagnosis" in text
    assert "It takes about 5 minutes." in text
    assert "There are 19 questions." in text
    assert "We set no cookies" in text
    assert 'href="/en/check/burnout-self-check/questions"' in html
    assert 'href="/en/crisis"' in html


def test_unknown_language_and_questionnaire_are_404(client):
    assert client.get("/xx/").status_code == 404
    assert client.get("/en/check/nope/questions").status_code == 404


def test_question_page_structure(flow):
    html = flow.start().get_data(as_text=True)
    assert "Step 1 of 4" in html
    # One fieldset per question, its legend the question, nothing pre-selected.
    assert html.count("<fieldset") == 6
    assert html.count("<legend>") == 6
    assert "checked" not in html
    assert 'type="radio"' in html
    assert "When my working day ends, I feel I have nothing left to give." in html
    assert "<title>Your energy (step 1 of 4)" in html


def test_full_flow_to_results(flow):
    response = flow.complete(answers_for(pattern="worst"))
    html = response.get_data(as_text=True)
    text = visible_text(html)
    assert "<title>Your results" in html
    assert "This is not a diagnosis." in text
    assert "Burnout pattern" in text
    assert text.count("Level: High") == 3
    assert "Please talk to a licensed professional soon" in text
    assert "Family doctor or GP" in text and "Psychiatrist" in text
    assert "Occupational health service" in text
    assert "Protect your sleep" in text  # self-care for a raised dimension
    # English alone names no country: no US lines assumed, the fallback and the choice.
    assert "988" not in text and "Call your local emergency number." in text
    assert html.count('<svg class="chart"') == 3
    # One scale in the text: the questionnaire's own.
    assert "Score: 6 on a scale from 0 to 6." in text and "out of 100" not in text


def test_engaged_results_say_keep_an_eye_on_it(flow):
    text = visible_text(flow.complete(answers_for(pattern="best")).get_data(as_text=True))
    assert "Engaged pattern" in text
    assert "Keep an eye on it" in text
    assert text.count("Level: Low") == 3
    assert "Notice what gives you energy" in text  # general self-care


def test_moderate_results(flow):
    text = visible_text(flow.complete(answers_for(value=3)).get_data(as_text=True))
    # 3 on every item: reversed items count 3 as well, so every mean is 3.
    assert text.count("Level: Moderate") == 3
    assert "Consider talking to someone" in text
    assert "Mixed pattern" in text


def test_safety_yes_puts_crisis_help_before_any_score(flow):
    html = flow.complete(answers_for(pattern="best", safety=1)).get_data(as_text=True)
    crisis = html.index("Please reach out for support now")
    first_score = html.index("Level:")
    assert crisis < first_score
    assert html.index('class="crisis-first"') < html.index('class="dimensions"')
    assert "Call your local emergency number." in html  # no country told: the fallback


def test_safety_no_shows_crisis_lines_at_the_end(flow):
    html = flow.complete(answers_for(pattern="best", safety=0)).get_data(as_text=True)
    assert 'class="crisis-first"' not in html
    assert html.index("If you need to talk to someone now") > html.index("Level:")


def test_missing_answer_shows_summary_linking_each_question_and_keeps_answers(flow):
    first = flow.start()
    given = {"ex_nothing_left": "4", "ex_no_recovery": "2"}
    response = flow.submit(first, given)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Error: Your energy" in html
    assert "There is a problem" in html
    missing = ["ex_wake_tired", "ex_routine_effort", "ex_energy_for_day", "ex_energy_outside"]
    for item_id in missing:
        assert f'href="#{item_id}-0"' in html
        assert f'id="{item_id}-error"' in html
    # Two of six answered, four needed: the summary says so, short, by question number.
    assert "Answer at least 2 more questions on this page" in html
    # The summary and the inline message use the same words.
    for number in (2, 4, 5, 6):
        assert html.count(f"Answer question {number}<") == 2
    assert 'id="ex_nothing_left-4" name="ex_nothing_left" value="4" checked' in html
    assert 'id="ex_no_recovery-2" name="ex_no_recovery" value="2" checked' in html


def test_back_keeps_answers(flow):
    answers = answers_for(value=5)
    first = flow.start()
    step1 = {k: str(v) for k, v in answers.items() if k.startswith("ex_")}
    second = flow.submit(first, step1)
    assert "Step 2 of 4" in second.get_data(as_text=True)
    back = flow.submit(second, {"cy_motions": "1"}, action="back")
    html = back.get_data(as_text=True)
    assert "Step 1 of 4" in html
    assert html.count(" checked") == 6
    # The answer given on step 2 before going back is kept in a hidden field.
    assert hidden_fields(html)["cy_motions"] == "1"


def test_answers_never_in_url(flow):
    response = flow.start()
    step1 = {k: "3" for k in answers_for() if k.startswith("ex_")}
    second = flow.submit(response, step1)
    html = second.get_data(as_text=True)
    assert "?" not in form_action(html)
    assert 'method="post"' in html
    for link in re.findall(r'href="([^"]+)"', html):
        assert "ex_" not in link


def test_results_recomputed_from_answers_not_client_score(flow, client):
    results = flow.complete(answers_for(pattern="best"))
    fields = results_form_fields(results.get_data(as_text=True))
    # A client cannot send a score: any field the questionnaire does not know is refused.
    fields["score"] = "100"
    response = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    assert response.status_code == 400


def test_country_choice_changes_crisis_lines(flow, client):
    html = flow.complete(answers_for(value=3)).get_data(as_text=True)
    fields = {**results_form_fields(html), "country": "GB"}
    response = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    text = visible_text(response.get_data(as_text=True))
    assert "Samaritans" in text and "116 123" in text and "999" in text
    assert "988" not in text
    assert '<option value="GB" selected>' in response.get_data(as_text=True)


def test_unknown_country_falls_back_to_emergency_advice_and_directory(client):
    # Fiji has no entry in the directory.
    text = visible_text(client.get("/en/crisis?country=FJ").get_data(as_text=True))
    assert "Call your local emergency number." in text
    assert "Find A Helpline" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("US", "988"),
        ("CA", "9-8-8"),
        ("GB", "116 123"),
        ("IE", "1800 247 247"),
        ("AU", "13 11 14"),
        ("NZ", "1737"),
        ("DE", "0800 111 0 111"),
        ("FR", "3114"),
        ("ES", "024"),
        ("IT", "02 2327 2327"),
        ("NL", "113"),
        ("IN", "14416"),
        ("BR", "188"),
    ],
)
def test_crisis_page_for_each_country(client, code, expected):
    response = client.get(f"/en/crisis?country={code}")
    assert response.status_code == 200
    assert expected in visible_text(response.get_data(as_text=True))


def test_crisis_page_assumes_no_country_from_the_language_alone(client):
    response = client.get("/en/crisis")
    html = response.get_data(as_text=True)
    assert '<option value="other" selected>' in html
    text = visible_text(html)
    assert "Call your local emergency number." in text and "Find A Helpline" in text
    assert "988" not in text and "911" not in text
    assert "Accept-Language" in response.headers["Vary"]


def test_crisis_link_on_every_page(client, flow):
    pages = [client.get(p) for p in ("/en/", "/en/crisis", "/en/privacy", "/en/nope")]
    pages.append(flow.start())
    pages.append(flow.complete(answers_for()))
    for response in pages:
        assert 'class="crisis-link" href="/en/crisis"' in response.get_data(as_text=True)


def test_not_scored_dimension_is_explained(client):
    flow = Flow(client)
    response = flow.start()
    # Skip questions by posting straight to the results with too few answers:
    # the results page sends the person back to the first incomplete step.
    fields = {**hidden_fields(response.get_data(as_text=True))}
    fields.pop("step")
    fields["ex_nothing_left"] = "3"
    back = client.post("/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN)
    html = back.get_data(as_text=True)
    assert "There is a problem" in html and "Step 1 of 4" in html


def test_check_in_questionnaire_flow(client):
    from burnout_app.domain.questionnaire import load_questionnaire

    from .conftest import REPO

    check_in = load_questionnaire(REPO / "questionnaires" / "burnout-check-in.yaml")
    flow = Flow(client, check_in)
    text = visible_text(
        flow.complete(answers_for(check_in, pattern="worst")).get_data(as_text=True)
    )
    assert "Burnout pattern" in text
    assert FULL.title not in text or "Burnout check-in" in text


# --- the country the person is really in ------------------------------------------------

EMERGENCY_NUMBERS_ELSEWHERE = ("988", "911")


def header_client(app, accept_language: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = accept_language
    return client


@pytest.mark.parametrize(
    ("header", "country", "expected", "absent"),
    [
        ("en-GB,en;q=0.8", "GB", ["Samaritans", "116 123", "999"], EMERGENCY_NUMBERS_ELSEWHERE),
        ("en-AU", "AU", ["Lifeline", "13 11 14", "000"], EMERGENCY_NUMBERS_ELSEWHERE),
        ("en-IN", "IN", ["Tele MANAS", "14416"], EMERGENCY_NUMBERS_ELSEWHERE),
        ("en-US", "US", ["988", "911"], ("116 123",)),
        # A numeric region (Latin America) names no country: the next tag decides.
        ("es-419,en-AU;q=0.5", "AU", ["13 11 14"], ()),
        # Quality order, not header order.
        ("en-IE;q=0.4,en-GB;q=0.9", "GB", ["116 123", "999"], ()),
    ],
)
def test_country_from_the_region_of_accept_language(app, header, country, expected, absent):
    client = header_client(app, header)
    pages = {
        "crisis": client.get("/en/crisis"),
        "results": Flow(client).complete(answers_for(value=3)),
        "safety": Flow(client).complete(answers_for(value=3, safety=1)),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        text = visible_text(html)
        assert f'<option value="{country}" selected>' in html, name
        for number in expected:
            assert number in text, (name, number)
        for number in absent:
            assert number not in text, (name, number)
        assert "Accept-Language" in response.headers["Vary"], name


@pytest.mark.parametrize(
    ("header", "tel"),
    [("ar-EG", "16328"), ("ar-SA", "920033360"), ("ar-AE", "8008877")],
)
def test_arabic_regions_get_a_helpline_of_their_own_country(app, header, tel):
    country = header.split("-")[1]
    client = header_client(app, header)
    for url in ("/ar/crisis", "/en/crisis"):
        html = client.get(url).get_data(as_text=True)
        assert f'<option value="{country}" selected>' in html, url
        assert 'class="line"' in html and f'href="tel:{tel}"' in html, url


@pytest.mark.parametrize(
    ("config", "url", "header", "country"),
    [
        # The person's pick beats everything.
        ("IE", "/en/crisis?country=NZ", "en-GB", "NZ"),
        # The region of the browser's language beats the page's locale and the operator.
        ("IE", "/pt-br/crisis", "en-AU", "AU"),
        # The locale's own territory (pt_BR) beats the operator's default.
        ("IE", "/pt-br/crisis", "", "BR"),
        # The operator's default, when nothing else names a country.
        ("IE", "/en/crisis", "en", "IE"),
        ("", "/fr/crisis", "fr", "other"),
        # A region without lines in the directory: the fallback, not a guess.
        ("IE", "/en/crisis", "sw-TZ,en;q=0.5", "other"),
    ],
)
def test_country_resolution_order(config, url, header, country):
    from burnout_app.app import create_app

    app = create_app({"SECRET_KEY": "t", "TESTING": True, "DEFAULT_COUNTRY": config})
    html = header_client(app, header).get(url).get_data(as_text=True)
    assert f'<option value="{country}" selected>' in html


def crisis_block(html: str) -> str:
    """The section with id="crisis", up to its closing tag."""
    start = html.index('id="crisis"')
    return html[start : html.index("</section>", start)]


@pytest.mark.parametrize("safety", [0, 1])
def test_country_choice_sits_in_the_crisis_block_of_the_results(flow, client, safety):
    html = flow.complete(answers_for(value=3, safety=safety)).get_data(as_text=True)
    block = crisis_block(html)
    assert html.count('id="country"') == 1
    assert '<select id="country" name="country" form="answers-form">' in block
    action = re.search(r'formaction="([^"]+)"', block).group(1)
    assert action == "/en/check/burnout-self-check/results#crisis"
    # Without script: the button posts the answers with the choice, and the
    # crisis block shows the chosen country's lines.
    fields = {**results_form_fields(html), "country": "AU"}
    response = client.post(action.split("#")[0], data=fields, headers=SAME_ORIGIN)
    after = response.get_data(as_text=True)
    assert "13 11 14" in visible_text(crisis_block(after))
    assert '<option value="AU" selected>' in crisis_block(after)
    assert ('class="crisis-first"' in after) == bool(safety)


def test_fallback_shows_advice_directory_and_the_choice_together(client):
    html = client.get("/en/crisis?country=other").get_data(as_text=True)
    block = crisis_block(html)
    text = visible_text(block)
    assert "Call your local emergency number." in text
    assert "Find A Helpline" in text
    assert '<select id="country" name="country">' in block
    assert 'action="/en/crisis#crisis"' in block


def test_cost_is_shown_only_when_known(client):
    gb = visible_text(client.get("/en/crisis?country=GB").get_data(as_text=True))
    assert "Free to call" in gb
    # Switzerland's 143: its own page and the federal office disagree about cost.
    swiss = visible_text(client.get("/en/crisis?country=CH").get_data(as_text=True))
    assert "143" in swiss
    assert "Free to call" not in swiss and "Calls may cost money" not in swiss
    for text in (gb, swiss):
        assert "These services are free" not in text and "free, confidential" not in text


def test_a_line_that_may_cost_money_says_so(client):
    # Telefono Amico Italia is an ordinary Milan number: the caller pays for the call.
    italy = visible_text(client.get("/en/crisis?country=IT").get_data(as_text=True))
    assert "02 2327 2327" in italy
    assert "Calls may cost money" in italy and "Free to call" not in italy


def test_sources_are_never_shown(client, flow):
    from burnout_app.domain.referrals import load_referrals

    referrals = load_referrals()
    for code, entry in referrals.countries.items():
        html = client.get(f"/en/crisis?country={code}").get_data(as_text=True)
        shown = set(re.findall(r'href="([^"]+)"', html))
        for item in (*entry.lines, *entry.professionals):
            if item.source != item.url:
                assert item.source not in html, (code, item.name)
        assert referrals.directory.source not in shown
    results = flow.complete(answers_for(value=3))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    html = client.post(
        "/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN
    ).get_data(as_text=True)
    for route in referrals.countries["GB"].professionals:
        if route.source != route.url:
            assert route.source not in html


def test_country_routes_to_licensed_professionals_show_with_their_links(flow, client):
    results = flow.complete(answers_for(pattern="worst"))
    fields = {**results_form_fields(results.get_data(as_text=True)), "country": "GB"}
    html = client.post(
        "/en/check/burnout-self-check/results", data=fields, headers=SAME_ORIGIN
    ).get_data(as_text=True)
    section = html[html.index('class="professionals"') :]
    section = section[: section.index("</section>")]
    text = visible_text(section)
    assert "Family doctor or GP" in text  # the generic kinds stay
    assert "Finding licensed help in the United Kingdom" in text
    assert "Find a family doctor or GP: NHS" in text
    assert 'href="https://www.nhs.uk/"' in section
    assert "Check a psychologist's licence or find one" in text


def test_first_step_offers_the_country_prefilled_and_carries_it(app):
    client = header_client(app, "en-GB")
    flow = Flow(client)
    first = flow.start().get_data(as_text=True)
    assert '<option value="GB" selected>' in first
    assert "Crisis help on your results will be for this country." in first
    # The person picks Australia on step 1; it travels with the answers to the results.
    page = flow.start()
    from burnout_app.web.forms import steps_for

    steps = steps_for(FULL)
    answers = answers_for()
    for n, step in enumerate(steps):
        given = {k: str(v) for k, v in answers.items() if k in step.field_ids}
        page = flow.submit(page, given, **({"country": "AU"} if n == 0 else {}))
        html = page.get_data(as_text=True)
        if n < len(steps) - 1:
            assert hidden_fields(html)["country"] == "AU"
    assert "13 11 14" in visible_text(crisis_block(html))
    assert "116 123" not in visible_text(html)


@pytest.mark.parametrize("page", ["crisis", "privacy"])
def test_crisis_and_privacy_pages_lead_back_to_the_check(client, page):
    from burnout_app import i18n

    for locale in i18n.locales():
        lang = i18n.url_code(locale)
        html = client.get(f"/{lang}/{page}").get_data(as_text=True)
        main = html[html.index('<main id="main"') :]
        assert f'<p class="back-to-check"><a href="/{lang}/">' in main, lang


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de", "pt_BR", "ar"])
@pytest.mark.parametrize("questionnaire", ["burnout-self-check", "burnout-check-in"])
def test_safety_yes_results_read_as_support(app, locale, questionnaire):
    """Low scores with a yes to the safety question: nothing says all is well."""
    from flask import g

    from burnout_app import i18n
    from burnout_app.domain.questionnaire import load_questionnaire
    from burnout_app.web import content

    from .conftest import REPO

    q = load_questionnaire(REPO / "questionnaires" / f"{questionnaire}.yaml")
    client = header_client(app, "en-GB")
    html = Flow(client, q, lang=i18n.url_code(locale)).complete(
        answers_for(q, pattern="best", safety=1)
    )
    html = html.get_data(as_text=True)
    contradicting = texts_contradicting_a_safety_yes(app, q, locale)
    with app.test_request_context():
        g.locale = locale
        referrals = content().referrals
        tr = i18n.translate_content
        support = [
            tr(referrals.next_steps["safety"].title),
            *(tr(idea) for idea in referrals.self_care["safety"]),
        ]
        second = i18n.gettext("Professional help")
    text = visible_text(html)
    for sentence in contradicting:
        assert sentence not in text, sentence
    for sentence in support:
        assert sentence in text, sentence
    assert 'class="profile"' not in html and "next-none" not in html
    # Talk to someone now, professional help second, before any score.
    order = [
        html.index('class="crisis-first"'),
        html.index(f">{second}<"),
        html.index('class="dimensions"'),
    ]
    assert order == sorted(order)
    assert "116 123" in visible_text(crisis_block(html))


@pytest.mark.parametrize("locale", ["en", "es", "fr", "de", "pt_BR", "ar"])
def test_in_every_locale_the_region_decides_and_the_choice_is_in_the_crisis_block(app, locale):
    from burnout_app import i18n

    lang = i18n.url_code(locale)
    client = header_client(app, "en-GB,en;q=0.8")
    crisis = client.get(f"/{lang}/crisis")
    results = Flow(client, lang=lang).complete(answers_for(value=3))
    safety = Flow(client, lang=lang).complete(answers_for(value=3, safety=1))
    for name, response in {"crisis": crisis, "results": results, "safety": safety}.items():
        html = response.get_data(as_text=True)
        block = crisis_block(html)
        assert "116 123" in visible_text(block), name
        assert '<option value="GB" selected>' in block, name
        text = visible_text(html)
        assert "988" not in text and "911" not in text, name
        assert "Accept-Language" in response.headers["Vary"], name
    for response in (results, safety):
        block = crisis_block(response.get_data(as_text=True))
        assert f'formaction="/{lang}/check/burnout-self-check/results#crisis"' in block
    assert f'action="/{lang}/crisis#crisis"' in crisis_block(crisis.get_data(as_text=True))
