import { type DescField, type DescMessage, type Message, ScalarType } from "@bufbuild/protobuf";
import { type ReflectMessage, reflect } from "@bufbuild/protobuf/reflect";
import { Code, ConnectError } from "@connectrpc/connect";
import { escapeForMessage } from "../input-echo.js";

/*
 * The limits every request field obeys, whatever its service: checked by walking the request with its
 * descriptor, so a new RPC is covered without code. Handlers may check stricter rules of their own.
 */

/** FieldRule is the limit of one kind of string field. */
interface FieldRule {
  /** Longest value, in characters (UTF-16 code units). */
  max: number;
  /** Line breaks and tabs are allowed (cloud-init userdata, PEM, SSH keys, descriptions). */
  multiLine?: boolean;
  /** The value is a secret: error messages never echo it. */
  secret?: boolean;
}

const ID: FieldRule = { max: 256 };
const TEXT: FieldRule = { max: 1024 };
const URL_RULE: FieldRule = { max: 2048 };
const SECRET: FieldRule = { max: 1024, secret: true };

/** FIELD_RULES maps a proto field name to its rule; names not listed get TEXT. */
export const FIELD_RULES: Readonly<Record<string, FieldRule>> = {
  id: ID,
  uuid: ID,
  project: ID,
  tenant: ID,
  user: ID,
  owner: ID,
  partition: ID,
  size: ID,
  image: ID,
  network: ID,
  machine: ID,
  machine_id: ID,
  parent_network_id: ID,
  request_id: ID,
  filesystem_layout: ID,
  session: ID,
  name: { max: 128 },
  hostname: { max: 253 },
  description: { max: 1024, multiLine: true },
  comment: { max: 100 },
  page_token: TEXT,
  url: URL_RULE,
  image_url: URL_RULE,
  kernel_url: URL_RULE,
  issuer_url: URL_RULE,
  redirect_uris: URL_RULE,
  commandline: { max: 4096 },
  userdata: { max: 64 * 1024, multiLine: true },
  ssh_public_keys: { max: 16 * 1024, multiLine: true },
  ca_pem: { max: 64 * 1024, multiLine: true },
  message: { max: 4096, multiLine: true },
  error: { max: 4096, multiLine: true },
  password: SECRET,
  bind_password: SECRET,
  client_secret: SECRET,
  secret: SECRET,
};

/** Map keys (label keys) and values (label values) have their own limits; labels.ts adds the key syntax. */
const MAP_KEY: FieldRule = { max: 255 };
const MAP_VALUE: FieldRule = { max: 1024 };

/** Longest repeated field or map, in entries; the request size limit bounds the rest. */
const MAX_ENTRIES = 1024;

// C0 controls except tab, line feed and carriage return; DEL; C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const MULTI_LINE_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const SINGLE_LINE_FORBIDDEN = /[\u0000-\u001f\u007f-\u009f]/u;
// Bidirectional embeddings, overrides, isolates and the LRM/RLM/ALM marks reorder how text is shown,
// so an identifier or a one-line field could read as another ("Trojan Source").
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
// A lone surrogate (JSON "\ud800") or U+FFFD, which is what invalid UTF-8 decodes to.
const NOT_TEXT = /[\p{Cs}\ufffd]/u;

function invalid(path: string, problem: string): ConnectError {
  return new ConnectError(`${path}: ${problem}`, Code.InvalidArgument);
}

