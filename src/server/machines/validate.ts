import { Code, ConnectError } from "@connectrpc/connect";
import type { MachineServiceCreateRequest } from "../../gen/metalstack/api/v2/machine_pb.js";
import { checkLabels } from "../labels.js";

const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const SSH_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/=]+( .*)?$/;
const MAX_USERDATA_BYTES = 64 * 1024;
const MAX_NAME = 128;
const MAX_DESCRIPTION = 1024;

/** validateName checks a machine name: not empty, at most 128 characters. */
export function validateName(name: string): void {
  if (!name.trim()) throw new ConnectError("name: must not be empty", Code.InvalidArgument);
  if (name.length > MAX_NAME)
    throw new ConnectError(`name: at most ${MAX_NAME} characters`, Code.InvalidArgument);
}

/** validateDescription checks a description's length. */
export function validateDescription(description: string): void {
  if (description.length > MAX_DESCRIPTION) {
    throw new ConnectError(`description: at most ${MAX_DESCRIPTION} characters`, Code.InvalidArgument);
  }
}

/** validateSshPublicKeys checks that every key is a single OpenSSH public key line. */
export function validateSshPublicKeys(field: string, keys: string[]): string[] {
  return keys.map((k, i) => {
    const key = k.trim();
    if (!SSH_KEY.test(key) || key.includes("\n")) {
      throw new ConnectError(
        `${field}[${i}]: not an OpenSSH public key (expected e.g. "ssh-ed25519 AAAA… comment")`,
        Code.InvalidArgument,
      );
    }
    return key;
  });
}

/** validateAllocationFields checks the plain fields of a create request and returns the normalised ones. */
export function validateAllocationFields(req: MachineServiceCreateRequest): {
  name: string;
  hostname: string;
  sshPublicKeys: string[];
} {
  validateName(req.name);
  validateDescription(req.description);
  const hostname = req.hostname || req.name.toLowerCase();
  if (!HOSTNAME.test(hostname)) {
    throw new ConnectError(
      `hostname: "${hostname}" is not a valid host name (lower-case letters, digits and '-', at most 63); set --hostname`,
      Code.InvalidArgument,
    );
  }
  if (!req.partition) throw new ConnectError("partition: name the partition", Code.InvalidArgument);
  if (!req.size) throw new ConnectError("size: name the machine size", Code.InvalidArgument);
  if (!req.image) throw new ConnectError("image: name the OS image to install", Code.InvalidArgument);
  if (Buffer.byteLength(req.userdata) > MAX_USERDATA_BYTES) {
    throw new ConnectError(`userdata: at most ${MAX_USERDATA_BYTES} bytes`, Code.InvalidArgument);
  }
  checkLabels(req.labels);
  return {
    name: req.name,
    hostname,
    sshPublicKeys: validateSshPublicKeys("ssh_public_keys", req.sshPublicKeys),
  };
}
