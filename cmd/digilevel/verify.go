package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/spf13/cobra"

	"digilevel/indicators"
	"digilevel/model"
	"digilevel/safefile"
	"digilevel/storage/serverstore"
	"digilevel/sync/bundle"
)

// verification is the result of verifying one report, as --json prints it.
type verification struct {
	File       string    `json:"file,omitempty"`
	Valid      bool      `json:"valid"`
	Reason     string    `json:"reason,omitempty"`
	ID         string    `json:"id,omitempty"`
	SHA256     string    `json:"sha256"`
	Enterprise string    `json:"enterprise,omitempty"`
	Name       string    `json:"enterprise_name,omitempty"`
	Provider   string    `json:"provider,omitempty"`
	Level      int       `json:"level"`
	LevelName  string    `json:"level_name,omitempty"`
	Score      string    `json:"score,omitempty"`
	Finalized  time.Time `json:"finalized_at,omitzero"`
	Key        string    `json:"key_fingerprint,omitempty"`
	Rescored   bool      `json:"rescored"`
	Catalog    string    `json:"catalog,omitempty"`
	Evidence   int       `json:"evidence,omitempty"`
}

func newVerifyCmd(a *app) *cobra.Command {
	var asJSON bool
	var catalogFile string
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "离线校验导出的报告（JSON）或数据包（zip）：签名、规范格式、按目录重新计分",
		Long: `离线校验一份导出的报告 JSON（定稿时签名的原始字节）或一个数据包 zip：
规范格式（内容与排版未被改动）、ed25519 签名、以及用报告所记目录重新计分（目录为内置版本或 --catalog 给出时）。
数据包还核对清单中的校验值和每个佐证材料文件。
有效时退出码 0；无效时退出码 4，并用中文说明原因。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			catalogs, err := knownCatalogs(catalogFile)
			if err != nil {
				return inputError(err)
			}
			zipped, err := isZip(args[0])
			if err != nil {
				return inputError(err)
			}
			var results []verification
			if zipped {
				results, err = verifyBundle(args[0], catalogs)
			} else {
				var data []byte
				data, err = safefile.Read(args[0], model.MaxReportSize)
				if err == nil {
					v, _ := verifyReport(data, catalogs)
					results = []verification{v}
				}
			}
			if err != nil {
				return exitCodeError{code: exitCheck, err: err}
			}
			if asJSON {
				if err := printJSON(a.streams.out, results); err != nil {
					return err
				}
			} else {
				for _, v := range results {
					writeVerification(a.streams.out, v, len(results) > 1)
				}
			}
			invalid := 0
			for _, v := range results {
				if !v.Valid {
					invalid++
				}
			}
			switch {
			case invalid == 1 && len(results) == 1:
				return exitCodeError{code: exitCheck, err: fmt.Errorf("报告无效: %s", results[0].Reason)}
			case invalid > 0:
				return exitCodeError{code: exitCheck, err: fmt.Errorf("数据包中 %d 份报告无效", invalid)}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "以 JSON 输出")
	cmd.Flags().StringVar(&catalogFile, "catalog", "", "用于重新计分的目录文件（报告使用非内置目录时）")
	return cmd
}

func knownCatalogs(file string) (map[string]*indicators.Catalog, error) {
	out, err := indicators.EmbeddedByHash()
	if err != nil {
		return nil, err
	}
	if file != "" {
		c, err := readCatalogFile(file)
		if err != nil {
			return nil, err
		}
		out[c.Hash()] = c
	}
	return out, nil
}

// verifyReport checks one report's bytes: canonical form and signature,
// then rescoring when its catalog is known. It also returns the document
// when the bytes verified.
func verifyReport(data []byte, catalogs map[string]*indicators.Catalog) (verification, model.ReportDocument) {
	v := verification{SHA256: model.HashReport(data)}
	doc, err := model.VerifyReport(data)
	if err != nil {
		v.Reason = err.Error()
		return v, doc
	}
	v.ID, v.Enterprise, v.Name, v.Provider = doc.ID, doc.Enterprise.Code, doc.Enterprise.Name, doc.Assessor.Org
	v.Level, v.LevelName, v.Score, v.Finalized = doc.Result.Level, doc.Result.LevelName, doc.Result.Score.String(), inZone(doc.FinalizedAt)
	v.Key = serverstore.Fingerprint(doc.Signature.PublicKey)
	v.Catalog = doc.Catalog.Edition + " " + doc.Catalog.Hash
	if doc.Draft {
		v.Reason = "这是草稿报告，没有定稿"
		return v, doc
	}
	if cat, ok := catalogs[doc.Catalog.Hash]; ok {
		if err := model.CheckReportScore(cat, doc); err != nil {
			v.Reason = err.Error()
			return v, doc
		}
		v.Rescored = true
	}
	for _, evs := range doc.Evidence {
		v.Evidence += len(evs)
	}
	v.Valid = true
	return v, doc
}

// verifyBundle checks every report of a bundle, the manifest's hashes and
// every evidence file. A bundle that cannot be read at all is an error.
func verifyBundle(path string, catalogs map[string]*indicators.Catalog) ([]verification, error) {
	b, closer, err := bundle.Open(path)
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	var out []verification
	checked := map[string]error{} // a revision names its original's evidence again
	for _, r := range b.Reports {
		if r.Problem != bundle.OK {
			out = append(out, verification{File: r.Entry.File, ID: r.Entry.ID, SHA256: r.Entry.SHA256, Reason: "数据包中缺少该报告文件或文件过大"})
			continue
		}
		v, doc := verifyReport(r.Body, catalogs)
		v.File = r.Entry.File
		switch {
		case !v.Valid:
		case v.SHA256 != r.Entry.SHA256 || v.ID != r.Entry.ID:
			v.Valid, v.Reason = false, "报告与清单记录的编号或校验值不符"
		default:
			for ref, evs := range doc.Evidence {
				for _, ev := range evs {
					err, seen := checked[ev.SHA256]
					if !seen {
						_, err = b.Evidence(ev.SHA256)
						checked[ev.SHA256] = err
					}
					if err != nil {
						v.Valid, v.Reason = false, fmt.Sprintf("%s 的佐证材料 %s: %v", ref, ev.Path, err)
					}
				}
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func writeVerification(w io.Writer, v verification, many bool) {
	if many {
		fmt.Fprintf(w, "%s: ", v.File)
	}
	if !v.Valid {
		fmt.Fprintf(w, "无效: %s\nSHA-256: %s\n", v.Reason, v.SHA256)
		return
	}
	fmt.Fprintln(w, "报告有效（签名正确，内容未被改动）")
	fmt.Fprintf(w, "  编号: %s\n  企业: %s（%s）\n  评测机构: %s\n  结果: %s，得分 %s\n  定稿时间: %s\n  SHA-256: %s\n  签名密钥指纹: %s\n",
		v.ID, v.Name, v.Enterprise, v.Provider, v.LevelName, v.Score, shownMinute(v.Finalized), v.SHA256, v.Key)
	if v.Rescored {
		fmt.Fprintln(w, "  重新计分: 与报告所记目录重新计算的结果一致")
	} else {
		fmt.Fprintf(w, "  重新计分: 未进行（目录 %s 不是内置版本，可用 --catalog 指定目录文件）\n", v.Catalog)
	}
	if v.Evidence > 0 {
		fmt.Fprintf(w, "  佐证材料: %d 个\n", v.Evidence)
	}
}

// isZip reports whether a file starts like a zip archive. Only a regular
// file is opened (a FIFO would block).
func isZip(path string) (bool, error) {
	f, _, err := safefile.Open(path, math.MaxInt64)
	if err != nil {
		return false, err
	}
	defer f.Close()
	var head [4]byte
	n, _ := io.ReadFull(f, head[:])
	return bytes.Equal(head[:n], []byte("PK\x03\x04")), nil
}
