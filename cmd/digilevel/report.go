package main

import (
	"errors"
	"fmt"
	"io"
	"iter"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"digilevel/model"
	"digilevel/report"
	"digilevel/storage"
)

type reportOptions struct {
	format string
	out    string
}

func (o *reportOptions) addFlags(cmd *cobra.Command, formats string) {
	cmd.Flags().StringVar(&o.format, "format", "html", "输出格式: "+formats)
	cmd.Flags().StringVarP(&o.out, "output", "o", "", "输出文件（不给则文本格式写到标准输出，xlsx 写到当前目录）")
}

func newReportCmd(a *app) *cobra.Command {
	var o reportOptions
	var evidenceDir string
	cmd := &cobra.Command{
		Use:   "report ID [--format html|md|json|xlsx] [-o FILE] [--evidence DIR]",
		Short: "生成转型诊断报告（草稿也可生成，每页标注「草稿」）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := report.ParseFormat(o.format)
			if err != nil {
				return flagError("format", err)
			}
			return a.withStore(func(db *storage.DB) error {
				r, err := loadReport(db, args[0])
				if err != nil {
					return err
				}
				name := fmt.Sprintf("诊断报告-%s-%s", r.Doc.Enterprise.Name, r.Doc.ID)
				if err := a.writeOutput(o.out, name, f, func(w io.Writer) error { return r.Write(w, f) }); err != nil {
					return err
				}
				return a.writeEvidence(db, evidenceDir, r.Doc)
			})
		},
	}
	o.addFlags(cmd, "html|md|json|xlsx")
	cmd.Flags().StringVar(&evidenceDir, "evidence", "", "把报告的佐证材料（数据库中保存的原件）写入此文件夹")

	var co reportOptions
	compare := &cobra.Command{
		Use:   "compare BASELINE_ID ACCEPTANCE_ID | CHECKED_ID SPOTCHECK_ID [--format html|md|json|xlsx] [-o FILE]",
		Short: "对比两份报告: 改造前后对比，或服务商报告与抽查的逐项差异",
		Long: `两种对比，按第二份报告的类型区分：
  digilevel report compare 改造前诊断编号 改造后验收编号   改造前后: 逐题逐场景变化、得分与等级变化、成效指标、奖补测算
  digilevel report compare 被抽查报告编号 抽查编号         抽查: 逐题逐场景是否一致（双方答案与分值）、双方得分与等级、
                                                          跨越二级或改变奖补时的醒目提示（两种等级的奖补金额）、
                                                          双方答案与补充数据的矛盾、仅一方附有的佐证材料
盲评的抽查须先定稿才能对比。`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := report.ParseFormat(co.format)
			if err != nil {
				return flagError("format", err)
			}
			return a.withStore(func(db *storage.DB) error {
				second, err := loadReport(db, args[1])
				if err != nil {
					return err
				}
				if second.Doc.Kind == model.KindSpotCheck {
					return a.writeSpotCheck(db, args[0], args[1], co, f)
				}
				first, err := loadReport(db, args[0])
				if err != nil {
					return err
				}
				if first.Doc.Kind == model.KindSpotCheck {
					return model.Errorf(model.ErrInvalid, "%s 是抽查：抽查对比的参数顺序为 被抽查的报告编号 抽查编号", args[0])
				}
				c, err := report.Compare(first, second)
				if err != nil {
					return err
				}
				name := fmt.Sprintf("改造前后对比-%s", second.Doc.Enterprise.Name)
				return a.writeOutput(co.out, name, f, func(w io.Writer) error { return c.Write(w, f) })
			})
		},
	}
	co.addFlags(compare, "html|md|json|xlsx")
	cmd.AddCommand(compare)
	return cmd
}

// writeSpotCheck compares a spot-check with the report it checks, loaded
// as the TUI loads them (storage.SpotCheckPair): a blind spot-check must be
// finalized first. A first ID that is not the linked report is loaded on its
// own, so the comparison can say how the two differ (another enterprise,
// another report).
func (a *app) writeSpotCheck(db *storage.DB, checkedID, spotID string, o reportOptions, f report.Format) error {
	pair, err := db.SpotCheckPair(spotID)
	if err != nil {
		return err
	}
	spot, err := reportFromData(pair.SpotCheck)
	if err != nil {
		return err
	}
	var checked *report.Report
	if pair.Checked.ID == checkedID {
		if checked, err = report.FromBytes(pair.SpotCheck.Catalog, pair.CheckedBytes); err != nil {
			return err
		}
		checked.Revenue = pair.Enterprise.Revenue
	} else if checked, err = loadReport(db, checkedID); err != nil {
		return err
	}
	c, err := report.CompareSpotCheck(checked, spot)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("抽查对比-%s-%s", spot.Doc.Enterprise.Name, spot.Doc.ID)
	return a.writeOutput(o.out, name, f, func(w io.Writer) error { return c.Write(w, f) })
}

// loadReport renders from the stored signed bytes when the assessment is
// frozen, from the current answers when it is a draft; an ID that is not
// this laptop's own is looked up among the pulled reports (refused while a
// blind spot-check seals them). The reward estimate reads the enterprise's
// current revenue, because the year after the rating is only known later.
func loadReport(db *storage.DB, id string) (*report.Report, error) {
	data, err := db.Report(id)
	if errors.Is(err, model.ErrNotFound) {
		return loadPulled(db, id)
	}
	if err != nil {
		return nil, err
	}
	r, err := reportFromData(data)
	if err != nil {
		return nil, err
	}
	if e, err := db.Enterprise(data.Assessment.Enterprise); err == nil {
		r.Revenue = e.Revenue
	}
	return r, nil
}

