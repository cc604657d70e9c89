// Command mkzip writes a zip archive of the given files, so that the
// release script needs no zip program (CI machines start with Go only).
// Entries are stored under the archive's top directory with a fixed time,
// so that the same files give the same archive.
//
//	go run ./scripts/mkzip OUT.zip TOPDIR FILE...
package main

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"time"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: mkzip OUT.zip TOPDIR FILE...")
		os.Exit(2)
	}
	if err := write(os.Args[1], os.Args[2], os.Args[3:]); err != nil {
		fmt.Fprintln(os.Stderr, "mkzip:", err)
		os.Exit(1)
	}
}

func write(out, top string, files []string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	mtime := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range files {
		if err := add(zw, path.Join(top, filepath.Base(name)), name, mtime); err != nil {
			return err
		}
	}
	return zw.Close()
}

func add(zw *zip.Writer, entry, name string, mtime time.Time) error {
	src, err := os.Open(name)
	if err != nil {
		return err
	}
	defer src.Close()
	st, err := src.Stat()
	if err != nil {
		return err
	}
	h, err := zip.FileInfoHeader(st)
	if err != nil {
		return err
	}
	h.Name, h.Method, h.Modified = entry, zip.Deflate, mtime
	w, err := zw.CreateHeader(h)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}
