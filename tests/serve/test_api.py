"""The HTTP API against a real server: each route answers what its command prints, and
bad input gets the command's message as problem details, never a 500."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner

from eligibility.cli import cli
from eligibility.profile.model import FIELDS
from eligibility.questionnaire.questions import load_questions
from eligibility.questionnaire.session import open_session, replay, typed_answers
from eligibility.questionnaire.step import Asked
from eligibility.rules.loader import RuleSet
from tests.conftest import BEFORE_MES, FIXTURES, RULES
from tests.serve.conftest import Server, start_server

EHR = FIXTURES / "profiles" / "hospital-ehr.yaml"
PORTFOLIOS = FIXTURES / "portfolios"
YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}
PROBLEM = "application/problem+json"


def cli_out(*args: str) -> str:
    """What a command prints on standard output (it must succeed)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.stderr
    return result.stdout


def cli_error(*args: str) -> str:
    """The message a command prints for bad input (without ``Error: ``)."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 1, result.output
    return result.stderr.removeprefix("Error: ").rstrip("\n")


def problem_of(response: httpx.Response, status: int) -> dict[str, object]:
    """The problem details of an error response, checked for its status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


@pytest.mark.parametrize(
    ("query", "options"),
    [("", []), ("?trace=false&lang=fr", ["--no-trace", "--lang", "fr"])],
    ids=["default", "no-trace-fr"],
)
def test_a_decision_is_byte_for_byte_what_evaluate_prints(
    client: httpx.Client, query: str, options: list[str]
) -> None:
    """The body of POST /v1/decisions is `evaluate --format json` for the same file."""
    response = client.post(f"/v1/decisions{query}", content=EHR.read_bytes(), headers=YAML)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.text == cli_out("evaluate", str(EHR), "--format", "json", *options)


def test_a_json_body_decides_as_the_same_profile_in_yaml(client: httpx.Client) -> None:
    """JSON and YAML bodies are the same profile."""
    data = yaml.safe_load(EHR.read_text())
    as_json = client.post("/v1/decisions", json=data)
    as_yaml = client.post("/v1/decisions", content=EHR.read_bytes(), headers=YAML)
    assert as_json.status_code == 200
    assert as_json.content == as_yaml.content


def test_malformed_json_gets_the_message_evaluate_gives(
    client: httpx.Client, tmp_path: Path
) -> None:
    """A body that does not parse: 422 with the CLI's message, the body named for the file."""
    text = '{"id": "x", "categories": ["DPI"]'
    path = tmp_path / "bad.json"
    path.write_text(text)
    body = problem_of(client.post("/v1/decisions", content=text, headers=JSON), 422)
    assert body["detail"] == cli_error("evaluate", str(path)).replace(str(path), "request body")
    assert body["title"] == "Unreadable input"


@pytest.mark.parametrize(
    ("text", "suffix", "headers"),
    [
        ('{"id": "x", "id": "y"}', ".json", JSON),
        ("id: x\nname: &a [1]\nextra: *a\n", ".yaml", YAML),
    ],
    ids=["json-key-twice", "yaml-alias"],
)
def test_a_body_is_read_as_strictly_as_a_file(
    client: httpx.Client, tmp_path: Path, text: str, suffix: str, headers: dict[str, str]
) -> None:
    """A key twice in JSON, an alias in YAML: refused with the message a file gets."""
    path = tmp_path / f"profile{suffix}"
    path.write_text(text)
    body = problem_of(client.post("/v1/decisions", content=text, headers=headers), 422)
    assert body["detail"] == cli_error("evaluate", str(path)).replace(str(path), "request body")


def test_unknown_and_invalid_fields_are_each_named(client: httpx.Client, tmp_path: Path) -> None:
    """An invalid profile: 422, the CLI's message, and each field's problem in `errors`."""
    data = {"id": "x", "categories": ["NOPE"], "colour": "blue"}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    body = problem_of(client.post("/v1/decisions", json=data), 422)
    assert body["detail"] == cli_error("evaluate", str(path)).replace(str(path), "request body")
    errors = body["errors"]
    assert isinstance(errors, list)
    assert [(e["loc"], e["value"]) for e in errors] == [
        ("categories.0", "NOPE"),
        ("colour", "blue"),
    ]


