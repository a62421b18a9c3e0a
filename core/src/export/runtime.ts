// EventLab handler runtime: what every exported handler shares. It reads each input record the
// way the simulator does (the CloudEvent directly, as an EventBridge `detail`, or in an SQS
// body), builds CloudEvents with correlation and causation ids, names AWS resources from
// environment variables set by the CDK app, and evaluates `if` conditions in DynamoDB condition
// syntax over the handler's context, as the design's steps do.
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SFNClient } from "@aws-sdk/client-sfn";
import { LambdaClient } from "@aws-sdk/client-lambda";

/** What a handler's steps read and write: the record, its CloudEvent, and saved results. */
export type Context = Record<string, any>;

export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const events = new EventBridgeClient({});
export const queues = new SQSClient({});
export const stepFunctions = new SFNClient({});
export const lambdas = new LambdaClient({});

/** A resource's real name (table, bus, queue URL, state machine ARN, function name): the CDK
 * app sets EVENTLAB_<ID>; without it the design's id is used. */
export function resource(id: string): string {
  const variable = "EVENTLAB_" + id.toUpperCase().replace(/[^A-Z0-9]/g, "_");
  return process.env[variable] ?? id;
}

function isCloudEvent(value: unknown): value is Record<string, any> {
  return typeof value === "object" && value !== null && "specversion" in value && "type" in value;
}

function findCloudEvent(record: any): Record<string, any> | null {
  if (isCloudEvent(record)) return record;
  if (record !== null && typeof record === "object") {
    if (isCloudEvent(record.detail)) return record.detail;
    if ("body" in record) {
      let body: unknown = record.body;
      if (typeof body === "string") {
        try {
          body = JSON.parse(body);
        } catch {
          return null;
        }
      }
      return findCloudEvent(body);
    }
  }
  return null;
}

/** The context for one input record, as the simulator builds it. */
export function contextOf(record: any): Context {
  const cloudevent = findCloudEvent(record);
  let data: unknown = record;
  if (cloudevent !== null) {
    data = cloudevent.data ?? null;
  } else if (record !== null && typeof record === "object" && typeof record.body === "string" && record.eventSource === "aws:sqs") {
    try {
      data = JSON.parse(record.body);
    } catch {
      data = record.body;
    }
  }
  return {
    event: record,
    cloudevent,
    data,
    correlationId: cloudevent?.correlationid ?? null,
    eventId: cloudevent?.id ?? null,
  };
}

/** A value as key text: strings as they are, null as empty, anything else as JSON. */
export function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}

/** `{"add": [a, b, ...]}`: the sum of numbers; a missing value (null) counts as 0, as a counter
 * that was never written; anything else makes the sum null, as in the simulator. */
export function sum(...terms: unknown[]): number | null {
  let total = 0;
  for (const term of terms) {
    if (term === null || term === undefined) continue;
    if (typeof term !== "number") return null;
    total += term;
  }
  return total;
}

/** A CloudEvent for `emit`: a new id, the incoming correlation id carried over and the
 * incoming event's id as causation id (unless the step says not to carry them). */
export function cloudEvent(ctx: Context, type: string, source: string, data: unknown, carryCorrelation: boolean): Record<string, unknown> {
  const id = randomUUID();
  const event: Record<string, unknown> = {
    specversion: "1.0",
    id,
    source,
    type,
    time: new Date().toISOString(),
    datacontenttype: "application/json",
    correlationid: carryCorrelation && ctx.correlationId != null ? ctx.correlationId : id,
    data,
  };
  if (carryCorrelation && ctx.eventId != null) event.causationid = ctx.eventId;
  return event;
}

