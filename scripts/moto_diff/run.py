#!/usr/bin/env python3
"""Differential check of `eventlab table` against moto's in-process DynamoDB.

Usage: run.py [--seed N] [--sequences N] [--length N] [REQUESTS.json ...]

Each file is either the CLI's request shape (a JSON array of {"op", "request", "at_ms"?}: one
case) or a scenario file (a JSON array of {"name", "steps": [{"op", "request", "expect"}]}: one
case per scenario). Without files it runs core/tests/data/dynamo/scenarios.json and a seeded
set of generated sequences (generate.py). Every request of a case goes through moto (boto3
against mock_aws, us-east-1, fresh tables per case) and through `eventlab table` ($EVENTLAB_CLI,
else target/debug/eventlab); the two responses are compared, one line is printed per
mismatch, and the closing line is `N passed, M failed, K skipped`. Exit 0 only when none failed.

Departures of moto from AWS that are allowed are in departures.py, each one justified in
docs/moto-differential.md; nothing else is forgiven.
"""

import argparse
import base64
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

# Fake credentials before boto3 loads: moto never checks them, and no real AWS call can leak.
for variable, value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ[variable] = value
os.environ.pop("AWS_PROFILE", None)

import boto3  # noqa: E402
import botocore.exceptions  # noqa: E402
from botocore.config import Config  # noqa: E402
from moto import mock_aws  # noqa: E402

from departures import allowed_departure  # noqa: E402
from generate import generated_cases  # noqa: E402

SUPPORTED_OPS = {"CreateTable", "PutItem", "GetItem", "UpdateItem", "DeleteItem", "Query", "TransactWriteItems"}
METHODS = {
    "CreateTable": "create_table",
    "PutItem": "put_item",
    "GetItem": "get_item",
    "UpdateItem": "update_item",
    "DeleteItem": "delete_item",
    "Query": "query",
    "TransactWriteItems": "transact_write_items",
}
DEFAULT_SCENARIOS = [os.path.join(ROOT, "core/tests/data/dynamo/scenarios.json")]


def load_cases(path):
    """(name, requests) pairs from a request file or a scenario file."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    label = os.path.relpath(path, ROOT)
    if isinstance(data, list) and data and isinstance(data[0], dict) and "steps" in data[0]:
        return [
            (f"{label}: {scenario.get('name', index)}", [_request_only(step) for step in scenario["steps"]])
            for index, scenario in enumerate(data)
        ]
    return [(label, [_request_only(step) for step in data])]


def _request_only(step):
    return {key: step[key] for key in ("op", "request", "at_ms") if key in step}


def skip_reason(requests):
    """Why a whole case cannot run on moto, or None."""
    for entry in requests:
        if "at_ms" in entry:
            return "uses at_ms (virtual time; moto runs on the wall clock)"
    return None


# ---- moto side -------------------------------------------------------------------------


def to_boto(value):
    """Wire JSON to boto3 input: B and BS values are base64 on the wire, bytes in boto3."""
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("B"), str):
            return {"B": _decode(value["B"])}
        if len(value) == 1 and isinstance(value.get("BS"), list) and all(isinstance(x, str) for x in value["BS"]):
            return {"BS": [_decode(x) for x in value["BS"]]}
        return {key: to_boto(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [to_boto(inner) for inner in value]
    return value


def _decode(text):
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        return text


def from_boto(value):
    """boto3 output back to wire JSON (bytes to base64)."""
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict):
        return {key: from_boto(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [from_boto(inner) for inner in value]
    return value


def table_names(op, request):
    if not isinstance(request, dict):
        return []
    if op == "TransactWriteItems":
        names = []
        for action in request.get("TransactItems") or []:
            if isinstance(action, dict):
                for body in action.values():
                    if isinstance(body, dict) and isinstance(body.get("TableName"), str):
                        names.append(body["TableName"])
        return names
    name = request.get("TableName")
    return [name] if isinstance(name, str) else []


class MotoTables:
    """One fresh moto account: tables appear on first use with the CLI's implicit `id` S key."""

    def __init__(self):
        self.client = boto3.client(
            "dynamodb", region_name="us-east-1", config=Config(parameter_validation=False, retries={"max_attempts": 1})
        )
        self.known = set()

    def ensure(self, name):
        if name in self.known or not 3 <= len(name) <= 255:
            return
        self.known.add(name)
        try:
            self.client.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        except botocore.exceptions.ClientError:
            pass

    def execute(self, op, request):
        if op == "CreateTable":
            request = dict(request)
            if "BillingMode" not in request and "ProvisionedThroughput" not in request:
                request["BillingMode"] = "PAY_PER_REQUEST"
            if isinstance(request.get("TableName"), str):
                self.known.add(request["TableName"])
        else:
            for name in table_names(op, request):
                self.ensure(name)
        try:
            response = getattr(self.client, METHODS[op])(**to_boto(request))
        except botocore.exceptions.ClientError as failure:
            body = failure.response
            error = {"type": body.get("Error", {}).get("Code"), "message": body.get("Error", {}).get("Message")}
            for extra in ("Item", "CancellationReasons"):
                if extra in body:
                    error[extra] = from_boto(body[extra])
            return {"error": error}
        except Exception as failure:  # moto raising inside its handler is a finding, not a crash
            return {"error": {"type": "moto crashed: " + type(failure).__name__, "message": str(failure)}}
        response.pop("ResponseMetadata", None)
        response.pop("ConsumedCapacity", None)
        if response.get("ItemCollectionMetrics") == {}:
            response.pop("ItemCollectionMetrics")  # moto's empty member; AWS sends it only on request
        return from_boto(response)