function checkString(path: string, value: string, rule: FieldRule): void {
  // Only a refusal shows the value: a valid one is not escaped for nothing.
  const shown = () => (rule.secret ? "" : ` in ${escapeForMessage(value)}`);
  if (value.length > rule.max) {
    throw invalid(path, `at most ${rule.max} characters, got ${value.length}`);
  }
  const notText = NOT_TEXT.exec(value);
  if (notText) {
    throw invalid(
      path,
      `not valid UTF-8 text (U+${notText[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")} at position ${notText.index}${shown()}); send UTF-8`,
    );
  }
  const control = (rule.multiLine ? MULTI_LINE_FORBIDDEN : SINGLE_LINE_FORBIDDEN).exec(value);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    const allowed = rule.multiLine
      ? "only line breaks and tabs are allowed"
      : "the field is one line of text";
    throw invalid(path, `control character U+${code} at position ${control.index}${shown()}; ${allowed}`);
  }
  // A secret is never shown, so how it reads does not matter: a password may hold any of these.
  const bidi = rule.multiLine || rule.secret ? null : BIDI.exec(value);
  if (bidi) {
    const code = bidi[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
    throw invalid(
      path,
      `bidirectional formatting character U+${code} at position ${bidi.index}${shown()}; it changes how the text reads, remove it`,
    );
  }
}

/**
 * checkField applies the rule of a request field named `field` (e.g. "user", "name", "email") to a
 * value that reaches storage by another way than a request, such as a login's identity claims; it
 * throws InvalidArgument naming `path`, as a request with that value would be refused.
 */
export function checkField(path: string, field: string, value: string): void {
  checkString(path, value, FIELD_RULES[field] ?? TEXT);
}

function checkEnum(path: string, field: DescField, value: number): void {
  const desc = field.enum;
  if (!desc || value === 0 || desc.values.some((v) => v.number === value)) return;
  const names = desc.values.filter((v) => v.number !== 0).map((v) => v.localName);
  throw invalid(path, `unknown value ${value}; use one of ${names.join(", ")}`);
}

function checkScalar(path: string, value: unknown, rule: FieldRule): void {
  if (typeof value === "string") checkString(path, value, rule);
}

function ruleOf(field: DescField): FieldRule {
  return FIELD_RULES[field.name] ?? TEXT;
}

function checkMessage(path: string, msg: ReflectMessage): void {
  for (const field of msg.fields) {
    if (!msg.isSet(field)) continue;
    const at = path ? `${path}.${field.name}` : field.name;
    switch (field.fieldKind) {
      case "scalar":
        if (field.scalar === ScalarType.STRING) checkString(at, msg.get(field) as string, ruleOf(field));
        break;
      case "enum":
        checkEnum(at, field, msg.get(field) as number);
        break;
      case "message":
        checkMessage(at, msg.get(field) as ReflectMessage);
        break;
      case "list": {
        const list = msg.get(field);
        if (list.size > MAX_ENTRIES) throw invalid(at, `at most ${MAX_ENTRIES} entries, got ${list.size}`);
        let i = 0;
        for (const item of list) {
          const itemAt = `${at}[${i++}]`;
          if (field.listKind === "message") checkMessage(itemAt, item as ReflectMessage);
          else if (field.listKind === "enum") checkEnum(itemAt, field, item as number);
          else checkScalar(itemAt, item, ruleOf(field));
        }
        break;
      }
      case "map": {
        const map = msg.get(field);
        if (map.size > MAX_ENTRIES) throw invalid(at, `at most ${MAX_ENTRIES} entries, got ${map.size}`);
        for (const [key, value] of map) {
          if (typeof key === "string") checkString(`${at} key`, key, MAP_KEY);
          const valueAt = `${at}[${escapeForMessage(String(key))}]`;
          if (field.mapKind === "message") checkMessage(valueAt, value as ReflectMessage);
          else if (field.mapKind === "enum") checkEnum(valueAt, field, value as number);
          else checkScalar(valueAt, value, MAP_VALUE);
        }
        break;
      }
    }
  }
}

/**
 * checkRequestFields refuses, as InvalidArgument naming the field path, a request with an unknown enum
 * number, a string longer than its field's limit, control characters in a one-line field, or text that
 * is not valid UTF-8. Messages echo at most a short escaped prefix of the value, never a secret.
 */
export function checkRequestFields(desc: DescMessage, message: Message): void {
  checkMessage("", reflect(desc, message));
}
