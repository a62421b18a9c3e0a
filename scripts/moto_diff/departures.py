"""Moto's known departures from real DynamoDB, each allowed only where it applies.

Every rule here has a section in docs/moto-differential.md that justifies it from the
behavioural reference (/work/shared/reference/aws-semantics.md): where moto's wording differs
from AWS's recorded text, or moto accepts what DynamoDB rejects. A rule never forgives a
difference in which EventLab is the one that departs from AWS.
"""

DEPARTURES = []


def departure(function):
    DEPARTURES.append(function)
    return function


def allowed_departure(op, request, eventlab, moto):
    """The name of the documented rule that explains the whole difference, or None."""
    for rule in DEPARTURES:
        if rule(op, request, eventlab, moto):
            return rule.__doc__.split(":", 1)[0] + " " + rule.__name__
    return None


def _error_types(eventlab, moto):
    return eventlab.get("type"), moto.get("type")


def _is_validation(eventlab):
    return eventlab.get("type") == "ValidationException"


def _moto_succeeded(moto):
    return "type" not in moto


def _moto_crashed(moto):
    return str(moto.get("type", "")).startswith("moto crashed")


@departure
def validation_prefix(op, request, eventlab, moto):
    """D1: moto puts `1 validation error detected: ` before texts AWS sends bare."""
    if not _is_validation(eventlab) or moto.get("type") != "ValidationException":
        return False
    if eventlab.get("message", "").startswith("1 validation error detected: "):
        return False
    return moto.get("message") == "1 validation error detected: " + eventlab.get("message", "")


# D2: texts DynamoDB rejects while validating a request that moto accepts (or answers later,
# at run time, or by crashing inside its parser). Each pattern is a start of EventLab's message.
REJECTED_BY_DYNAMODB_ONLY = [
    # Section 4.5 and trap 9.6: one + or - per SET value; moto evaluates `a + b + c`.
    'Invalid UpdateExpression: Syntax error; token: "+"',
    # Section 4.4: literals are a syntax error; size() alone and a trailing AND are rejected.
    "Invalid ConditionExpression: Syntax error;",
    "Invalid ConditionExpression: The function is not allowed to be used this way",
    "Invalid ConditionExpression: Invalid function name;",
    "Invalid ConditionExpression: The first operand must be distinct",
    "Invalid ConditionExpression: The BETWEEN operator requires upper bound",
    "Invalid ConditionExpression: Incorrect number of operands",
    "Invalid ConditionExpression: The expression has redundant parentheses;",
    "Invalid ConditionExpression: An expression attribute value used in expression is not defined",
    "Invalid ConditionExpression: Invalid attribute type name found",
    "Invalid UpdateExpression: Invalid function name;",
    "Invalid UpdateExpression: Operator or function requires a document path;",
    "Invalid UpdateExpression: An expression attribute value used in expression is not defined",
    "Invalid UpdateExpression: Attribute name is a reserved keyword;",
    # Section 4.3: reserved words need a placeholder in every expression, projections too.
    "Invalid ProjectionExpression: Attribute name is a reserved keyword;",
    "Invalid ProjectionExpression: Two document paths overlap",
    "Invalid KeyConditionExpression: Incorrect operand type for operator or function",
    "Invalid operator used in KeyConditionExpression: OR",
    "Filter Expression can only contain non-primary key attributes",
    "One or more parameter values were invalid: Condition parameter type does not match schema type",
    "ExpressionAttributeValues can only be specified when using expressions",
    "The provided key element does not match the schema",
]


@departure
def accepted_by_moto(op, request, eventlab, moto):
    """D2: DynamoDB rejects these requests while validating; moto lets them through."""
    if not _is_validation(eventlab):
        return False
    message = eventlab.get("message", "")
    if not any(message.startswith(pattern) for pattern in REJECTED_BY_DYNAMODB_ONLY):
        return False
    return moto.get("message") != message or moto.get("type") != eventlab.get("type")


@departure
def request_constraints(op, request, eventlab, moto):
    """D3: API-model constraints (`1 validation error detected: Value ... at '...'`) that moto
    leaves to botocore's client-side validation, which this harness turns off to reach moto."""
    if not _is_validation(eventlab):
        return False
    return eventlab.get("message", "").startswith("1 validation error detected: Value ")


