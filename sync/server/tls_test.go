package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"digilevel/storage/platform"
	"digilevel/storage/serverstore"
	"digilevel/sync/client"
	"digilevel/sync/server"
)

// writeCert makes a self-signed certificate for 127.0.0.1 and returns the
// PEM file paths and a pool that trusts it.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "区县平台测试"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, _ := x509.MarshalECPrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, pool := writeCert(t, dir)
	st, err := serverstore.Open(filepath.Join(dir, "server.db"), serverstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret, tok, _ := server.NewToken(provider, platform.RoleProvider, time.Time{}, time.Now())
	st.AddToken(tok)
	srv, _ := server.New(st, server.Options{})
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, server.ServeOptions{TLSCert: certFile, TLSKey: keyFile}) }()

	l := newLaptop(t, 4)
	hc := client.NewHTTPClient(5 * time.Second)
	hc.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	c, err := client.New(l.db, client.Options{Server: "https://" + ln.Addr().String(), Token: secret, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.SendPending(context.Background())
	if err != nil || res.Sent != 3 || !res.Done() {
		t.Errorf("over TLS: %+v %v", res, err)
	}
	// Plain HTTP to the TLS port is answered with 400 by net/http: the
	// client pauses (wrong URL), it does not retry forever.
	l2 := newLaptop(t, 5)
	c2, _ := client.New(l2.db, client.Options{Server: "http://" + ln.Addr().String(), Token: secret})
	if res, err := c2.SendPending(context.Background()); err != nil || !res.Paused {
		t.Errorf("http to https port: %+v %v", res, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}
