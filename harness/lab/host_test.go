package lab

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

func TestParseInsmodLines(t *testing.T) {
	in := "insmod /m/a.ko \ninsmod /m/b.ko\nbuiltin crc32c\ninsmod /m/a.ko \ninsmod /m/c.ko opt=1\n"
	got := parseInsmodLines(in)
	want := []string{"/m/a.ko", "/m/b.ko", "/m/c.ko"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestParseLdd(t *testing.T) {
	in := "\tlinux-vdso.so.1 (0x00007ffd)\n" +
		"\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n" +
		"\t/lib64/ld-linux-x86-64.so.2 (0x00007f)\n" +
		"\tlibmissing.so => not found\n"
	got := parseLdd(in)
	want := []string{"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
}

func TestPruneCacheKeepsNewest(t *testing.T) {
	dir := t.TempDir()
	base := time.Now().Add(-time.Hour)
	for i, n := range []string{"a", "b", "c", "d"} {
		p := filepath.Join(dir, "initrd-"+n+".cpio")
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		when := base.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(p, when, when); err != nil {
			t.Fatal(err)
		}
	}
	pruneCache(dir, 2)
	left, _ := filepath.Glob(filepath.Join(dir, "initrd-*.cpio"))
	want := []string{filepath.Join(dir, "initrd-c.cpio"), filepath.Join(dir, "initrd-d.cpio")}
	if !reflect.DeepEqual(left, want) {
		t.Fatalf("left %v want %v", left, want)
	}
}