@pytest.mark.parametrize("chunked", [False, True], ids=["with-length", "chunked"])
def test_a_huge_body_is_refused_before_it_is_read_whole(
    client: httpx.Client, chunked: bool
) -> None:
    """Past the limit (1 MiB for a profile): 413, whether the length is declared or not."""
    big = b'{"id": "x", "name": "' + b"x" * (2 << 20) + b'"}'
    content = iter([big[i : i + 65536] for i in range(0, len(big), 65536)]) if chunked else big
    body = problem_of(client.post("/v1/decisions", content=content, headers=JSON), 413)
    assert "larger than 1 MiB" in str(body["detail"])


@pytest.mark.parametrize(
    ("path", "media_type", "limit"),
    [
        ("/v1/portfolio", "text/csv", "64 MiB"),
        ("/v1/questionnaire/next", "application/json", "1 MiB"),
        ("/ask", "application/x-www-form-urlencoded", "1 MiB"),
    ],
)
def test_a_body_declared_over_its_limit_is_refused_before_it_is_sent(
    server: Server, path: str, media_type: str, limit: str
) -> None:
    """A declared length past the route's limit: 413 at once, though the body never comes."""
    size = 65 << 20 if limit == "64 MiB" else 2 << 20
    address = httpx.URL(server.url)
    connection = http.client.HTTPConnection(address.host, address.port, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", media_type)
        connection.putheader("Content-Length", str(size))
        connection.endheaders(b"id\n")  # the first bytes only
        response = connection.getresponse()
        assert response.status == 413
        assert response.getheader("Content-Type") == PROBLEM
        assert f"larger than {limit}" in json.loads(response.read())["detail"]
    finally:
        connection.close()


def test_a_body_neither_json_nor_yaml_is_refused(client: httpx.Client) -> None:
    """Another media type: 415, naming those accepted."""
    response = client.post("/v1/decisions", content=b"id=x", headers={"Content-Type": "text/csv"})
    assert "application/yaml" in str(problem_of(response, 415)["detail"])


def test_a_bad_query_parameter_is_problem_details(client: httpx.Client) -> None:
    """An unknown language: 422 problem details naming the parameter."""
    body = problem_of(client.get("/v1/rules?lang=de"), 422)
    assert "query.lang" in str(body["detail"])


def test_an_unknown_path_is_problem_details(client: httpx.Client) -> None:
    """Even a 404 is problem details."""
    problem_of(client.get("/v1/nothing-here"), 404)


def test_a_recorded_decision_is_in_the_audit_log(client: httpx.Client) -> None:
    """record=true: 201, the record named by Location, labels kept, listed and readable."""
    response = client.post(
        "/v1/decisions?record=true&label=customer=acme&trace=false",
        content=EHR.read_bytes(),
        headers=YAML,
    )
    assert response.status_code == 201
    assert response.text == cli_out("evaluate", str(EHR), "--format", "json", "--no-trace")
    decision_id = response.headers["Eligibility-Decision-Id"]
    record = client.get(response.headers["Location"]).json()
    assert record["decision_id"] == decision_id
    assert record["labels"] == {"customer": "acme"}
    assert record["decision"] == response.json()
    by_prefix = client.get(f"/v1/audit/records/{decision_id[:10]}").json()
    assert by_prefix["seq"] == int(response.headers["Eligibility-Record"])
    listed = client.get("/v1/audit/records", params={"label": "customer=acme"}).json()
    assert decision_id in [r["decision_id"] for r in listed["records"]]


def test_a_store_that_cannot_be_written_is_503_and_the_server_goes_on(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Recording into a store that cannot be opened: 503 with the store's message; the
    same decision without recording is still answered."""
    home = tmp_path_factory.mktemp("unwritable")
    broken = start_server(home / "serve", store=str(home))  # a directory, not a database
    try:
        with broken.client() as c:
            body = problem_of(c.post("/v1/decisions?record=true", json={"id": "x"}), 503)
            assert str(body["detail"]).startswith(f"audit store {home}")
            assert c.post("/v1/decisions", json={"id": "x"}).status_code == 200
    finally:
        broken.stop()


def test_no_store_yet_is_404_saying_how_to_record_over_http(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Before any decision is recorded, a record is 404 and the message names the API's
    way to record one (record=true), not the command line's --record."""
    fresh = start_server(tmp_path_factory.mktemp("no-store"))
    try:
        with fresh.client() as c:
            body = problem_of(c.get("/v1/audit/records/%231"), 404)
    finally:
        fresh.stop()
    detail = str(body["detail"])
    assert detail == (
        f"audit store {fresh.store}: no such file (record a decision with "
        "POST /v1/decisions?record=true to create the store)"
    )
    assert not Path(fresh.store).exists()


def test_an_unknown_record_is_404(client: httpx.Client) -> None:
    """No such record: 404 problem details."""
    problem_of(client.get("/v1/audit/records/%23999999"), 404)


def test_the_audit_log_is_read_a_page_at_a_time(client: httpx.Client) -> None:
    """`limit` and `next`: the pages follow each other without a gap."""
    for n in range(3):
        client.post("/v1/decisions?record=true", json={"id": f"paged-{n}"})
    first = client.get("/v1/audit/records", params={"limit": 2}).json()
    assert len(first["records"]) == 2
    rest = client.get("/v1/audit/records", params={"after": first["next"]}).json()
    seqs = [r["seq"] for r in first["records"] + rest["records"]]
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs)) >= 3


