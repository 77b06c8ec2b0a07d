"""One valid question of each type (and a multiple choice), shared by the scoring tests."""

SCENARIO = {"channel": "linkedin", "sender": "Dana", "recipient": "Sam",
            "message": "Hi Sam, please endorse me for seven skills."}

VERDICT = {"id": "v", "type": "verdict", "prompt": "p", "points": 1, "explanation": "e",
           "scenario": SCENARIO, "key": "interruption"}
SINGLE = {"id": "c1", "type": "choice", "prompt": "p", "points": 2, "explanation": "e",
          "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B", "credit": 0.5},
                      {"id": "c", "text": "C"}], "key": "a"}
MULTIPLE = {"id": "c2", "type": "choice", "prompt": "p", "points": 3, "explanation": "e",
            "multiple": True,
            "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"},
                        {"id": "c", "text": "C"}, {"id": "d", "text": "D"}],
            "key": ["a", "c"]}
RATING = {"id": "r", "type": "rating", "prompt": "p", "points": 1, "explanation": "e",
          "scenario": SCENARIO, "key": 4, "tolerance": 1}
RANK = {"id": "k", "type": "rank", "prompt": "p", "points": 2, "explanation": "e",
        "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"},
                    {"id": "c", "text": "C"}, {"id": "d", "text": "D"}],
        "key": ["c", "a", "d", "b"]}
SPOT = {"id": "s", "type": "spot", "prompt": "p", "points": 2, "explanation": "e",
        "scenario": {"channel": "x", "sender": "Dana", "recipient": "Sam"},
        "segments": [{"id": "s1", "text": "Hi Sam,"}, {"id": "s2", "text": "like my page"},
                     {"id": "s3", "text": "and follow me"}, {"id": "s4", "text": "thanks."}],
        "key": ["s2", "s3"]}
REWRITE = {"id": "w", "type": "rewrite", "prompt": "p", "points": 2, "explanation": "e",
           "scenario": SCENARIO, "min_score": 70, "sample": "Hi Sam, ..."}

ALL = [VERDICT, SINGLE, MULTIPLE, RATING, RANK, SPOT, REWRITE]
GRADED = ALL
