#!/usr/bin/env python3
"""List a project's machines, or show one: machines.py PROJECT [MACHINE_UUID]

Prints UUID, name, partition, size and image, tab-separated, one machine per line. Reads the API URL
from METALCTL_API_URL and the token from METALCTL_API_TOKEN (e.g. from `metalctl token create`).
"""

import sys

import grpc

import metalctl_client
from metalstack.api.v2 import common_pb2, machine_pb2, machine_pb2_grpc


def main(args):
    if len(args) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    project = args[0]
    try:
        channel = metalctl_client.connect()
    except metalctl_client.ConfigurationError as err:
        print(err, file=sys.stderr)
        return 2
    with channel:
        machines = machine_pb2_grpc.MachineServiceStub(channel)
        try:
            if len(args) == 2:
                req = machine_pb2.MachineServiceGetRequest(project=project, uuid=args[1])
                print_machine(machines.Get(req, timeout=30).machine)
                return 0
            page_token = ""
            while True:
                req = machine_pb2.MachineServiceListRequest(
                    project=project, paging=common_pb2.Paging(page_token=page_token)
                )
                res = machines.List(req, timeout=30)
                for machine in res.machines:
                    print_machine(machine)
                page_token = res.next_page_token
                if not page_token:
                    return 0
        except grpc.RpcError as err:
            print(f"{err.code().name}: {err.details()}", file=sys.stderr)
            return 1


def print_machine(machine):
    alloc = machine.allocation
    print("\t".join([machine.uuid, alloc.name, machine.partition, machine.size, alloc.image]))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