PERSONAS = sorted((FIXTURES / "personas").glob("*.yaml"))


def persona_answers(path: Path) -> dict[str, Any]:
    """A persona's answers (null: "don't know")."""
    data: dict[str, Any] = yaml.safe_load(path.read_text())
    return data


def outcomes_of(decision: dict[str, Any]) -> dict[str, object]:
    """What a decision decides, as the questionnaire compares decisions: each journey's
    status, variant and operations, each prerequisite met or not, each step's status and
    advice (not the reasons nor what is missing, which name the fields left unanswered)."""
    out: dict[str, object] = {}
    for j in decision["journeys"]:
        out[j["id"]] = (j["status"], j["variant"], j["operations"])
        out.update((p["id"], p["met"]) for p in j["prerequisites"])
        out.update((s["id"], (s["status"], s["advice"])) for s in j["steps"])
    return out


def decision_of(client: httpx.Client, answers: dict[str, Any]) -> dict[str, Any]:
    """The decision the questionnaire gives for ``answers``."""
    decision: dict[str, Any] = client.post("/v1/questionnaire/next", json=answers).json()[
        "decision"
    ]
    return decision


def assert_offered(question: dict[str, Any], value: Any) -> None:
    """``value`` is an answer ``question`` offers for its field (null: "I don't know")."""
    if value is None:
        return
    offered = [c["value"] for c in question["choices"]]
    assert {c["field"] for c in question["choices"]} <= {question["field"]}
    if question["kind"] == "int":
        assert question["minimum"] <= value <= question["maximum"], (question["field"], value)
    elif question["kind"] == "list":
        assert all(v in offered for v in value), (question["field"], value)
    else:
        assert value in offered, (question["field"], value)