@departure
def put_return_values_wording(op, request, eventlab, moto):
    """D4: PutItem/DeleteItem with ReturnValues other than NONE/ALL_OLD: moto's own wording."""
    return (
        eventlab.get("message") == "ReturnValues can only be ALL_OLD or NONE"
        and moto.get("message") == "Return values set to invalid value"
    )


@departure
def serialization_wording(op, request, eventlab, moto):
    """D5: a JSON number where a string belongs: moto words AWS's SerializationException its way."""
    return (
        _error_types(eventlab, moto) == ("SerializationException", "SerializationException")
        and eventlab.get("message", "").startswith("class com.amazon.coral.value.json.numbers.")
        and moto.get("message", "").endswith("cannot be converted to String")
    )


@departure
def delete_operand_wording(op, request, eventlab, moto):
    """D6: moto doubles the prefix of the DELETE/ADD operand-type message."""
    message = eventlab.get("message", "")
    marker = "operator or function; operator: "
    return (
        _is_validation(eventlab)
        and marker in message
        and moto.get("message") == message.replace(marker, "operator or function; operator or function: operator: ")
    )


@departure
def size_of_missing_attribute(op, request, eventlab, moto):
    """D7: size() of a missing attribute is false in DynamoDB; moto raises inside its evaluator."""
    condition = (request or {}).get("ConditionExpression", "") if isinstance(request, dict) else ""
    return (
        "size(" in condition
        and _moto_crashed(moto)
        and moto.get("message", "").startswith("Invalid attribute name")
        and eventlab.get("type") in ("ConditionalCheckFailedException", None)
    )


@departure
def transaction_validation_reason(op, request, eventlab, moto):
    """D8: a run-time validation fault inside a transaction cancels it with reason
    ValidationError; moto answers the bare ValidationException of a single-item write."""
    if op != "TransactWriteItems" or eventlab.get("type") != "TransactionCanceledException":
        return False
    codes = [reason.get("Code") for reason in eventlab.get("CancellationReasons", [])]
    return "ValidationError" in codes and moto.get("type") == "ValidationException"


@departure
def updated_new_key_on_upsert(op, request, eventlab, moto):
    """D9: UPDATED_NEW on an upsert: moto also returns the key attributes, which the update
    did not set."""
    if op != "UpdateItem" or not isinstance(request, dict) or request.get("ReturnValues") != "UPDATED_NEW":
        return False
    ours, theirs = eventlab.get("Attributes"), moto.get("Attributes")
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        return False
    key = request.get("Key") or {}
    return theirs == dict(ours, **key) and not set(ours) & set(key)


@departure
def last_page_key(op, request, eventlab, moto):
    """D10: a Query that stops at Limit returns LastEvaluatedKey even when no item follows;
    moto omits it when the partition happens to end there."""
    if op != "Query" or not isinstance(request, dict) or "Limit" not in request:
        return False
    if "LastEvaluatedKey" not in eventlab or "LastEvaluatedKey" in moto:
        return False
    trimmed = {key: value for key, value in eventlab.items() if key != "LastEvaluatedKey"}
    return trimmed == moto and eventlab.get("ScannedCount") == request["Limit"]


@departure
def missing_attribute_crash(op, request, eventlab, moto):
    """D11: list_append with a missing attribute is DynamoDB's `refers to an attribute that does
    not exist`; moto fails an assertion inside its evaluator."""
    return (
        eventlab.get("message") == "The provided expression refers to an attribute that does not exist in the item"
        and _moto_crashed(moto)
    )


@departure
def empty_key_string_wording(op, request, eventlab, moto):
    """D12: an empty string in a key attribute: moto keeps the wording DynamoDB used before
    empty strings were allowed in non-key attributes."""
    prefix = "One or more parameter values were invalid: "
    ours, theirs = eventlab.get("message", ""), moto.get("message", "")
    return (
        ours.startswith(prefix + "The AttributeValue for a key attribute cannot contain an empty string value. Key: ")
        and theirs == prefix + "An AttributeValue may not contain an empty string. Key: " + ours.rsplit("Key: ", 1)[-1]
    )


@departure
def value_first_key_condition(op, request, eventlab, moto):
    """D13: `:v = pk` in a KeyConditionExpression: DynamoDB's comparison takes operands in
    either order; moto refuses the placeholder on the left."""
    return (
        op == "Query"
        and "type" not in eventlab
        and moto.get("message") == "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
    )
