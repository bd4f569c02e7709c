// Command seed builds a synthetic database the way bench/run.sh seeds its
// own (an audit entry per change, evidence stored in the file, compacted),
// and bench/run.sh runs it: seed -db PATH [-enterprises 10000] [-assessments 50000].
package main

import (
	"flag"
	"fmt"
	"os"

	"digilevel/storage"
)

func main() {
	path := flag.String("db", "", "database file to create")
	ents := flag.Int("enterprises", 10000, "enterprises")
	assess := flag.Int("assessments", 50000, "assessments")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "seed: -db is required")
		os.Exit(2)
	}
	// NoSync: seeding writes thousands of transactions; durability is irrelevant here.
	db, err := storage.Open(*path, storage.Options{NoSync: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
	err = db.Seed(storage.SeedOptions{Enterprises: *ents, Assessments: *assess, Seed: 1, Evidence: true})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = storage.CompactSeed(*path)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}