@pytest.mark.parametrize("persona", ["hospital-gam-ror", "regional-pacs", "draft-answers"], ids=str)
def test_the_next_question_is_the_one_ask_asks(
    client: httpx.Client, ruleset: RuleSet, persona: str
) -> None:
    """Answer after answer, the API asks what `ask` asks next, grouped as it groups them
    (`combined`: a field with its ticks, the checklist), for a client that answers the
    combined question and sends back the items of a checklist left unticked that recorded
    nothing; at the end, the answers `ask` records and their decision."""
    questions = load_questions(RULES)
    target = persona_answers(FIXTURES / "personas" / f"{persona}.yaml")
    session, _ = open_session(ruleset, questions, "en", profile_id="ehr")
    replay(session, target)
    answers: dict[str, object] = {"id": "ehr"}
    declined: list[str] = []
    asked: list[tuple[str, ...]] = []
    for _ in range(len(FIELDS)):
        step = client.post("/v1/questionnaire/next", json=answers, params={"declined": declined})
        question = step.json()["question"]
        if question is None:
            break
        prompt = Asked.model_validate(question).prompt()
        if question["combined"] is not None:
            assert question["combined"]["fields"] == list(prompt.fields)
        asked.append(prompt.fields)
        given = typed_answers(questions, prompt, target)
        answers.update(given)
        if prompt.checklist is not None:
            declined += [f for f in prompt.ticks if f not in given]
    else:
        pytest.fail("the questionnaire never ended")
    assert asked == [p.fields for p in session.asked]
    assert answers == session.profile_data()
    final = client.post("/v1/questionnaire/next", json=answers, params={"declined": declined})
    expected_decision = CliRunner().invoke(
        cli, ["evaluate", "-", "--format", "json", "--no-trace"], input=json.dumps(answers)
    )
    assert final.json()["decision"] == json.loads(expected_decision.stdout)


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_a_client_answering_one_field_at_a_time_decides_as_ask(
    client: httpx.Client, ruleset: RuleSet, path: Path
) -> None:
    """A client written for one field a question: it answers `field` alone from the
    persona's answers (null when it does not know), with a value among `choices` (or from
    `minimum` to `maximum`), never reads `combined` nor declines anything; the other
    fields of a grouped question are asked later, each on its own, when they still matter.
    It ends on the decision `ask` reaches with the same persona, and evaluate on the whole
    persona."""
    questions = load_questions(RULES)
    target = persona_answers(path)
    session, _ = open_session(ruleset, questions)
    replay(session, target)
    answers: dict[str, Any] = {"id": target["id"]}
    for _ in range(len(FIELDS)):
        step = client.post("/v1/questionnaire/next", json=answers)
        assert step.status_code == 200, step.text
        question = step.json()["question"]
        if question is None:
            break
        name = question["field"]
        assert name not in answers, f"{name} asked again"
        value = target.get(name)
        assert_offered(question, value)
        answers[name] = value
    else:
        pytest.fail("the questionnaire never ended")
    decided = outcomes_of(step.json()["decision"])
    assert decided == outcomes_of(decision_of(client, session.profile_data()))
    assert decided == outcomes_of(decision_of(client, target))


def test_a_question_with_a_tick_is_its_field_alone_and_the_combined_question(
    client: httpx.Client,
) -> None:
    """The purposes and the catalogue listing: the purposes alone (their own choices, no
    other field's), and the combined question, its tick the listing, in the stage `ask`
    asks it."""
    question = client.post("/v1/questionnaire/next", json=BEFORE_MES).json()["question"]
    assert (question["field"], question["kind"], question["stage"]) == (
        "mes_purposes",
        "list",
        "scope",
    )
    choices = [(c["field"], c["value"]) for c in question["choices"]]
    assert choices == [("mes_purposes", v) for v in FIELDS["mes_purposes"].values]
    combined = question["combined"]
    assert combined["fields"] == ["mes_purposes", "targets_mes_catalog"]
    assert combined["checklist"] is None
    assert [(t["field"], t["value"]) for t in combined["ticks"]] == [("targets_mes_catalog", True)]
    assert combined["text"] != question["text"]


def test_a_field_asked_alone_has_nothing_combined(client: httpx.Client) -> None:
    """The first question, a field `ask` asks on its own: `combined` is null."""
    question = client.post("/v1/questionnaire/next", json={}).json()["question"]
    assert question["combined"] is None
    assert question["choices"]


@pytest.fixture
def gam_ror_unticked_access() -> dict[str, object]:
    """The hospital GAM persona's answers, its checklist answered with the public-data
    access profile left unticked."""
    target = yaml.safe_load((FIXTURES / "personas" / "hospital-gam-ror.yaml").read_text())
    questions = load_questions(RULES)
    answers = {k: v for k, v in target.items() if k not in questions.last}
    checklist = [f for f in questions.order if f in questions.last and f != "ror_access_profile"]
    answers.update((f, target[f]) for f in checklist)
    return answers


