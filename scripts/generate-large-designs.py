#!/usr/bin/env python3
"""Writes the two performance designs in designs/perf/: a 100-node choreography and the pizza flow
with a 10,000-order workload. Their workloads are fixed in the files; rerun this only to change
them on purpose."""
import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent / "designs"
perf = root / "perf"


def save(name, design):
    (perf / name).write_text(json.dumps(design, indent=2) + "\n")


def large():
    stages = 24
    services = [{"id": f"svc-{i:02}", "name": f"Service {i}", "owns": ["orderId", f"stage{i}"]} for i in range(stages)]
    types = [{"type": f"com.large.stage{i:02}.done.v1", "source": f"svc-{i:02}", "fields": {"orderId": "string"}} for i in range(stages)]
    types.insert(0, {"type": "com.large.order.placed.v1", "source": "svc-00", "fields": {"orderId": "string"}})
    nodes = [
        {"id": "orders", "name": "Orders", "service": "svc-00", "kind": "producer", "eventType": "com.large.order.placed.v1",
         "bus": "main-bus", "count": 300, "intervalMs": 5, "data": {"orderId": "{{key}}"}, "keys": {"prefix": "o-"}},
        {"id": "partner-api", "name": "Partner API", "kind": "externalApi", "honoursIdempotencyKey": True, "latencyMs": 60},
    ]
    rules = []
    triggers = []
    for i in range(stages):
        previous = "com.large.order.placed.v1" if i == 0 else f"com.large.stage{i - 1:02}.done.v1"
        svc = f"svc-{i:02}"
        queue, dlq, fn, table = f"queue-{i:02}", f"dlq-{i:02}", f"handle-{i:02}", f"table-{i:02}"
        rules.append({"id": f"to-stage-{i:02}", "pattern": {"detail-type": [previous]}, "targets": [{"node": queue}]})
        steps = [
            {"op": "update", "table": table, "key": {"orderId": "$.data.orderId"}, "update": "ADD #seen :one",
             "names": {"#seen": "seen"}, "values": {":one": 1}},
        ]
        if i % 6 == 5:
            steps.append({"op": "call", "api": "partner-api", "key": "$.data.orderId", "idempotencyKey": "$.data.orderId"})
        steps.append({"op": "emit", "bus": "main-bus", "type": f"com.large.stage{i:02}.done.v1", "data": {"orderId": "$.data.orderId"}})
        nodes += [
            {"id": queue, "service": svc, "kind": "queue", "visibilityTimeoutS": 30, "maxReceiveCount": 3, "deadLetterQueue": dlq},
            {"id": dlq, "service": svc, "kind": "queue"},
            {"id": fn, "service": svc, "kind": "function", "steps": steps},
            {"id": table, "service": svc, "kind": "table", "partitionKey": {"name": "orderId", "type": "S"}},
        ]
        triggers.append({"id": f"feed-{i:02}", "source": queue, "function": fn, "batchSize": 10})
    nodes.insert(1, {"id": "main-bus", "name": "main bus", "kind": "bus", "rules": rules})
    nodes.append({"id": "ops-alerts", "name": "ops alerts", "kind": "queue"})
    for node in nodes:
        if node["kind"] == "function":
            node["onFailure"] = "ops-alerts"
    save("large-100-nodes.json", {
        "version": 1,
        "name": "A 100-node choreography (performance)",
        "description": "Twenty-four services pass each order along through queues, tables and one bus: a design of 100 nodes for performance work.",
        "services": services, "eventTypes": types, "nodes": nodes, "triggers": triggers,
        "scenario": {"seed": 1, "faults": {"duplicateRatePpm": 10000, "deliveryDelayMsMax": 30},
                     "bounds": {"maxEvents": 2000000}},
        "checks": [],
    })


def orders_10k():
    pizza = json.loads((root / "pizza-choreography.json").read_text())
    pizza["name"] = "Pizza orders with 10,000 orders (performance)"
    pizza["description"] = "The pizza choreography under a workload of 10,000 orders, for measuring the simulator."
    for node in pizza["nodes"]:
        if node["kind"] == "producer":
            node["count"] = 10000
            node["intervalMs"] = 2
    pizza["scenario"] = {"seed": 1, "faults": {"duplicateRatePpm": 10000, "deliveryDelayMsMax": 50},
                         "bounds": {"maxEvents": 5000000}}
    save("orders-10k.json", pizza)


large()
orders_10k()