/** Whether an error is DynamoDB's rejected condition (directly, or inside a transaction). */
export function isConditionFailed(error: unknown): boolean {
  const failure = error as { name?: string; CancellationReasons?: { Code?: string }[]; message?: string };
  if (failure?.name === "ConditionalCheckFailedException") return true;
  return (
    failure?.name === "TransactionCanceledException" &&
    ((failure.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed") ||
      (failure.message ?? "").includes("ConditionalCheckFailed"))
  );
}

/** Whether an error is Step Functions refusing a task token: `TaskTimedOut` (the task already
 * closed: answered, timed out, or its execution ended) or `InvalidToken`. */
export function isTokenRejected(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === "TaskTimedOut" || name === "InvalidToken";
}

/** A `fail` step's error: its name is what the platform and Step Functions see. */
export class HandlerError extends Error {
  constructor(name: string, cause: string) {
    super(cause || name);
    this.name = name;
  }
}

/** An external API call (`call` step). The default posts JSON to EVENTLAB_<API>_URL with the
 * idempotency key in the Idempotency-Key header; replace it with setExternalApi. */
export type ExternalApi = (request: { key: string; idempotencyKey: string | null; payload: unknown }) => Promise<unknown>;

const externalApis = new Map<string, ExternalApi>();

export function setExternalApi(name: string, api: ExternalApi): void {
  externalApis.set(name, api);
}

export async function callApi(name: string, request: { key: string; idempotencyKey: string | null; payload: unknown }): Promise<unknown> {
  const api = externalApis.get(name);
  if (api !== undefined) return api(request);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (request.idempotencyKey !== null) headers["idempotency-key"] = request.idempotencyKey;
  const response = await fetch(resource(name + "-url"), { method: "POST", headers, body: JSON.stringify(request.payload) });
  if (!response.ok) throw new HandlerError("ExternalApiError", `${name} answered ${response.status}`);
  return response.json();
}

// ---- DynamoDB condition syntax over the context, for `if` steps ----------------------------

type Token = { kind: "name" | "value" | "word" | "number" | "symbol"; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(<>|<=|>=|[=<>(),.\[\]]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*)/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (match === null) throw new Error(`cannot read the condition at ${at}: ${expression}`);
    const piece = match[1];
    const kind = piece.startsWith("#") ? "name" : piece.startsWith(":") ? "value" : /^[0-9]/.test(piece) ? "number" : /^[A-Za-z_]/.test(piece) ? "word" : "symbol";
    tokens.push({ kind, text: piece });
    at = pattern.lastIndex;
  }
  return tokens;
}

const MISSING = Symbol("missing");
type Operand = unknown | typeof MISSING;

