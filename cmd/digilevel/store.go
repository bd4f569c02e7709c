package main

import (
	"errors"
	"os/user"
	"time"

	"digilevel/model"
	"digilevel/storage"
)

// dbPath resolves the database path: --db, else DIGILEVEL_DB, else the
// user's data directory.
func (a *app) dbPath() (string, error) {
	if a.db != "" {
		return a.db, nil
	}
	return storage.DefaultPath(a.getenv)
}

// openStore opens the database read-write. A lock held by another process
// becomes exit code 3 with the store's Chinese message.
func (a *app) openStore() (*storage.DB, error) {
	return a.openStoreWaiting(0)
}

// openStoreWaiting is openStore that waits up to wait for another process
// to release the database (0: storage.DefaultTimeout). `sync --watch`
// holds it only while it sends, so a command that can wait (backup) gets
// it between two passes.
func (a *app) openStoreWaiting(wait time.Duration) (*storage.DB, error) {
	path, err := a.dbPath()
	if err != nil {
		return nil, err
	}
	db, err := storage.Open(path, storage.Options{Timeout: wait})
	switch {
	case errors.Is(err, storage.ErrLocked):
		return nil, exitCodeError{code: exitLocked, err: err}
	case errors.Is(err, storage.ErrNotDatabase), errors.Is(err, storage.ErrTooNew), errors.Is(err, storage.ErrNoAccess):
		return nil, inputError(err)
	}
	return db, err
}

// withStore runs fn with an open store and closes it.
func (a *app) withStore(fn func(db *storage.DB) error) error {
	db, err := a.openStore()
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db)
}

// change describes who makes a CLI change: the configured assessor, else
// the OS user.
func (a *app) change(db *storage.DB, reason string) model.Change {
	who, _ := db.Setting(storage.SettingAssessorPerson)
	if who == "" {
		who = osUser()
	}
	return model.Change{Who: who, Reason: reason}
}

// osUser is the login name, for the audit log when no assessor is set.
func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
