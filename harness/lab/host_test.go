package lab

import (
	"reflect"
	"testing"
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
