"""Sign up, sign in, sign out: good paths and every bad one gets a clear 4xx."""

import pytest

from attract import passwords
from attract.accounts import authenticate
from attract.extensions import login
from attract.models import User
from tests.helpers import PASSWORD, csrf_from

GOOD = {"name": "Ada Seller", "email": "Ada@Example.com", "password": PASSWORD,
        "confirm": PASSWORD}


def test_sign_up_signs_in_and_stores_argon2id_hash(client, post_form, db, mailbox):
    response = post_form("/auth/sign-up", GOOD)
    assert response.status_code == 200 and "Check your inbox" in response.get_data(
        as_text=True)
    assert "Sign out" not in client.get("/").get_data(as_text=True)  # not before the link
    assert mailbox.confirm(client).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Ada Seller" in page and "Sign out" in page
    user = db.session.scalar(db.select(User))
    assert user.email == "ada@example.com"  # normalised
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
        ({"email": ""}, "Enter your email address."),
        ({"name": ""}, "Tell us your name"),
        ({"password": "short", "confirm": "short"}, "Use 10 to 200 characters."),
        ({"confirm": "something else entirely"}, "The two passwords do not match."),
        ({"email": "x" * 250 + "@example.com"}, "Field cannot be longer than 254 characters."),
        ({"password": "1234567890", "confirm": "1234567890"}, "most common passwords"),
        ({"password": "password12", "confirm": "password12"}, "most common passwords"),
        ({"password": "Qwertyuiop", "confirm": "Qwertyuiop"}, "most common passwords"),
        ({"password": "\u200b" * 10, "confirm": "\u200b" * 10}, "invisible characters"),
        ({"password": " " * 12, "confirm": " " * 12}, "Choose a password."),
        ({"password": "p" * 5000, "confirm": "p" * 5000}, "at most 200 characters"),
        ({"name": "\u202e\u200b"}, "Tell us your name"),
    ],
)
def test_bad_sign_up_data(client, post_form, db, change, message):
    response = post_form("/auth/sign-up", {**GOOD, **change})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0


def test_bad_sign_up_keeps_what_was_typed_but_not_the_password(post_form):
    page = post_form("/auth/sign-up", {**GOOD, "confirm": "nope nope nope"}).get_data(as_text=True)
    assert 'value="Ada Seller"' in page and 'value="Ada@Example.com"' in page
    assert PASSWORD not in page


def test_sign_up_does_not_say_whether_an_address_has_an_account(app, post_form, make_user,
                                                                 mailbox):
    """The same page for a new address and a taken one (any case); only the mailbox's
    owner learns which: a link to confirm, or 'you already have an account'."""
    make_user(email="ada@example.com")
    taken = post_form("/auth/sign-up", GOOD)
    fresh = app.test_client()
    page = fresh.get("/auth/sign-up").get_data(as_text=True)
    new = fresh.post("/auth/sign-up", data={**GOOD, "email": "Bea@Example.com",
                                            "csrf_token": csrf_from(page)})
    assert taken.status_code == new.status_code == 200

    def body(response, email):
        return response.get_data(as_text=True).replace(email, "X")

    assert body(taken, "Ada@Example.com") == body(new, "Bea@Example.com")
    messages = mailbox.messages()
    assert "already has one" in messages[0] and "ada@example.com" in messages[0]
    assert "/auth/confirm/" in messages[1] and "bea@example.com" in messages[1]
    from attract.extensions import db

    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 2  # ada's and bea's
        assert authenticate("ada@example.com", PASSWORD) is not None  # untouched


def test_sign_in_and_out(client, make_user, post_form):
    make_user(email="sam@example.com")
    response = post_form("/auth/sign-in", {"email": "SAM@example.com", "password": PASSWORD})
    assert response.status_code == 303
    assert "Sign out" in client.get("/").get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    response = post_form("/", {}, action="/auth/sign-out")
    assert response.status_code == 303
    assert "Sign in" in client.get("/").get_data(as_text=True)
    assert page


