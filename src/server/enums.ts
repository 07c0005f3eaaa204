import type { DescEnum } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * requireKnownEnum refuses a number that is no value of the enum (proto3 lets any number through
 * the wire); 0, the UNSPECIFIED value, passes and means "not given".
 */
export function requireKnownEnum(desc: DescEnum, value: number, field: string): void {
  if (value === 0 || desc.values.some((v) => v.number === value)) return;
  const names = desc.values.filter((v) => v.number !== 0).map((v) => v.localName);
  throw new ConnectError(
    `${field}: unknown value ${value}; use one of ${names.join(", ")}`,
    Code.InvalidArgument,
  );
}
