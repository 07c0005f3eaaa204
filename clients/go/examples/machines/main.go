// Command machines lists a project's machines, or shows one: machines PROJECT [MACHINE_UUID]
//
// It prints UUID, name, partition, size and image, tab-separated, one machine per line. It reads the
// API URL from METALCTL_API_URL and the token from METALCTL_API_TOKEN (e.g. from `metalctl token create`).
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"metalctl/client"
	apiv2 "metalctl/client/metalstack/api/v2"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) != 1 && len(args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: machines PROJECT [MACHINE_UUID]")
		return 2
	}
	conn, err := client.Dial(client.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	machines := apiv2.NewMachineServiceClient(conn)
	project := args[0]
	if len(args) == 2 {
		res, err := machines.Get(ctx, &apiv2.MachineServiceGetRequest{Project: project, Uuid: args[1]})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		printMachine(res.GetMachine())
		return 0
	}
	pageToken := ""
	for {
		res, err := machines.List(ctx, &apiv2.MachineServiceListRequest{
			Project: project,
			Paging:  &apiv2.Paging{PageToken: pageToken},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		for _, m := range res.GetMachines() {
			printMachine(m)
		}
		if pageToken = res.GetNextPageToken(); pageToken == "" {
			return 0
		}
	}
}

func printMachine(m *apiv2.Machine) {
	a := m.GetAllocation()
	fmt.Println(strings.Join([]string{m.GetUuid(), a.GetName(), m.GetPartition(), m.GetSize(), a.GetImage()}, "\t"))
}