def test_wrong_password_and_unknown_email_answer_the_same(make_user, post_form):
    make_user(email="sam@example.com")
    wrong = post_form("/auth/sign-in", {"email": "sam@example.com", "password": "wrong password!"})
    unknown = post_form("/auth/sign-in", {"email": "nobody@example.com", "password": "whatever12"})
    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        assert "The email or password is not right." in response.get_data(as_text=True)


def test_unknown_email_still_verifies_a_hash(app, monkeypatch):
    """Timing: an unknown email costs one argon2 verify, like a wrong password."""
    calls = []
    real = passwords.PasswordHasher.verify
    monkeypatch.setattr(passwords.PasswordHasher, "verify",
                        lambda self, *a: calls.append(1) or real(self, *a))
    with app.app_context():
        assert authenticate("ghost@example.com", "anything at all") is None
    assert calls == [1]


def test_sign_in_next_is_kept_on_site(make_user, post_form):
    make_user(email="sam@example.com")
    for target, expected in [("/courses/attraction-not-interruption",
                              "/courses/attraction-not-interruption"),
                             ("https://evil.example/", "/"), ("//evil.example", "/"),
                             ("/\\evil.example", "/")]:
        response = post_form(f"/auth/sign-in?next={target}",
                             {"email": "sam@example.com", "password": PASSWORD})
        assert response.headers["Location"] == expected, target
        post_form("/", {}, action="/auth/sign-out")


