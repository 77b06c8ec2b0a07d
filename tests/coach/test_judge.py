"""The reader model: checked before it runs, deterministic, and its reading split exactly
into the sentences that made it."""

import json
import math

import numpy as np
import pytest

from attract.coach import analyse, encoder
from attract.coach.analyse import CHECKLIST_SHARE, checklist, split_sentences
from attract.coach.judge import encode, features, model
from attract.coach.train import fit, train

WARM_PITCH = ("Hi Priya, I loved your talk on supplier audits at the Leeds expo. "
              "We build audit software that cuts prep time by half. "
              "Could we book a 20-minute demo on Thursday?")


def test_embeddings_are_unit_length_and_repeatable():
    first = encoder.embed(["Loved your talk.", "What got you into audits?"])
    again = encoder.embed(["Loved your talk.", "What got you into audits?"])
    assert first.shape == (2, encoder.DIMENSIONS)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(first, again)
    assert encoder.embed([]).shape == (0, encoder.DIMENSIONS)


def test_a_different_model_file_is_refused(tmp_path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    with pytest.raises(encoder.ModelError, match="sha256"):
        encoder._checked(fake)


def test_the_reading_splits_exactly_into_sentences_and_the_rest():
    rules = checklist(WARM_PITCH, "Priya Shah", "linkedin")
    kinds = [m.kind for m in rules.moves]
    vectors, whole = encode(WARM_PITCH, rules.sentences)
    reading = model().read(vectors, whole, "linkedin", kinds)
    logit = model().logit(features(vectors, whole, "linkedin", kinds))
    assert math.isclose(model().bias + sum(reading.leans) + reading.whole, logit,
                        abs_tol=0.01)  # the leans are rounded to 3 places
    assert math.isclose(reading.probability, 1 / (1 + math.exp(-logit)), rel_tol=1e-6)
    assert len(reading.leans) == len(rules.sentences) == 3


def test_the_score_is_the_mean_of_the_checklist_and_the_reader():
    result = analyse(WARM_PITCH, "Priya Shah", "linkedin")
    judgement = result.judgement
    expected = CHECKLIST_SHARE * checklist(WARM_PITCH, "Priya Shah", "linkedin").score \
        + (1 - CHECKLIST_SHARE) * judgement.reader
    assert abs(result.score - expected) <= 1  # both halves are rounded for display
    assert result.verdict == "interruption"
    turned = [m for m in result.moves if m.turned]
    assert len(turned) == 1 and turned[0] is result.moves[judgement.turned]
    assert turned[0].lean < 0 and "interruption" in turned[0].pull
    assert "weighs most toward interruption" in judgement.reason


def test_hard_caps_hold_whatever_the_reader_thinks():
    note = ("Hi Sam, your talk on onboarding at the HR Tech meetup changed how I run week "
            "one; thank you. ")
    over = analyse(note * 4, "Sam Lee", "linkedin-invite")
    assert over.characters > 300 and over.score <= 40 and over.verdict == "interruption"


def test_a_one_sentence_message_is_embedded_once():
    text = "What got you into supplier audits?"
    vectors, whole = encode(text, split_sentences(text))
    assert len(vectors) == 1 and np.array_equal(vectors[0], whole)


def test_fit_is_deterministic_and_learns_a_separable_set():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(60, 5))
    y = (x[:, 0] > 0).astype(float)
    first, again = fit(x, y, 1.0), fit(x, y, 1.0)
    assert np.array_equal(first["weights"], again["weights"])
    assert first["weights"][0] > 0 and first["weights"][0] == max(first["weights"])


def test_training_writes_the_same_file_twice(tmp_path):
    rows = [{"text": t, "channel": "linkedin", "recipient": None, "verdict": v, "rating": r,
             "why": "-"} for t, v, r in [
        ("Loved your post on rota apps. What made you pick that one?", "attraction", 4),
        ("Buy my course today, the price goes up tomorrow.", "interruption", 1),
        ("Thanks for the intro last week; here is the report you asked for.", "attraction", 5),
        ("Follow me back and like my page please.", "interruption", 1),
    ]]
    for name in ("a.jsonl", "b.jsonl"):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    paths = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    train(paths, tmp_path / "one.json", report=lambda _: None)
    train(paths, tmp_path / "two.json", report=lambda _: None)
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
