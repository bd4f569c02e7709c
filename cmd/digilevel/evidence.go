package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"digilevel/attach"
	"digilevel/model"
	"digilevel/storage"
)

func newEvidenceCmd(a *app) *cobra.Command {
	var remove, reason string
	cmd := &cobra.Command{
		Use:   "evidence ID QID|SCID PATH... | evidence ID QID|SCID --remove SHA256",
		Short: "为题目或场景附上佐证材料（文件内容存入数据库，按 SHA-256 去重），或用 --remove 从草稿中移除",
		Long: "附上佐证材料: 文件内容复制进数据库，之后移动或修改原文件不影响报告、数据包和同步。\n" +
			"只接受普通文件（不接受管道、设备、文件夹），大小不超过设置中的上限（digilevel config --evidence-limit，最高 64 MB）。\n" +
			"路径可以带引号、反斜杠转义或写成 file:// 地址（从文件管理器拖进终端即可）。\n" +
			"--remove 给出佐证材料的校验值（assessment show 中的 sha256，至少前 6 位），从草稿中移除。",
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, ref := args[0], strings.ToUpper(args[1])
			if remove != "" {
				if len(args) > 2 {
					return usagef("参数错误: --remove 与文件路径不能同时给出")
				}
				return a.withStore(func(db *storage.DB) error {
					out, err := db.RemoveEvidence(id, ref, remove, a.change(db, reason))
					if err != nil {
						return err
					}
					fmt.Fprintf(a.streams.out, "已移除，%s 还有 %d 份佐证材料\n", ref, len(out.Evidence[ref]))
					return nil
				})
			}
			if len(args) < 3 {
				return usagef("参数错误: 请给出文件路径（用法: %s）", cmd.UseLine())
			}
			// Every file is read before the database is opened: a FIFO, a
			// device or an oversized file is refused without holding the
			// lock (the configured, lower limit is checked when storing).
			var files []attach.File
			for _, typed := range args[2:] {
				for _, p := range attach.Paths(typed, attach.Exists) {
					f, err := attach.Read(p, model.MaxEvidenceSize)
					if err != nil {
						return err
					}
					files = append(files, f)
				}
			}
			return a.withStore(func(db *storage.DB) error {
				c := a.change(db, reason)
				for _, f := range files {
					if _, err := db.AddEvidence(id, ref, storage.FromAttach(f), c); err != nil {
						return err
					}
					fmt.Fprintf(a.streams.out, "%s  %s  %s\n", f.SHA256, attach.Size(f.Size), f.Path)
				}
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&remove, "remove", "", "移除校验值（sha256，至少前 6 位）为此值的佐证材料")
	cmd.Flags().StringVar(&reason, "reason", "", "修改原因（记入审计日志）")
	return cmd
}
