"""flask --app app users create / users token / content check."""

from attract.models import User
from tests.helpers import LESSON, PASSWORD, QUIZ, Tree


def test_users_create_with_password(runner, db):
    result = runner.invoke(args=["users", "create", "Coach@Example.com", "--role", "trainer",
                                 "--password", PASSWORD, "--name", "Coach"])
    assert result.exit_code == 0, result.output
    assert "Created trainer coach@example.com" in result.output
    user = db.session.scalar(db.select(User))
    assert user.role == "trainer" and user.name == "Coach"


def test_users_create_prompts_for_password(runner, db):
    result = runner.invoke(args=["users", "create", "p@example.com"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User)).role == "learner"


def test_users_create_bad_input(runner, make_user):
    make_user(email="taken@example.com")
    duplicate = runner.invoke(args=["users", "create", "taken@example.com", "--password", PASSWORD])
    assert duplicate.exit_code == 1 and "already exists" in duplicate.output
    bad_email = runner.invoke(args=["users", "create", "nope", "--password", PASSWORD])
    assert bad_email.exit_code == 2 and "EMAIL" in bad_email.output
    bad_role = runner.invoke(args=["users", "create", "x@example.com", "--role", "boss",
                                   "--password", PASSWORD])
    assert bad_role.exit_code == 2
    weak = runner.invoke(args=["users", "create", "y@example.com", "--password", "short"])
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output


def test_users_token_works_with_the_api(runner, make_user, client):
    make_user(email="t@example.com")
    result = runner.invoke(args=["users", "token", "t@example.com"])
    assert result.exit_code == 0
    token = result.output.strip()
    response = client.get("/api/lessons/attraction-vs-interruption",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    unknown = runner.invoke(args=["users", "token", "ghost@example.com"])
    assert unknown.exit_code == 1 and "No account" in unknown.output


def test_content_check_ok(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0 and "Content OK: 1 course(s), 7 lesson(s)" in result.output


def test_content_check_reports_every_problem(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree = Tree(tmp_path / "bad")
    tree.write("lessons/hello.md", LESSON.replace("minutes: 5", "minutes: lots"))
    tree.write("lessons/other.md", "no front matter")
    result = runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "bad/lessons/hello.md:4: 'minutes' in the front matter must be a whole number " \
           "from 1 to 240" in lines
    assert any(line.startswith("bad/lessons/other.md:1: a lesson starts with") for line in lines)
    assert lines[-1] == "2 problem(s) found."


def test_content_check_prints_warnings_and_passes(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    tree = Tree(tmp_path / "warn")
    options = "    options: [{id: a, text: A}, {id: b, text: B}]\n"
    tree.write("quizzes/check.yaml", QUIZ + "".join(
        f'  - id: c{n}\n    type: choice\n    prompt: "P{n}"\n    points: 1\n'
        f'    explanation: "E"\n{options}    key: a\n' for n in range(3)))
    result = runner.invoke(args=["content", "check", "--dir", str(tree.root)])
    assert result.exit_code == 0, result.output
    assert "warn/quizzes/check.yaml:1: warning: 3 of 3 single-choice keys are option 1" \
        in result.stderr and "Content OK" in result.stdout
