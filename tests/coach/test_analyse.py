"""The coach, criterion by criterion, and its bad inputs (no app needed)."""

import pytest

from attract.coach import MAX_TEXT, CoachInputError, analyse
from attract.coach.analyse import CAPS
from attract.coach.highlight import segments


def criterion(analysis, cid):
    return next(c for c in analysis.criteria if c.id == cid)


def test_a_message_that_attracts():
    text = ("Hi Priya, I enjoyed your talk on churn at the Leeds SaaS meetup. I put together "
            "the retention checklist we use, in case it's useful. How do you decide when a "
            "customer counts as churned?")
    result = analyse(text, "Priya Shah", "linkedin")
    assert result.verdict == "attraction" and result.score >= 85
    assert {c.id for c in result.criteria if c.status == "met"} >= {
        "greeting", "context", "question", "value", "asks", "pressure", "repeat"}
    greeting = criterion(result, "greeting")
    start, end = greeting.spans[0]
    assert text[start:end] == "Priya"


@pytest.mark.parametrize(
    ("text", "flag", "phrase"),
    [
        ("Hi Tom, endorse me for Sales please.", "asks", "endorse"),
        ("Please like my page and follow me.", "asks", "like my page"),
        ("Would you like a quick demo of our platform to grow your pipeline?", "question",
         "Would you like a quick demo"),
        ("As we're already friends, let's connect.", "context", "As we're already friends"),
        ("I messaged you twice already. Just need 25 more followers.", "repeat",
         "messaged you twice"),
        ("LAST CHANCE!!! Offer ends tonight.", "pressure", "!!!"),
        ("I found you through Priya's connections list and thought I'd reach out.", "context",
         "found you through Priya's connections"),
    ],
)
def test_each_flag_names_the_words(text, flag, phrase):
    result = analyse(text, None, "linkedin")
    flagged = criterion(result, flag)
    assert flagged.status == "flagged" and result.verdict == "interruption"
    assert any(phrase.lower() in text[a:b].lower() or text[a:b].lower() in phrase.lower()
               for a, b in flagged.spans), [text[a:b] for a, b in flagged.spans]
    assert flagged.advice and result.next_fix


def test_warmth_does_not_excuse_a_pitch():
    text = ("Hi Sam, loved your podcast episode on hiring, your point on trial days was "
            "spot on! Are you free for a 20-minute demo of our recruiting platform on Tuesday?")
    result = analyse(text, "Sam Ortiz", "linkedin")
    assert result.verdict == "interruption" and result.score <= 45 and "ask" in result.caps


def test_an_earned_ask_is_fine():
    text = ("Hi Laura, after our three calls and the walkthrough of your intake process, "
            "would a four-week pilot at one clinic make sense? If the timing is wrong, "
            "that's completely fine.")
    assert analyse(text, "Laura Kim", "email").verdict == "attraction"


def test_linkedin_invitation_over_300_characters_is_flagged():
    text = "Hi Ana, we met at the Porto design week. " + "I enjoyed our chat. " * 15
    length = criterion(analyse(text, "Ana", "linkedin-invite"), "length")
    assert length.status == "flagged" and "300" in length.reason


def test_an_email_without_a_greeting_is_flagged():
    greeting = criterion(analyse("Our rates are the best in town.", None, "email"), "greeting")
    assert greeting.points == 0 and "email with no greeting" in greeting.reason


def test_channels_and_aliases():
    assert analyse("Hi Sam, how was the trip?", "Sam", "twitter").channel == "x"
    assert analyse("Hi Sam, how was the trip?", "Sam").channel == "other"
    with pytest.raises(CoachInputError, match="Unknown channel 'fax'"):
        analyse("hello", None, "fax")


@pytest.mark.parametrize(("text", "message"), [("", "empty"), ("   \n ", "empty"),
                                               ("\x00\x07 \x1f", "empty"), (None, "empty"),
                                               (42, "must be a string")])
def test_bad_input_is_a_clear_error(text, message):
    with pytest.raises(CoachInputError, match=message):
        analyse(text)


def test_odd_input_gives_sane_results():
    emoji = analyse("🎉🎉🎉🙌")
    assert emoji.verdict == "interruption" and emoji.score <= 20 and emoji.words == 0
    control = analyse("Hi Sam,\x00\x07 what did you think of the talk?", "Sam")
    clean = analyse("Hi Sam, what did you think of the talk?", "Sam")
    assert (control.score, control.verdict) == (clean.score, clean.verdict)
    long = analyse("Hi Sam, what did you think? " * 178, "Sam", "email")  # 4,984 characters
    assert criterion(long, "length").status == "partial"
    with pytest.raises(CoachInputError, match="at most 5,000"):
        analyse("x" * (MAX_TEXT + 1))


def test_deterministic_and_scores_within_0_and_100():
    text = "Hey! Buy my course!!! Only 3 spots left. You need this."
    first, second = analyse(text), analyse(text)
    assert first == second and 0 <= first.score <= 100
    assert sum(c.max for c in first.criteria) == 100


def test_segments_cover_the_text_and_bad_wins():
    text = "Hi Sam! Please like my page and follow me!!"
    parts = segments(text, analyse(text, "Sam", "facebook"))
    assert "".join(p.text for p in parts) == text
    assert ("like my page", "bad") in [(p.text, p.kind) for p in parts]
    assert ("Sam", "good") in [(p.text, p.kind) for p in parts]


GOOD_NOTE = ("Hi Sam, I loved your talk on onboarding at the HR Tech meetup and would be "
             "glad to connect. ")


def test_an_invitation_over_its_limit_cannot_attract():
    long_note = GOOD_NOTE + (
        "Your point about the first week of a new hire stayed with me, and I have been "
        "trying it with our own team since. We moved the paperwork to day three and the "
        "buddy lunch to day one. The new starters noticed at once. How did you get your "
        "managers to give up the first morning?")
    assert len(long_note) > 300
    result = analyse(long_note, "Sam Lee", "linkedin-invite")
    assert result.verdict == "interruption" and "length" in result.caps
    assert result.score <= CAPS["length"]
    assert result.next_fix.startswith("Cut it to 300 characters")
    length = next(c for c in result.criteria if c.id == "length")
    assert length.spans == [(300, len(long_note))]
    assert analyse(long_note, "Sam Lee", "linkedin").verdict == "attraction"  # no limit there


def test_saying_the_same_sentence_again_earns_nothing():
    once = analyse(GOOD_NOTE.strip(), "Sam Lee", "linkedin")
    five = analyse((GOOD_NOTE * 5).strip(), "Sam Lee", "linkedin")
    assert five.score < once.score and five.score <= CAPS["repeat"]  # a hard cap
    assert five.verdict == "interruption" and "repeat" in five.caps
    repeat = next(c for c in five.criteria if c.id == "repeat")
    assert repeat.status == "flagged" and "5 times" in repeat.reason
    assert repeat.spans[0][0] == len(GOOD_NOTE)  # the second saying is the one marked


def test_short_courtesies_twice_are_not_repetition():
    text = ("Hi Priya, thanks! I read your piece on supplier audits: the checklist idea is "
            "sharp. How did your team pick the first ten? Thanks!")
    assert "repeat" not in analyse(text, "Priya Shah", "linkedin").caps
