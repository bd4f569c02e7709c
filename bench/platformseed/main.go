// Command platformseed builds a synthetic district platform (a bbolt server
// database) for the dashboard's browser script and by-hand trials:
// platformseed -db PATH [-enterprises 150] [-spotcheck-every 4] [-seed 1].
// Enterprises are clearly marked 合成企业; reports are signed and stored as
// uploads are. Tokens are made with `digilevel serve token add`.
package main

import (
	"flag"
	"fmt"
	"os"

	"digilevel/storage/serverstore"
	"digilevel/web/webtest"
)

func main() {
	path := flag.String("db", "", "server database file to create")
	ents := flag.Int("enterprises", 150, "enterprises")
	every := flag.Int("spotcheck-every", 4, "spot-check every n-th accepted enterprise (0: none)")
	seed := flag.Int64("seed", 1, "seed")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "platformseed: -db is required")
		os.Exit(2)
	}
	st, err := serverstore.Open(*path, serverstore.Options{NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "platformseed:", err)
		os.Exit(1)
	}
	res, err := webtest.Seed(st, webtest.Options{Enterprises: *ents, SpotCheckEvery: *every, Seed: *seed})
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "platformseed:", err)
		os.Exit(1)
	}
	fmt.Printf("%d enterprises, %d reports (%d spot-checks, %d revisions)\n", len(res.Enterprises), res.Reports, res.SpotChecks, res.Revisions)
}
