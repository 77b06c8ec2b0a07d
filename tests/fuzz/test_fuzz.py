"""Fuzzing with hypothesis: arbitrary input gives a result or a clear refusal, never a
traceback.

- the content loader on arbitrary YAML and front matter: a valid library, or a
  ContentError whose every problem names a file and a line;
- the coach on arbitrary text, recipients and channels: an analysis with a score in
  0-100 and spans inside the text, or a CoachInputError;
- the JSON API on arbitrary bodies: never a 5xx, always a JSON error with a message.
"""

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attract.coach import CHANNELS, CoachInputError, analyse
from attract.content import ContentError, load_library

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(
    allow_nan=True), st.text(max_size=40))
yaml_values = st.recursive(yaml_scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.text(string.ascii_lowercase + "_", max_size=12), children,
                    max_size=5)), max_leaves=12)
KEYS = ["title", "summary", "minutes", "objectives", "sources", "pass_mark", "attempts",
        "grading", "shuffle", "questions", "modules", "audience", "id", "type", "prompt",
        "key", "points", "explanation", "scenario", "options", "segments", "lesson", "quiz"]
documents = st.dictionaries(st.sampled_from(KEYS), yaml_values, max_size=8)


def _dump(value) -> str:
    import yaml

    return yaml.safe_dump(value, allow_unicode=True)


raw_yaml = st.one_of(documents.map(_dump), st.text(max_size=200),
                     st.sampled_from(["a: [1, 2", "- - -\n  : :", "!!python/object:os.system x",
                                      "key: &a [*a]", "\t- tab", "a: b: c", "---\n---\n",
                                      "? [a, b]\n: c", "x: \"\\ud800\""]))


@FUZZ
@given(course=raw_yaml, quiz=raw_yaml, front=raw_yaml, body=st.text(max_size=200))
def test_the_content_loader_reports_or_loads(tmp_path_factory, course, quiz, front, body):
    root = tmp_path_factory.mktemp("content")
    for folder in ("courses", "lessons", "quizzes"):
        (root / folder).mkdir()
    (root / "courses" / "c.yaml").write_text(course, encoding="utf-8", errors="surrogatepass")
    (root / "quizzes" / "q.yaml").write_text(quiz, encoding="utf-8", errors="surrogatepass")
    (root / "lessons" / "l.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8",
                                           errors="surrogatepass")
    try:
        library = load_library(root)
    except ContentError as error:
        assert error.problems
        for problem in error.problems:
            assert str(problem.path) and problem.line >= 1 and problem.message
    else:
        assert set(library.courses) <= {"c"}


@FUZZ
@given(text=st.text(max_size=600), recipient=st.one_of(st.none(), st.text(max_size=120)),
       channel=st.one_of(st.none(), st.sampled_from([*CHANNELS, "twitter", "fax", ""]),
                         st.text(max_size=10)))
def test_the_coach_analyses_or_refuses(text, recipient, channel):
    try:
        result = analyse(text, recipient, channel)
    except CoachInputError as error:
        assert str(error)
        return
    assert 0 <= result.score <= 100 and result.verdict in ("attraction", "interruption")
    for criterion in result.criteria:
        for start, end in criterion.spans:
            assert 0 <= start <= end <= len(result_text(text))
    assert len(result.moves) >= 1


def result_text(text):
    from attract.coach import check_input

    return check_input(text).text


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=30)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.text(max_size=10), children, max_size=4)),
    max_leaves=10)
ENDPOINTS = [("post", "/api/tokens"), ("post", "/api/coach"),
             ("post", "/api/workshops/ABCDEF/join"), ("post", "/api/workshops/ABCDEF/answers"),
             ("post", "/api/quizzes/spot-the-interruption/attempts"),
             ("post", "/api/workshops"), ("post", "/api/cohorts")]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_the_api_never_answers_5xx(app, api_token, method, path):
    headers = {"Authorization": f"Bearer {api_token('fuzz@example.com', role='trainer')}"}
    app.config["COACH_RATE_LIMIT"] = app.config["COACH_RATE_LIMIT_PER_ADDRESS"] = 10**6

    @FUZZ
    @given(body=st.one_of(json_values, st.dictionaries(
        st.sampled_from(["email", "password", "text", "recipient", "channel", "nickname",
                         "question_id", "answer", "confidence", "quiz", "course", "scoring",
                         "time_limit", "cohort", "name"]), json_values, max_size=5)),
           authorised=st.booleans())
    def run(body, authorised):
        client = app.test_client()
        response = getattr(client, method)(path, json=body,
                                           headers=headers if authorised else {})
        assert response.status_code < 500, (body, response.get_data(as_text=True)[:300])
        assert response.is_json and response.json["error"] if response.status_code >= 400 \
            else True
        if response.status_code >= 400:
            assert response.json["message"]

    run()


def test_a_control_character_in_front_matter_is_a_problem_with_a_line(tmp_path):
    """Found by the fuzzer: PyYAML's reader refused it while the loader was being made,
    outside the error handling, and the content check crashed with a traceback."""
    for folder in ("courses", "lessons", "quizzes"):
        (tmp_path / folder).mkdir()
    (tmp_path / "lessons" / "l.md").write_text("---\ntitle: ok\nsummary: \x1f\n---\nBody",
                                               encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path)
    problem = next(p for p in caught.value.problems if str(p.path).endswith("l.md"))
    assert problem.line == 3 and "x001f" in problem.message
