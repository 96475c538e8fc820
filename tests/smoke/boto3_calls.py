"""The boto3 side of the moto smoke suite (crates/boto/tests/moto_smoke.rs).

Two commands, each one Python process:

  boto3_calls.py services
      Prints a JSON list of the botocore services that moto's server implements: a botocore name
      maps to moto's backend module the way moto.backends does (ALT_SERVICE_NAMES, else the name
      without dashes), and it is kept when moto/backend_index.py routes that module.

  boto3_calls.py call URL < [[service, operation], ...]
      Calls every (service, operation) with no input through the pinned boto3 against moto at URL
      (region us-east-1, credentials "testing", one attempt, no retries) and prints one JSON object
      mapping "service operation" to its answer:
        {"output": DOC, "varying": [PATH, ...]}   a parsed output, normalised (below)
        {"error": CODE, "status": HTTP_STATUS}    a service error (botocore's ClientError)
        {"exception": "Type: message"}            anything else (the client never got an answer)
      Each operation is called twice; "varying" lists the JSON paths (such as "/Items/0/Id") whose
      value differed between the two calls (ids and tokens moto generates afresh), which the Rust
      side compares by type only.

Normalisation of an output, which moto_smoke.rs applies the same way to boto-rs's Document:
ResponseMetadata is dropped (request ids, retry counts and headers are per call); a datetime
becomes "<timestamp>" (moto stamps many values with the current time, and the comparison is of
parsing, not of clocks); bytes become "<blob:BASE64>" (so a blob and a string never compare equal);
a streaming body is read whole and becomes a blob; an event stream becomes "<event-stream>".
"""

import base64
import datetime
import json
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore.config
import botocore.exceptions
import botocore.response
import botocore.eventstream

REGION = "us-east-1"
WORKERS = 8


def moto_services():
    import moto.backend_index
    import moto.backends

    modules = {name for name, _ in moto.backend_index.backend_url_patterns}
    out = []
    for name in boto3.session.Session().get_available_services():
        module = moto.backends.ALT_SERVICE_NAMES.get(name, name.replace("-", ""))
        if module in modules:
            out.append(name)
    return sorted(out)


def normalise(value):
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, datetime.datetime):
        return "<timestamp>"
    if isinstance(value, (bytes, bytearray)):
        return "<blob:" + base64.b64encode(bytes(value)).decode() + ">"
    if isinstance(value, botocore.response.StreamingBody):
        return normalise(value.read())
    if isinstance(value, botocore.eventstream.EventStream):
        return "<event-stream>"
    return value


def varying_paths(a, b, path=""):
    """Leaf paths where two normalised outputs of the same call differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in a.keys() & b.keys():
            out += varying_paths(a[k], b[k], path + "/" + k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += varying_paths(x, y, path + "/" + str(i))
        return out
    return [] if a == b else [path]


def call_once(client, operation):
    try:
        output = client._make_api_call(operation, {})
    except botocore.exceptions.ClientError as e:
        err = e.response.get("Error", {})
        status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return {"error": err.get("Code"), "status": status}
    except Exception as e:  # noqa: BLE001 - reported as data, compared by the Rust side
        # The first line only: a parser error repeats the whole response body after it.
        message = str(e).splitlines()[0] if str(e) else ""
        return {"exception": f"{type(e).__name__}: {message[:200]}"}
    output.pop("ResponseMetadata", None)
    return {"output": normalise(output)}


def call(client, operation):
    first = call_once(client, operation)
    if "output" in first:
        second = call_once(client, operation)
        first["varying"] = (
            varying_paths(first["output"], second["output"]) if "output" in second else []
        )
    return first


def main():
    if sys.argv[1:] == ["services"]:
        print(json.dumps(moto_services()))
        return
    if len(sys.argv) != 3 or sys.argv[1] != "call":
        sys.exit("usage: boto3_calls.py services | call URL < calls.json")
    url = sys.argv[2]
    calls = json.load(sys.stdin)
    config = botocore.config.Config(
        retries={"total_max_attempts": 1}, connect_timeout=10, read_timeout=60
    )
    local = threading.local()
    clients = {}
    locks = {service: threading.Lock() for service, _ in calls}

    # Clients are made on first use, by whichever worker gets there, so model loading overlaps
    # with other calls; a client is thread-safe once made, a botocore session is not.
    def client_for(service):
        with locks[service]:
            if service not in clients:
                if not hasattr(local, "session"):
                    local.session = boto3.session.Session(
                        aws_access_key_id="testing",
                        aws_secret_access_key="testing",
                        region_name=REGION,
                    )
                clients[service] = local.session.client(
                    service, endpoint_url=url, config=config
                )
            return clients[service]

    with ThreadPoolExecutor(WORKERS) as pool:
        answers = pool.map(lambda c: call(client_for(c[0]), c[1]), calls)
        results = {f"{s} {o}": a for (s, o), a in zip(calls, answers)}
    json.dump(results, sys.stdout, default=repr)


if __name__ == "__main__":
    main()
