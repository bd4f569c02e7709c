package storage

import (
	bolt "go.etcd.io/bbolt"

	"digilevel/indicators"
)

// Catalog returns the catalog with a content hash: an embedded edition or
// one stored when an assessment started using it.
func (db *DB) Catalog(hash string) (*indicators.Catalog, error) {
	db.mu.Lock()
	c, ok := db.catalogs[hash]
	db.mu.Unlock()
	if ok {
		return c, nil
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		c, err = catalogInTx(tx, hash)
		return err
	})
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	db.catalogs[hash] = c
	db.mu.Unlock()
	return c, nil
}

// catalogInTx resolves a hash from the embedded editions, then the catalogs bucket.
func catalogInTx(tx *bolt.Tx, hash string) (*indicators.Catalog, error) {
	for _, ed := range indicators.Editions() {
		if c, err := indicators.Embedded(ed); err == nil && c.Hash() == hash {
			return c, nil
		}
	}
	data := tx.Bucket(bucketCatalogs).Get([]byte(hash))
	if data == nil {
		return nil, notFound("指标目录 %s 不在数据库中", hash)
	}
	return indicators.Parse("数据库中的目录 "+hash[:12], data)
}

// putCatalog stores a catalog's canonical form once.
func putCatalog(tx *bolt.Tx, c *indicators.Catalog) error {
	b := tx.Bucket(bucketCatalogs)
	if b.Get([]byte(c.Hash())) != nil {
		return nil
	}
	data, err := c.Canonical()
	if err != nil {
		return err
	}
	return b.Put([]byte(c.Hash()), data)
}
