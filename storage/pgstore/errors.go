package pgstore

import (
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"digilevel/model"
)

// ErrUnavailable is returned by Open when the server cannot be reached or
// refuses the connection.
var ErrUnavailable = errors.New("无法连接 PostgreSQL 平台数据库")

// ErrNotDatabase is returned by Open for a database that holds another
// program's tables.
var ErrNotDatabase = errors.New("不是 digilevel 平台数据库")

// ErrTooNew is returned by Open when the schema was written by a newer
// digilevel.
var ErrTooNew = errors.New("平台数据库由更新版本的 digilevel 创建")

// connectError says in Chinese why a connection failed, without the
// password and without the driver's English text.
func connectError(where string, err error) error {
	var pgErr *pgconn.PgError
	var netErr net.Error
	reason := "请确认数据库服务器正在运行、地址与端口正确"
	switch {
	case errors.As(err, &pgErr) && (pgErr.Code == "28P01" || pgErr.Code == "28000"):
		reason = "用户名或口令错误，或服务器不允许此用户从这里连接（pg_hba.conf）"
	case errors.As(err, &pgErr) && pgErr.Code == "3D000":
		reason = "数据库不存在：请先用 createdb 创建（见 README「在 PostgreSQL 上运行平台」）"
	case errors.As(err, &pgErr) && pgErr.Code == "53300":
		reason = "服务器连接数已满（max_connections）"
	case errors.As(err, &pgErr):
		reason = "服务器拒绝连接（SQLSTATE " + pgErr.Code + "）"
	case errors.As(err, &netErr) && netErr.Timeout():
		reason = "连接超时：请确认地址、端口与防火墙"
	}
	return fmt.Errorf("%w %s: %s", ErrUnavailable, where, reason)
}

func notFound(format string, args ...any) error {
	return model.Errorf(model.ErrNotFound, format, args...)
}
