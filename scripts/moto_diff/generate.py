"""A seeded generator of `eventlab table` request sequences for the moto differential.

Each sequence is one case: a list of {"op", "request"} that runs against fresh tables. The
requests stay inside what both engines model (the seven operations, one region, no at_ms), and
lean on the places where engines tend to drift: conditional writes with version checks, ADD and
SET counters, list_append, if_not_exists, REMOVE, string sets, Query with key conditions,
filters and Limit, transactions with a failing condition, every ReturnValues choice, and
expressions that DynamoDB rejects. The same seed always gives the same cases (random.Random is
seeded, nothing reads the clock).
"""

import random

KEYED_TABLE = "gen_events"
# Invalid requests go to their own table: moto accepts some of them, and a write that only one
# engine applied must not change what later requests on the shared tables see.
INVALID_TABLE = "gen_rejected"
PLAIN_TABLE = "gen_items"
IDS = ["a", "b", "c", "d"]
PARTITIONS = ["p1", "p2"]
RETURN_VALUES_UPDATE = ["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"]
WORDS = ["red", "green", "blue", "x", ""]

# Expressions DynamoDB rejects while validating, before any item is read. Each is paired with
# the values it mentions, so the fault is the expression itself.
INVALID_UPDATES = [
    ("SET a = :v + :v + :v", {":v": {"N": "1"}}),
    ("SET a = :v SET b = :v", {":v": {"N": "1"}}),
    ("SET a = :v, a.b = :v", {":v": {"N": "1"}}),
    ("SET a = if_not_exist(a, :v)", {":v": {"N": "1"}}),
    ("SET a = if_not_exists(:v, a)", {":v": {"N": "1"}}),
    ("SET a = :v", {":v": {"N": "1"}, ":w": {"N": "2"}}),
    ("SET a = :w", {":v": {"N": "1"}}),
    ("SET comment = :v", {":v": {"N": "1"}}),
    ("ADD a :v", {":v": {"S": "x"}}),
    ("REMOVE", {}),
    ("SET a = 5", {}),
    ("DELETE a :v", {":v": {"N": "1"}}),
    ("SET a = :v REMOVE a", {":v": {"N": "1"}}),
    ("", {}),
]
INVALID_CONDITIONS = [
    ("a > 4", {}),
    ("attribute_exists(a) AND", {}),
    ("size(a)", {}),
    ("begins_with(a)", {}),
    ("a > ((b))", {}),
    ("whatever(a)", {}),
    ("a = :v", {}),
    ("status = :v", {":v": {"N": "1"}}),
    ("a BETWEEN :hi AND :lo", {":hi": {"N": "9"}, ":lo": {"N": "1"}}),
    ("attribute_type(a, :t)", {":t": {"S": "XX"}}),
    ("contains(a, a)", {}),
    ("a = :v", {":v": {"N": "1"}, ":extra": {"N": "2"}}),
]


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)

    def pick(self, choices):
        return self.rng.choice(choices)

    def number(self):
        return {"N": str(self.rng.randint(-3, 12))}

    def key(self):
        return {"id": {"S": self.pick(IDS)}}

    def item(self):
        item = self.key()
        item["version"] = {"N": str(self.rng.randint(0, 3))}
        if self.rng.random() < 0.6:
            item["count"] = self.number()
        if self.rng.random() < 0.5:
            item["tags"] = {"SS": sorted(set(self.rng.sample(WORDS, self.rng.randint(1, 3))))}
        if self.rng.random() < 0.5:
            item["entries"] = {"L": [{"S": self.pick(WORDS)} for _ in range(self.rng.randint(0, 3))]}
        if self.rng.random() < 0.3:
            item["note"] = {"S": self.pick(WORDS)}
        if self.rng.random() < 0.2:
            item["info"] = {"M": {"tier": self.number(), "ok": {"BOOL": True}}}
        return item

    def put(self):
        request = {"TableName": PLAIN_TABLE, "Item": self.item()}
        choice = self.rng.randint(0, 4)
        if choice == 0:
            request["ConditionExpression"] = "attribute_not_exists(id)"
        elif choice == 1:
            request["ConditionExpression"] = "#v = :expected"
            request["ExpressionAttributeNames"] = {"#v": "version"}
            request["ExpressionAttributeValues"] = {":expected": self.number_small()}
        elif choice == 2:
            request["ConditionExpression"] = "attribute_not_exists(id) OR version < :v"
            request["ExpressionAttributeValues"] = {":v": self.number_small()}
        if self.rng.random() < 0.4:
            request["ReturnValues"] = self.pick(["NONE", "ALL_OLD"])
        if "ConditionExpression" in request and self.rng.random() < 0.5:
            request["ReturnValuesOnConditionCheckFailure"] = self.pick(["NONE", "ALL_OLD"])
        return {"op": "PutItem", "request": request}

    def number_small(self):
        return {"N": str(self.rng.randint(0, 3))}

    def update_expression(self):
        """One valid update expression and the values it uses."""
        choice = self.rng.randint(0, 9)
        if choice == 0:
            return "SET version = version + :one", {":one": {"N": "1"}}
        if choice == 1:
            return "ADD #c :d", {":d": self.number()}
        if choice == 2:
            return "SET #c = if_not_exists(#c, :zero) + :d", {":zero": {"N": "0"}, ":d": self.number()}
        if choice == 3:
            return "SET entries = list_append(if_not_exists(entries, :empty), :e)", {
                ":empty": {"L": []},
                ":e": {"L": [{"S": self.pick(WORDS)}]},
            }
        if choice == 4:
            return "SET entries = list_append(:e, entries)", {":e": {"L": [{"N": "1"}]}}
        if choice == 5:
            return "REMOVE note, entries[0]", {}
        if choice == 6:
            return "ADD tags :t", {":t": {"SS": [self.pick(WORDS)]}}
        if choice == 7:
            return "DELETE tags :t", {":t": {"SS": [self.pick(WORDS)]}}
        if choice == 8:
            return "SET note = :s, info.tier = :one", {":s": {"S": "hi"}, ":one": {"N": "1"}}
        return "SET entries[5] = :s REMOVE note", {":s": {"S": "end"}}

    def update(self):
        expression, values = self.update_expression()
        request = {"TableName": PLAIN_TABLE, "Key": self.key(), "UpdateExpression": expression}
        names = {"#c": "count"} if "#c" in expression else {}
        if self.rng.random() < 0.5:
            request["ConditionExpression"] = self.pick(
                ["version = :expected", "attribute_exists(id) AND version <= :expected"]
            )
            values = dict(values, **{":expected": self.number_small()})
        if self.rng.random() < 0.2:
            request["ConditionExpression"] = "contains(tags, :w) OR size(entries) > :expected"
            values = dict(values, **{":w": {"S": self.pick(WORDS)}, ":expected": self.number_small()})
        if names:
            request["ExpressionAttributeNames"] = names
        if values:
            request["ExpressionAttributeValues"] = values
        if self.rng.random() < 0.7:
            request["ReturnValues"] = self.pick(RETURN_VALUES_UPDATE)
        if "ConditionExpression" in request and self.rng.random() < 0.4:
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        return {"op": "UpdateItem", "request": request}

    def delete(self):
        request = {"TableName": PLAIN_TABLE, "Key": self.key()}
        if self.rng.random() < 0.6:
            request["ConditionExpression"] = "version = :expected"
            request["ExpressionAttributeValues"] = {":expected": self.number_small()}
        if self.rng.random() < 0.5:
            request["ReturnValues"] = self.pick(["NONE", "ALL_OLD"])
        return {"op": "DeleteItem", "request": request}

    def get(self):
        request = {"TableName": PLAIN_TABLE, "Key": self.key()}
        if self.rng.random() < 0.3:
            request["ProjectionExpression"] = self.pick(["version, tags", "entries[0], id", "info.tier"])
        return {"op": "GetItem", "request": request}

    def event_put(self):
        item = {
            "pk": {"S": self.pick(PARTITIONS)},
            "sk": {"N": str(self.rng.randint(0, 20))},
            "kind": {"S": self.pick(["created", "paid", "shipped"])},
        }
        return {"op": "PutItem", "request": {"TableName": KEYED_TABLE, "Item": item}}

    def query(self):
        values = {":p": {"S": self.pick(PARTITIONS)}}
        condition = "pk = :p"
        choice = self.rng.randint(0, 3)
        if choice == 1:
            condition += " AND sk BETWEEN :lo AND :hi"
            low = self.rng.randint(0, 10)
            values[":lo"] = {"N": str(low)}
            values[":hi"] = {"N": str(low + self.rng.randint(0, 10))}
        elif choice == 2:
            condition += " AND sk > :lo"
            values[":lo"] = {"N": str(self.rng.randint(0, 15))}
        request = {"TableName": KEYED_TABLE, "KeyConditionExpression": condition}
        if self.rng.random() < 0.4:
            request["FilterExpression"] = self.pick(["kind = :k", "kind <> :k", "begins_with(kind, :k)"])
            values[":k"] = {"S": self.pick(["created", "paid", "sh"])}
        request["ExpressionAttributeValues"] = values
        if self.rng.random() < 0.4:
            request["Limit"] = self.rng.randint(1, 4)
        if self.rng.random() < 0.3:
            request["ScanIndexForward"] = False
        return {"op": "Query", "request": request}

    def transaction(self):
        first, second = self.rng.sample(IDS, 2)
        amount = {"N": str(self.rng.randint(1, 3))}
        actions = [
            {
                "Update": {
                    "TableName": PLAIN_TABLE,
                    "Key": {"id": {"S": first}},
                    "UpdateExpression": "SET version = version + :amt",
                    "ConditionExpression": "version >= :amt",
                    "ExpressionAttributeValues": {":amt": amount},
                }
            },
            {
                "Put": {
                    "TableName": PLAIN_TABLE,
                    "Item": {"id": {"S": second}, "version": {"N": "0"}},
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
        ]
        if self.rng.random() < 0.5:
            actions[0]["Update"]["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        if self.rng.random() < 0.3:
            actions.append(
                {
                    "ConditionCheck": {
                        "TableName": PLAIN_TABLE,
                        "Key": {"id": {"S": self.pick([x for x in IDS if x not in (first, second)])}},
                        "ConditionExpression": "attribute_exists(id)",
                    }
                }
            )
        self.rng.shuffle(actions)
        return {"op": "TransactWriteItems", "request": {"TransactItems": actions}}

    def invalid(self):
        if self.rng.random() < 0.6:
            expression, values = self.pick(INVALID_UPDATES)
            request = {"TableName": INVALID_TABLE, "Key": self.key(), "UpdateExpression": expression}
            if values:
                request["ExpressionAttributeValues"] = values
            return {"op": "UpdateItem", "request": request}
        expression, values = self.pick(INVALID_CONDITIONS)
        request = {"TableName": INVALID_TABLE, "Item": self.item(), "ConditionExpression": expression}
        if values:
            request["ExpressionAttributeValues"] = values
        return {"op": "PutItem", "request": request}

    def sequence(self, length):
        makers = [
            (self.put, 5),
            (self.update, 6),
            (self.delete, 2),
            (self.get, 2),
            (self.event_put, 3),
            (self.query, 3),
            (self.transaction, 2),
            (self.invalid, 2),
        ]
        weighted = [maker for maker, weight in makers for _ in range(weight)]
        create = {
            "op": "CreateTable",
            "request": {
                "TableName": KEYED_TABLE,
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "sk", "KeyType": "RANGE"},
                ],
                "AttributeDefinitions": [
                    {"AttributeName": "pk", "AttributeType": "S"},
                    {"AttributeName": "sk", "AttributeType": "N"},
                ],
            },
        }
        return [create] + [self.pick(weighted)() for _ in range(length)]


def generated_cases(seed, sequences, length):
    """`sequences` cases of `length` requests each (plus the CreateTable), named by seed."""
    generator = Generator(seed)
    return [(f"generated seed {seed} #{index}", generator.sequence(length)) for index in range(sequences)]
