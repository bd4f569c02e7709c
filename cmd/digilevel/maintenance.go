package main

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"digilevel/model"
	"digilevel/storage"
)

// backupWait is how long `backup` waits for another process to release the
// database.
const backupWait = 30 * time.Second

func newBackupCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "backup FILE",
		Short: "把数据库一致地复制到 FILE（可在使用中进行）",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			db, err := a.openStore()
			if errors.Is(err, storage.ErrLocked) {
				// Another process may hold the database only for a moment
				// (a command, a pass of sync --watch): wait for it.
				fmt.Fprintf(a.streams.err, "数据库正被另一个 digilevel 进程使用，等待它释放（最长 %d 秒）…\n", int(backupWait/time.Second))
				db, err = a.openStoreWaiting(backupWait)
			}
			if errors.Is(err, storage.ErrLocked) {
				return exitCodeError{code: exitLocked, err: fmt.Errorf("%w；终端界面打开期间数据库一直被占用，请退出终端界面后再备份", err)}
			}
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Backup(args[0]); err != nil {
				return inputError(err)
			}
			fmt.Fprintf(a.streams.out, "已备份到 %s\n", args[0])
			return nil
		},
	}
}

func newCheckCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "检查数据库: 文件结构与数据一致性（有问题时退出码 4）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				problems, err := db.Check()
				if err != nil {
					return err
				}
				if len(problems) > 0 {
					return exitCodeError{code: exitCheck, err: fmt.Errorf("数据库 %s 有 %d 个问题:\n  %s", db.Path(), len(problems), strings.Join(problems, "\n  "))}
				}
				fmt.Fprintf(a.streams.out, "数据库 %s 检查通过\n", db.Path())
				return nil
			})
		},
	}
}

// configKeys maps the flags of `config` to settings.
var configKeys = []struct{ flag, setting, help string }{
	{"assessor-org", storage.SettingAssessorOrg, "评测机构（服务商）名称"},
	{"assessor", storage.SettingAssessorPerson, "评测人姓名"},
	{"export-dir", storage.SettingExportDir, "报告默认导出目录"},
	{"spotcheck-blind", storage.SettingSpotCheckBlind, "抽查盲评（on 或 off，默认 on）"},
	{"evidence-limit", storage.SettingEvidenceLimit, "佐证材料上限（MB，1–64）"},
}

// checkConfig validates the values of `config` before anything is stored.
func checkConfig(set map[string]string) error {
	as := model.Assessor{Org: set[storage.SettingAssessorOrg], Person: set[storage.SettingAssessorPerson]}
	if err := model.CheckAssessor(as); err != nil {
		return err
	}
	if err := model.CheckText(set[storage.SettingExportDir], model.TextRule{Label: "导出目录", Max: 4096}); err != nil {
		return err
	}
	if v, ok := set[storage.SettingEvidenceLimit]; ok && v != "" {
		n, err := storage.ParseEvidenceLimit(v)
		if err != nil {
			return err
		}
		set[storage.SettingEvidenceLimit] = strconv.FormatInt(n>>20, 10)
	}
	return nil
}

func newConfigCmd(a *app) *cobra.Command {
	values := make([]string, len(configKeys))
	cmd := &cobra.Command{
		Use:   "config [--assessor-org ORG] [--assessor NAME] [--export-dir DIR] [--spotcheck-blind on|off] [--evidence-limit MB]",
		Short: "查看或修改本机设置（评测机构、评测人、导出目录、抽查盲评、佐证材料上限）",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				set := map[string]string{}
				for i, k := range configKeys {
					if cmd.Flags().Changed(k.flag) {
						set[k.setting] = strings.TrimSpace(values[i])
					}
				}
				if v, ok := set[storage.SettingSpotCheckBlind]; ok {
					switch v {
					case "on":
						set[storage.SettingSpotCheckBlind] = "" // the default
					case "off":
					default:
						return flagError("spotcheck-blind", fmt.Errorf("应为 on 或 off，实际 %q", v))
					}
				}
				if err := checkConfig(set); err != nil {
					return err
				}
				if len(set) > 0 {
					if err := db.SetSettings(set); err != nil {
						return err
					}
				}
				var lines []string
				for _, k := range configKeys {
					v, _ := db.Setting(k.setting)
					if k.setting == storage.SettingSpotCheckBlind && v == "" {
						v = "on"
					}
					lines = append(lines, fmt.Sprintf("%s: %s", k.help, v))
				}
				sort.Strings(lines)
				_, err := fmt.Fprintln(a.streams.out, strings.Join(lines, "\n"))
				return err
			})
		},
	}
	for i, k := range configKeys {
		cmd.Flags().StringVar(&values[i], k.flag, "", k.help)
	}
	return cmd
}

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "创建示例企业（明确标注「示例」）及一份答了一半的评测，打印评测编号",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(func(db *storage.DB) error {
				as, err := db.CreateDemo(a.change(db, "示例数据"))
				if err != nil {
					return err
				}
				fmt.Fprintln(a.streams.out, as.ID)
				return nil
			})
		},
	}
}