class ConditionReader {
  private at = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly names: Record<string, string>,
    private readonly values: Record<string, unknown>,
    private readonly item: Context,
  ) {}

  read(): boolean {
    const result = this.or();
    if (this.at !== this.tokens.length) throw new Error("unexpected text after the condition");
    return result;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.kind === "word" && token.text.toUpperCase() === word) {
      this.at += 1;
      return true;
    }
    return false;
  }

  private symbol(text: string): boolean {
    if (this.peek()?.text === text && this.peek()?.kind === "symbol") {
      this.at += 1;
      return true;
    }
    return false;
  }

  private expect(text: string): void {
    if (!this.symbol(text)) throw new Error(`expected ${text} in the condition`);
  }

  private or(): boolean {
    let result = this.and();
    while (this.keyword("OR")) {
      const right = this.and();
      result = result || right;
    }
    return result;
  }

  private and(): boolean {
    let result = this.not();
    while (this.keyword("AND")) {
      const right = this.not();
      result = result && right;
    }
    return result;
  }

  private not(): boolean {
    if (this.keyword("NOT")) return !this.not();
    return this.primary();
  }

  private primary(): boolean {
    if (this.symbol("(")) {
      const inner = this.or();
      this.expect(")");
      return inner;
    }
    const token = this.peek();
    const next = this.tokens[this.at + 1];
    if (token?.kind === "word" && next?.text === "(" && token.text !== "size") return this.function();
    const left = this.operand();
    if (this.keyword("BETWEEN")) {
      const low = this.operand();
      if (!this.keyword("AND")) throw new Error("expected AND in BETWEEN");
      const high = this.operand();
      return compare(">=", left, low) && compare("<=", left, high);
    }
    if (this.keyword("IN")) {
      this.expect("(");
      const candidates = [this.operand()];
      while (this.symbol(",")) candidates.push(this.operand());
      this.expect(")");
      return candidates.some((candidate) => compare("=", left, candidate));
    }
    const comparator = this.peek();
    if (comparator === undefined || !["=", "<>", "<", "<=", ">", ">="].includes(comparator.text)) throw new Error("expected a comparison");
    this.at += 1;
    return compare(comparator.text, left, this.operand());
  }

  private function(): boolean {
    const name = this.tokens[this.at].text;
    this.at += 1;
    this.expect("(");
    const first = this.operand();
    const second = this.symbol(",") ? this.operand() : MISSING;
    this.expect(")");
    switch (name) {
      case "attribute_exists":
        return first !== MISSING;
      case "attribute_not_exists":
        return first === MISSING;
      case "begins_with":
        return typeof first === "string" && typeof second === "string" && first.startsWith(second);
      case "contains":
        if (typeof first === "string") return typeof second === "string" && first.includes(second);
        return Array.isArray(first) && first.some((element) => deepEqual(element, second));
      case "attribute_type":
        return first !== MISSING && typeOf(first) === second;
      default:
        throw new Error(`unknown function ${name}`);
    }
  }

  private operand(): Operand {
    const token = this.peek();
    if (token === undefined) throw new Error("the condition ends too early");
    if (token.kind === "value") {
      this.at += 1;
      if (!(token.text in this.values)) throw new Error(`undefined value ${token.text}`);
      return this.values[token.text];
    }
    if (token.kind === "word" && token.text === "size" && this.tokens[this.at + 1]?.text === "(") {
      this.at += 2;
      const inner = this.operand();
      this.expect(")");
      if (typeof inner === "string") return Buffer.byteLength(inner);
      if (Array.isArray(inner)) return inner.length;
      if (inner !== null && typeof inner === "object") return Object.keys(inner).length;
      return MISSING;
    }
    return this.path();
  }

  private path(): Operand {
    let current: unknown = this.item;
    for (;;) {
      const token = this.peek();
      if (token === undefined) throw new Error("expected an attribute");
      let name: string;
      if (token.kind === "name") {
        if (!(token.text in this.names)) throw new Error(`undefined name ${token.text}`);
        name = this.names[token.text];
      } else if (token.kind === "word") {
        name = token.text;
      } else {
        throw new Error(`expected an attribute, got ${token.text}`);
      }
      this.at += 1;
      current = step(current, name);
      while (this.symbol("[")) {
        const index = this.peek();
        if (index?.kind !== "number") throw new Error("expected a list index");
        this.at += 1;
        this.expect("]");
        current = Array.isArray(current) && Number(index.text) < current.length ? current[Number(index.text)] : MISSING;
      }
      if (!this.symbol(".")) break;
    }
    return current;
  }
}

function step(current: unknown, name: string): Operand {
  if (current === MISSING || current === null || typeof current !== "object" || Array.isArray(current)) return MISSING;
  const record = current as Record<string, unknown>;
  return name in record ? record[name] : MISSING;
}

function typeOf(value: unknown): string {
  if (value === null) return "NULL";
  if (typeof value === "string") return "S";
  if (typeof value === "number") return "N";
  if (typeof value === "boolean") return "BOOL";
  if (Array.isArray(value)) return "L";
  return "M";
}

function deepEqual(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** DynamoDB comparison: values of different types never compare, and a missing attribute
 * makes everything false except `<>`. */
function compare(comparator: string, left: Operand, right: Operand): boolean {
  if (left === MISSING || right === MISSING) return comparator === "<>";
  if (comparator === "=") return typeOf(left) === typeOf(right) && deepEqual(left, right);
  if (comparator === "<>") return !(typeOf(left) === typeOf(right) && deepEqual(left, right));
  const ordered = (typeof left === "number" && typeof right === "number") || (typeof left === "string" && typeof right === "string");
  if (!ordered) return false;
  const a = left as number | string;
  const b = right as number | string;
  switch (comparator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    default:
      return a >= b;
  }
}

/** An `if` step's condition, in DynamoDB condition syntax, over the context as an item. */
export function condition(expression: string, names: Record<string, string>, values: Record<string, unknown>, ctx: Context): boolean {
  return new ConditionReader(tokenize(expression), names, values, ctx).read();
}