// reportFromData prepares a local assessment's report: the signed bytes
// once frozen (the store verified them while loading), the current
// document while a draft.
func reportFromData(data storage.ReportData) (*report.Report, error) {
	if data.Assessment.State.Frozen() {
		return report.FromVerified(data.Catalog, data.Document, data.Bytes)
	}
	return report.New(data.Catalog, data.Document)
}

// loadPulled loads a pulled report, for an ID that is not this laptop's.
func loadPulled(db *storage.DB, id string) (*report.Report, error) {
	p, raw, err := db.PulledReport(id)
	if errors.Is(err, model.ErrNotFound) {
		return nil, model.Errorf(model.ErrNotFound, "评测或拉取的报告 %s 不存在（本机评测见 digilevel assessment list，拉取的报告见 digilevel pull list）", id)
	}
	if err != nil {
		return nil, err
	}
	cat, err := db.Catalog(p.CatalogHash)
	if err != nil {
		return nil, err
	}
	r, err := report.FromBytes(cat, raw)
	if err != nil {
		return nil, err
	}
	if e, err := db.Enterprise(p.Enterprise); err == nil {
		r.Revenue = e.Revenue
	}
	return r, nil
}

// writeOutput writes to -o, to stdout for text formats, or for XLSX to a
// file named after the report in the export directory (or the current one).
func (a *app) writeOutput(out, name string, f report.Format, write func(io.Writer) error) error {
	if out == "" && f != report.FormatXLSX {
		return write(a.streams.out)
	}
	if out == "" {
		out = safeFileName(name) + f.Ext()
	}
	if err := report.WriteFile(out, write); err != nil {
		var we *report.WriteError
		if errors.As(err, &we) {
			return inputError(err)
		}
		return err
	}
	abs, _ := filepath.Abs(out)
	fmt.Fprintf(a.streams.out, "已写入 %s\n", abs)
	return nil
}

// writeEvidence writes a report's evidence files, as stored when they were
// attached, into dir ("" writes nothing).
func (a *app) writeEvidence(db *storage.DB, dir string, doc model.ReportDocument) error {
	if dir == "" {
		return nil
	}
	paths, err := report.WriteEvidence(dir, doc.Evidence, db.EvidenceData)
	var we *report.WriteError
	if errors.As(err, &we) {
		return inputError(err)
	}
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(dir)
	fmt.Fprintf(a.streams.out, "已写入 %d 份佐证材料到 %s\n", len(paths), abs)
	return nil
}

// safeFileName replaces characters that file systems or shells trip on.
// Control characters count: an enterprise name imported from an XLSX cell
// can hold a line break, which Windows does not allow in a file name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || strings.ContainsRune(`/\:*?"<>| `, r) {
			return '_'
		}
		return r
	}, s)
}

// checkExportFlags checks --format and --batch of the roll-up exports (the
// laptop's and the platform's).
func checkExportFlags(format string, batch int) error {
	if format != "xlsx" && format != "csv" {
		return flagError("format", fmt.Errorf("应为 xlsx 或 csv，实际 %q", format))
	}
	if batch != 0 && (batch < model.MinBatch || batch > model.MaxBatch) {
		return flagError("batch", fmt.Errorf("应为 %d–%d，实际 %d", model.MinBatch, model.MaxBatch, batch))
	}
	return nil
}

func newExportCmd(a *app) *cobra.Command {
	var format, out string
	var batch int
	cmd := &cobra.Command{
		Use:   "export [--format xlsx|csv] [-o FILE] [--batch N]",
		Short: "导出全部企业汇总: 批次、已完成评测、改造前后等级、得分、奖补测算、状态、服务商",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkExportFlags(format, batch); err != nil {
				return err
			}
			return a.withStore(func(db *storage.DB) error {
				cat, policy := a.catalog(), model.DefaultRewardPolicy()
				var iterErr error
				rows := iter.Seq[report.RollupRow](func(yield func(report.RollupRow) bool) {
					stop := errors.New("stop")
					err := db.EachEnterprise(func(r storage.EnterpriseRecords) error {
						if batch != 0 && r.Enterprise.Batch != batch {
							return nil
						}
						in := report.RollupInput{Enterprise: r.Enterprise, Assessments: r.Headers, Pulled: r.Pulled}
						if !yield(report.NewRollupRow(cat, policy, in)) {
							return stop
						}
						return nil
					})
					if err != nil && err != stop {
						iterErr = err
					}
				})
				write := func(w io.Writer) error {
					var err error
					if format == "csv" {
						err = report.WriteRollupCSV(w, rows)
					} else {
						err = report.WriteRollupXLSX(w, rows)
					}
					if err == nil {
						err = iterErr
					}
					return err
				}
				if out == "" && format == "csv" {
					return write(a.streams.out)
				}
				f := report.FormatXLSX
				if out == "" {
					out = "企业评测汇总" + f.Ext()
				}
				return a.writeOutput(out, "", f, write)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "xlsx", "输出格式: xlsx | csv")
	cmd.Flags().StringVarP(&out, "output", "o", "", "输出文件（csv 不给则写到标准输出）")
	cmd.Flags().IntVar(&batch, "batch", 0, "只导出某一批次")
	return cmd
}
