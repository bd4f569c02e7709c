// Command platformseed builds a synthetic district platform (a bbolt server
// database) for the dashboard's browser script and by-hand trials:
//
//	platformseed -db PATH [-enterprises 150] [-spotcheck-every 4] [-seed 1] [-roster FILE.csv -unreported 30]
//
// Enterprises are clearly marked 合成企业; reports are signed and stored as
// uploads are. -roster writes a district roster in the format of
// `digilevel serve roster import` (every seeded enterprise but every seventh,
// and -unreported more without any report). Tokens are made with
// `digilevel serve token add`.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"strconv"

	"digilevel/model"
	"digilevel/storage/serverstore"
	"digilevel/web/webtest"
)

func main() {
	path := flag.String("db", "", "server database file to create")
	ents := flag.Int("enterprises", 150, "enterprises")
	every := flag.Int("spotcheck-every", 4, "spot-check one accepted enterprise in n (0: none)")
	seed := flag.Int64("seed", 1, "seed")
	roster := flag.String("roster", "", "also write a roster CSV to this file")
	unreported := flag.Int("unreported", 30, "roster enterprises without any report")
	flag.Parse()
	if *path == "" {
		fmt.Fprintln(os.Stderr, "platformseed: -db is required")
		os.Exit(2)
	}
	if err := run(*path, *roster, webtest.Options{Enterprises: *ents, SpotCheckEvery: *every, Seed: *seed}, *unreported); err != nil {
		fmt.Fprintln(os.Stderr, "platformseed:", err)
		os.Exit(1)
	}
}

func run(path, rosterPath string, o webtest.Options, unreported int) error {
	st, err := serverstore.Open(path, serverstore.Options{NoSync: true})
	if err != nil {
		return err
	}
	res, err := webtest.Seed(st, o)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("%d enterprises, %d reports (%d spot-checks, %d revisions)\n", len(res.Enterprises), res.Reports, res.SpotChecks, res.Revisions)
	if rosterPath == "" {
		return nil
	}
	list, err := webtest.Roster(res, unreported, o)
	if err != nil {
		return err
	}
	f, err := os.Create(rosterPath)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"企业名称", "统一社会信用代码", "批次", "规模", "专精特新", "省级以上智能工厂", "服务商", "2025年营业收入（万元）", "2026年营业收入（万元）", "2027年营业收入（万元）"})
	for _, e := range list {
		zjtx := map[model.ZJTX]string{model.ZJTXProvincial: "省级", model.ZJTXNational: "国家级"}[e.ZJTX]
		if zjtx == "" {
			zjtx = "否"
		}
		smart := "否"
		if e.SmartFactory {
			smart = "是"
		}
		rev := func(y int) string { v, _ := e.RevenueIn(y); return string(v) }
		w.Write([]string{e.Name, e.Code, strconv.Itoa(e.Batch), e.Scale.Label(), zjtx, smart, e.Provider, rev(2025), rev(2026), rev(2027)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("roster of %d enterprises in %s\n", len(list), rosterPath)
	return nil
}