def test_forms_require_csrf(client, make_user):
    make_user(email="sam@example.com")
    response = client.post("/auth/sign-in", data={"email": "sam@example.com",
                                                  "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    response = client.post("/auth/sign-up", data=GOOD)
    assert response.status_code == 400


def test_session_protection_is_strong(app):
    assert login.session_protection == "strong"


def test_signed_in_user_is_redirected_from_sign_up(client, sign_in):
    sign_in()
    assert client.get("/auth/sign-up").status_code == 302


@pytest.fixture
def hashes(monkeypatch):
    """How many argon2 verifies ran."""
    calls = []
    real = passwords.PasswordHasher.verify
    monkeypatch.setattr(passwords.PasswordHasher, "verify",
                        lambda self, *a: calls.append(1) or real(self, *a))
    return calls


def test_the_eleventh_wrong_password_is_429_before_any_hash(make_user, post_form, hashes):
    make_user(email="sam@example.com")
    for _ in range(10):
        wrong = post_form("/auth/sign-in", {"email": "sam@example.com", "password": "nope nope"})
        assert wrong.status_code == 422
    assert len(hashes) == 10
    blocked = post_form("/auth/sign-in", {"email": "Sam@Example.com", "password": PASSWORD})
    assert blocked.status_code == 429 and 60 <= int(blocked.headers["Retry-After"]) <= 1800
    assert "Too many wrong passwords" in blocked.get_data(as_text=True)
    assert len(hashes) == 10  # refused before hashing: a flood costs no argon2 time


def test_api_tokens_share_the_count_and_answer_429(client, make_user, post_form, hashes):
    make_user(email="api@example.com")
    for _ in range(5):
        post_form("/auth/sign-in", {"email": "api@example.com", "password": "nope nope"})
    for _ in range(5):
        response = client.post("/api/tokens", json={"email": "api@example.com",
                                                    "password": "still wrong"})
        assert response.status_code == 401
    response = client.post("/api/tokens", json={"email": "api@example.com",
                                                "password": PASSWORD})
    assert response.status_code == 429 and response.json["error"] == "rate_limited"
    assert int(response.headers["Retry-After"]) >= 1 and len(hashes) == 10


def test_one_address_trying_many_accounts_is_throttled(app, make_user, hashes):
    client = app.test_client()
    for n in range(10):
        response = client.post("/api/tokens", json={"email": f"u{n}@example.com",
                                                    "password": "guess guess"})
        assert response.status_code == 401
    response = client.post("/api/tokens", json={"email": "u99@example.com", "password": "x"})
    assert response.status_code == 429
    elsewhere = app.test_client().post("/api/tokens", json={"email": "u98@example.com",
                                                            "password": "guess guess"},
                                       environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert elsewhere.status_code == 401


def test_the_address_is_the_proxys_unless_it_is_trusted(content_app, tmp_path, make_user):
    """X-Forwarded-For is believed only with TRUSTED_PROXIES set: a client could write it."""
    from tests.helpers import COURSE, Tree

    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    for trusted, expected in ((0, 429), (1, 401)):
        app = content_app(tree.root, TRUSTED_PROXIES=trusted)
        client = app.test_client()
        for n in range(10):
            client.post("/api/tokens", json={"email": f"p{trusted}{n}@example.com",
                                             "password": "guess guess"},
                        headers={"X-Forwarded-For": f"203.0.113.{n}"})
        last = client.post("/api/tokens", json={"email": f"p{trusted}x@example.com",
                                                "password": "guess guess"},
                           headers={"X-Forwarded-For": "203.0.113.200"})
        assert last.status_code == expected, trusted


def test_names_lose_direction_tricks_and_invisible_characters(post_form, db):
    name = "Ann\u202eelizaveta\u202c Smith\u200b\x07 \U0001F469\u200D\U0001F4BB"
    response = post_form("/auth/sign-up", {**GOOD, "name": name})
    assert response.status_code == 200
    stored = db.session.scalar(db.select(User.name))
    assert stored == "Annelizaveta Smith \U0001F469\u200D\U0001F4BB"  # ZWJ emoji kept


def test_session_cookie_flags(app, make_user, post_form):
    make_user(email="flags@example.com")
    response = post_form("/auth/sign-in", {"email": "flags@example.com",
                                           "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith(app.config["SESSION_COOKIE_NAME"] + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(content_app, tmp_path, make_user):
    from tests.helpers import COURSE, Tree, csrf_from

    tree = Tree(tmp_path / "content")
    tree.write("courses/basics.yaml", COURSE)
    app = content_app(tree.root, SESSION_COOKIE_SECURE=True)
    make_user(email="secure@example.com")
    client = app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    response = client.post("/auth/sign-in", data={
        "email": "secure@example.com", "password": PASSWORD, "remember": "y",
        "csrf_token": csrf_from(page)})
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" not in c]
    assert {c.split("=", 1)[0] for c in cookies} == {"session", "remember_token"}
    assert all("Secure" in c and "HttpOnly" in c and "SameSite=Lax" in c for c in cookies)


def test_the_session_cookie_carries_no_email_or_name(client, make_user, post_form):
    """Flask's session is signed, not encrypted: whoever holds it can read it."""
    import base64
    import zlib

    make_user(email="private@example.com", name="Priya Private")
    response = post_form("/auth/sign-in", {"email": "private@example.com",
                                           "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith("session="))
    payload = cookie.split("=", 1)[1].split(";")[0].lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.startswith("session=."):
        raw = zlib.decompress(raw)
    text = raw.decode("utf-8", "replace").lower()
    assert "private@example.com" not in text and "priya" not in text


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        if "Max-Age=0" not in rest:
            found[name] = rest.split(";", 1)[0]
    return found


def _signed_in(app, email, remember=True):
    client = app.test_client()
    page = client.get("/auth/sign-in").get_data(as_text=True)
    response = client.post("/auth/sign-in", data={
        "email": email, "password": PASSWORD, "remember": "y" if remember else "",
        "csrf_token": csrf_from(page)})
    assert response.status_code == 303
    return client, _cookies(response)


def _is_signed_in(app, **cookies) -> bool:
    client = app.test_client()
    for name, value in cookies.items():
        client.set_cookie(name, value)
    return client.get("/auth/account").status_code == 200


def test_copied_cookies_stop_working_at_sign_out(app, make_user):
    make_user(email="copy@example.com")
    client, cookies = _signed_in(app, "copy@example.com")
    assert set(cookies) == {"session", "remember_token"}
    assert _is_signed_in(app, session=cookies["session"])  # a copy works until sign-out
    page = client.get("/").get_data(as_text=True)
    client.post("/auth/sign-out", data={"csrf_token": csrf_from(page)})
    assert not _is_signed_in(app, session=cookies["session"])
    assert not _is_signed_in(app, remember_token=cookies["remember_token"])


def test_each_sign_in_gets_its_own_random_remember_cookie(app, make_user):
    make_user(email="twice@example.com")
    _, first = _signed_in(app, "twice@example.com")
    _, second = _signed_in(app, "twice@example.com")
    assert first["remember_token"] != second["remember_token"]
    assert first["session"] != second["session"]


def test_a_remember_cookie_is_used_once(app, make_user):
    """Using it signs the browser in and hands it a new one; the old one is refused."""
    make_user(email="once@example.com")
    _, cookies = _signed_in(app, "once@example.com")
    browser = app.test_client()
    browser.set_cookie("remember_token", cookies["remember_token"])
    response = browser.get("/auth/account")
    assert response.status_code == 200
    renewed = _cookies(response)["remember_token"]
    assert renewed != cookies["remember_token"]
    assert not _is_signed_in(app, remember_token=cookies["remember_token"])
    assert _is_signed_in(app, remember_token=renewed)


def test_sign_out_everywhere(app, make_user):
    make_user(email="every@example.com")
    laptop, _ = _signed_in(app, "every@example.com")
    phone, phone_cookies = _signed_in(app, "every@example.com")
    page = laptop.get("/auth/account").get_data(as_text=True)
    assert page.count("Signed in ") == 2 and "This browser" in page
    assert laptop.post("/auth/sign-out-everywhere").status_code in (302, 303, 400)  # no CSRF
    assert phone.get("/auth/account").status_code == 200  # nothing happened without it
    response = laptop.post("/auth/sign-out-everywhere", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 303
    assert laptop.get("/auth/account").status_code == 302
    assert phone.get("/auth/account").status_code == 302
    assert not _is_signed_in(app, remember_token=phone_cookies["remember_token"])


def test_a_session_from_before_sign_ins_were_stored_is_signed_out(app, make_user):
    """Cookies holding a bare user id (the old format) no longer sign anybody in."""
    user_id = make_user(email="old@example.com")
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    assert client.get("/auth/account").status_code == 302


def test_an_unconfirmed_account_cannot_sign_in_and_the_link_works_once(app, client,
                                                                       post_form, mailbox):
    post_form("/auth/sign-up", GOOD)
    refused = post_form("/auth/sign-in", {"email": "ada@example.com", "password": PASSWORD})
    assert refused.status_code == 422 and "Open the link we emailed" in refused.get_data(
        as_text=True)
    assert app.test_client().post("/api/tokens", json={
        "email": "ada@example.com", "password": PASSWORD}).status_code == 401
    link = mailbox.last_link()
    scanner = app.test_client()  # a mail scanner opens the link first: nothing happens
    assert scanner.get(link).status_code == 200
    assert scanner.get("/auth/account").status_code == 302
    browser = app.test_client()
    assert mailbox.confirm(browser).status_code == 303
    assert browser.get("/auth/account").status_code == 200
    assert app.test_client().get(link).status_code == 410  # once
    assert app.test_client().get("/auth/confirm/made-up").status_code == 410


def test_the_link_brings_a_newcomer_back_where_they_were(app, post_form, mailbox):
    post_form("/auth/sign-up?next=/courses/attraction-not-interruption", GOOD,
              action="/auth/sign-up?next=/courses/attraction-not-interruption")
    response = mailbox.confirm(app.test_client())
    assert response.headers["Location"].endswith("/courses/attraction-not-interruption")
    post_form("/auth/sign-up?next=https://evil.example", {**GOOD, "email": "c@example.com"},
              action="/auth/sign-up?next=https://evil.example")
    response = mailbox.confirm(app.test_client())
    assert "evil" not in response.headers["Location"]
