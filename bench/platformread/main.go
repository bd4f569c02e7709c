// Command platformread is the baseline of `digilevel serve reports list`:
// it opens a platform's bbolt database as the command does and reads every
// report's record from the store (EachReport), printing only the count.
// What the listing adds beyond it is formatting and writing the rows.
//
//	platformread -db PATH
package main

import (
	"flag"
	"fmt"
	"os"

	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
)

func main() {
	path := flag.String("db", "", "server database file")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "platformread: -db is required")
		os.Exit(2)
	}
	n, err := count(*path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "platformread:", err)
		os.Exit(1)
	}
	fmt.Println(n)
}

func count(path string) (int, error) {
	st, err := serverstore.Open(path, serverstore.Options{})
	if err != nil {
		return 0, err
	}
	n := 0
	err = st.EachReport(0, func(platform.Record) error { n++; return nil })
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	return n, err
}