def run_moto(requests):
    with mock_aws():
        tables = MotoTables()
        return [tables.execute(entry["op"], entry.get("request")) for entry in requests]


# ---- EventLab side ---------------------------------------------------------------------


def run_eventlab(cli, requests):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(requests, handle)
        path = handle.name
    try:
        done = subprocess.run([cli, "table", path], capture_output=True, text=True, check=False)
    finally:
        os.unlink(path)
    if done.returncode != 0:
        raise RuntimeError(f"eventlab table exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


# ---- comparison ------------------------------------------------------------------------


def comparable_success(op, body):
    """The part of a success body both engines answer alike."""
    if op == "CreateTable":
        return {}  # the CLI answers {}; moto answers the TableDescription
    if op == "Query":
        return {key: body[key] for key in ("Items", "Count", "ScannedCount", "LastEvaluatedKey") if key in body}
    return body


def comparable_error(error):
    shown = {"type": error.get("type"), "message": error.get("message")}
    if "Item" in error:
        shown["Item"] = error["Item"]
    if "CancellationReasons" in error:
        shown["CancellationReasons"] = [
            {key: reason[key] for key in ("Code", "Item") if key in reason} for reason in error["CancellationReasons"]
        ]
    return shown


def compare(op, request, ours, theirs):
    """None when the responses agree, the departure rule's name when one explains the
    difference, else `! ` and the two responses."""
    if "error" in ours or "error" in theirs:
        if "error" not in ours or "error" not in theirs:
            # One side succeeded: departures see the error and an empty dict for the success.
            left = comparable_error(ours["error"]) if "error" in ours else {}
            right = comparable_error(theirs["error"]) if "error" in theirs else {}
            rule = allowed_departure(op, request, left, right)
            if rule:
                return rule
            return "! " + f"eventlab {_short(ours)} vs moto {_short(theirs)}"
        left, right = comparable_error(ours["error"]), comparable_error(theirs["error"])
        if left == right:
            return None
        return allowed_departure(op, request, left, right) or "! " + f"eventlab {_short(left)} vs moto {_short(right)}"
    left, right = comparable_success(op, ours), comparable_success(op, theirs)
    if left == right:
        return None
    return allowed_departure(op, request, left, right) or "! " + f"eventlab {_short(left)} vs moto {_short(right)}"


def _short(value, limit=400):
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--seed", type=int, default=20261127)
    parser.add_argument("--sequences", type=int, default=20)
    parser.add_argument("--length", type=int, default=20)
    arguments = parser.parse_args()
    cli = os.environ.get("EVENTLAB_CLI") or os.path.join(ROOT, "target/debug/eventlab")
    if not os.access(cli, os.X_OK):
        print(f"no eventlab CLI at {cli}: build it (cargo build -p eventlab-cli) or set EVENTLAB_CLI")
        return 2

    cases = []
    for path in arguments.files or DEFAULT_SCENARIOS:
        cases.extend(load_cases(path))
    if not arguments.files:
        cases.extend(generated_cases(arguments.seed, arguments.sequences, arguments.length))

    passed = failed = skipped = 0
    departures_used = {}
    for name, requests in cases:
        reason = skip_reason(requests)
        if reason:
            print(f"SKIP {name}: {reason}")
            skipped += len(requests)
            continue
        runnable = [entry for entry in requests if entry.get("op") in SUPPORTED_OPS]
        skipped += len(requests) - len(runnable)
        ours = run_eventlab(cli, runnable)
        theirs = run_moto(runnable)
        for index, (entry, left, right) in enumerate(zip(runnable, ours, theirs)):
            why = compare(entry["op"], entry.get("request"), left, right)
            if why is None:
                passed += 1
            elif not why.startswith("! "):
                passed += 1
                departures_used[why] = departures_used.get(why, 0) + 1
            else:
                failed += 1
                print(f"MISMATCH {name} [{index}] {entry['op']} {_short(entry.get('request'), 300)}: {why[2:]}")
    for rule, count in sorted(departures_used.items(), key=lambda pair: int(pair[0].split()[0][1:])):
        print(f"allowed moto departure {rule}: {count}")
    allowed = sum(departures_used.values())
    print(f"agree exactly: {passed - allowed}, agree but for an allowed moto departure: {allowed}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