def test_a_declined_item_is_not_asked_again_and_a_bad_one_is_refused(
    client: httpx.Client, gam_ror_unticked_access: dict[str, object]
) -> None:
    """The public-data access profile left unticked in the checklist: declined, the
    questionnaire ends; not declined, it is asked again; a declined name that is no field:
    422 naming it."""
    answers = gam_ror_unticked_access
    again = client.post("/v1/questionnaire/next", json=answers).json()["question"]
    assert (again["field"], again["kind"]) == ("ror_access_profile", "int")
    assert again["combined"]["checklist"] == "already-done"
    assert again["combined"]["fields"] == ["ror_access_profile"]
    params = {"declined": ["ror_access_profile"]}
    done = client.post("/v1/questionnaire/next", json=answers, params=params).json()
    assert done["question"] is None
    bad = client.post("/v1/questionnaire/next", json={}, params={"declined": ["colour"]})
    assert "declined: colour is not a profile field" in str(problem_of(bad, 422)["detail"])


def test_a_question_comes_worded_in_the_asked_language(client: httpx.Client) -> None:
    """Text, help, choices and why, in French with ?lang=fr."""
    step = client.post("/v1/questionnaire/next?lang=fr", json={}).json()
    question = step["question"]
    questions = load_questions(RULES)
    assert question["text"] == questions.question(question["field"]).question("fr")
    labels = [label for _, label in questions.choices(question["field"], "fr")]
    assert [c["label"] for c in question["choices"]] == labels
    assert question["why"].startswith("Pourquoi\u00a0: votre réponse décide si")


def test_an_invalid_answer_is_refused(client: httpx.Client) -> None:
    """An answer the field cannot take: 422 naming it."""
    body = problem_of(client.post("/v1/questionnaire/next", json={"storage_role": "x"}), 422)
    assert "storage_role" in str(body["detail"])


def test_a_portfolio_streams_the_lines_batch_writes(client: httpx.Client) -> None:
    """CSV in, `batch --format jsonl` out, bad rows included as error records."""
    for name in ("publisher.csv", "bad-rows.csv"):
        path = PORTFOLIOS / name
        response = client.post(
            "/v1/portfolio", content=path.read_bytes(), headers={"Content-Type": "text/csv"}
        )
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/x-ndjson"
        runner = CliRunner()
        expected = runner.invoke(cli, ["batch", str(path), "--format", "jsonl", "--quiet"])
        assert response.text == expected.stdout


def test_a_client_leaving_mid_portfolio_does_not_hold_the_server(client: httpx.Client) -> None:
    """A client that reads the first lines and goes: the next request is answered."""
    products = json.loads((PORTFOLIOS / "publisher.json").read_text())
    rows = [{**p, "id": f"{p['id']}-{n}"} for n in range(200) for p in products]
    body = "".join(json.dumps(r) + "\n" for r in rows).encode()
    with client.stream("POST", "/v1/portfolio?format=jsonl", content=body) as response:
        first = next(response.iter_lines())
    assert json.loads(first)["profile_id"] == rows[0]["id"]
    assert client.get("/healthz").status_code == 200


def test_a_portfolio_format_can_be_named_in_the_query(client: httpx.Client) -> None:
    """format=jsonl reads JSON lines whatever the media type says."""
    path = PORTFOLIOS / "bad-rows.jsonl"
    response = client.post("/v1/portfolio?format=jsonl&trace=false", content=path.read_bytes())
    expected = cli_out(
        "batch", str(path), "--format", "jsonl", "--no-trace", "--quiet", "--allow-errors"
    )
    assert response.text == expected


def test_a_portfolio_of_unknown_format_is_refused(client: httpx.Client) -> None:
    """No format given nor told by the media type: 415."""
    problem_of(client.post("/v1/portfolio", content=b"a,b\n"), 415)


def test_a_broken_portfolio_is_422(client: httpx.Client) -> None:
    """A JSON portfolio that is not a list cannot be read at all: 422 before any line."""
    body = problem_of(client.post("/v1/portfolio", json={"id": "x"}), 422)
    assert str(body["detail"]).startswith("request body")


