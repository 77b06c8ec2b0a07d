"""The coach reads a message as moves: one per sentence, its role, and why it matters."""

from attract.coach import analyse

PITCH = ("Hi Priya, I loved your talk on supplier audits at the Leeds expo. "
         "Are you free for a 20-minute demo on Thursday? "
         "It is a limited-time offer, so book today.")


def kinds(text, recipient=None, channel="linkedin"):
    result = analyse(text, recipient, channel)
    return [(text[m.start:m.end], m.kind) for m in result.moves]


def test_a_warm_opener_then_a_pitch_shows_where_it_turned():
    assert kinds(PITCH, "Priya Shah") == [
        ("Hi Priya, I loved your talk on supplier audits at the Leeds expo.", "reference"),
        ("Are you free for a 20-minute demo on Thursday?", "ask"),
        ("It is a limited-time offer, so book today.", "pressure"),
    ]


def test_each_move_has_a_label_an_effect_and_a_reason():
    for move in analyse(PITCH, "Priya Shah").moves:
        assert move.label and move.effect in ("good", "bad", "neutral")
        assert move.note or move.kind == "other"


def test_a_real_question_and_an_easy_way_out_earn_attention():
    text = ("Hi Tomás, your thread on night-shift rota apps was the clearest I have read. "
            "How did your nurses take to swapping shifts in the app? "
            "No worries if you are too busy to reply.")
    found = dict((kind, sentence) for sentence, kind in kinds(text, "Tomás Ruiz"))
    assert "question" in found and "easy_out" in found


def test_a_sentence_said_again_is_a_repeat_move():
    text = "Please have a look at my new page. " * 3
    assert [kind for _, kind in kinds(text.strip())][1:] == ["repeat", "repeat"]


def test_moves_cover_the_message_in_order_and_travel_in_the_api(client):
    body = client.post("/api/coach", json={"text": PITCH, "recipient": "Priya Shah",
                                           "channel": "linkedin"}).get_json()
    moves = body["moves"]
    assert [m["kind"] for m in moves] == ["reference", "ask", "pressure"]
    assert all(set(m) >= {"start", "end", "kind", "note"} for m in moves)
    assert [m["start"] for m in moves] == sorted(m["start"] for m in moves)
    assert PITCH[moves[1]["start"]:moves[1]["end"]].startswith("Are you free")