def test_the_fields_are_the_profile_contract(client: httpx.Client) -> None:
    """GET /v1/fields is `eligibility fields --format json`."""
    response = client.get("/v1/fields?lang=fr")
    assert response.text == cli_out("fields", "--format", "json", "--lang", "fr")


def test_the_rules_say_what_decides(client: httpx.Client, ruleset: RuleSet) -> None:
    """Version, hash and every journey, titles in the asked language."""
    data = client.get("/v1/rules?lang=fr").json()
    assert (data["version"], data["hash"]) == (ruleset.version, ruleset.hash)
    assert [j["id"] for j in data["journeys"]] == [j.id for j in ruleset.journeys]
    assert data["journeys"][0]["title"] != ruleset.journeys[0].title


def test_health_names_the_rules(client: httpx.Client, ruleset: RuleSet) -> None:
    """GET /healthz: ok, and the rules' hash."""
    data = client.get("/healthz").json()
    assert data["status"] == "ok"
    assert data["rules"]["hash"] == ruleset.hash


def test_the_openapi_page_describes_every_route(client: httpx.Client) -> None:
    """/openapi.json lists the routes with the profile's schema."""
    spec = client.get("/openapi.json").json()
    for path in ("/v1/decisions", "/v1/questionnaire/next", "/v1/portfolio", "/v1/fields"):
        assert path in spec["paths"]
    body = spec["paths"]["/v1/decisions"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"] == {"$ref": "#/components/schemas/Profile"}
    assert set(FIELDS) <= set(spec["components"]["schemas"]["Profile"]["properties"])


def test_the_openapi_page_describes_the_next_question(client: httpx.Client) -> None:
    """The next question's answer is described member by member: `choices` as the asked
    field's own values, `combined` as the grouped question and its own members."""
    spec = client.get("/openapi.json").json()
    ok = spec["paths"]["/v1/questionnaire/next"]["post"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/NextStep"}
    schemas = spec["components"]["schemas"]
    asked = schemas["Asked"]["properties"]
    assert "combined" in asked
    assert asked["choices"]["description"].startswith("The values ``field`` can take, its own")
    combined = schemas["Combined"]["properties"]
    assert set(combined) == {"fields", "text", "help", "why", "ticks", "checklist", "answers"}
    for model in ("Asked", "Combined", "Choice"):
        for name, member in schemas[model]["properties"].items():
            assert member.get("description"), f"{model}.{name}"


def test_the_openapi_page_loads_nothing_from_outside(client: httpx.Client) -> None:
    """/docs takes Swagger UI's files from this server, so it works offline."""
    page = client.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources
    assert all(s.startswith("/docs/assets/") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200


def test_a_slow_client_does_not_hold_the_others(server: Server) -> None:
    """One process: a body still arriving does not block another client's decision (the
    engine thread only ever gets whole bodies)."""
    answered: list[int] = []

    def slow() -> Iterator[bytes]:
        yield b'{"id": "slow", '
        with server.client() as other:  # answered while the first body is incomplete
            answered.append(other.post("/v1/decisions", json={"id": "quick"}).status_code)
        yield b'"processes_health_data": false}'

    with server.client() as client:
        response = client.post("/v1/decisions", content=slow(), headers=JSON)
    assert response.status_code == 200
    assert answered == [200]


def test_sigterm_answers_the_request_under_way_then_stops(server: Server) -> None:
    """SIGTERM while a request is under way: it is answered, then the server stops
    cleanly (exit 0), its log holding a line per request.

    Runs last in this module: it stops the module's server.
    """
    arriving = threading.Event()
    answered: list[int] = []

    def late() -> Iterator[bytes]:
        yield b'{"id": "late", '
        arriving.set()
        time.sleep(1.0)  # the server is told to stop meanwhile
        yield b'"processes_health_data": false}'

    def post() -> None:
        with server.client() as c:
            answered.append(c.post("/v1/decisions", content=late(), headers=JSON).status_code)

    request = threading.Thread(target=post)
    request.start()
    assert arriving.wait(30)
    assert server.stop() == 0
    request.join(30)
    assert answered == [200]
    log = server.log.read_text()
    assert '"POST /v1/decisions HTTP/1.1" 200' in log
    assert "Finished server process" in log
