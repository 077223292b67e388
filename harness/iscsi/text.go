package iscsi

import (
	"bytes"
	"strings"
)

// KeyValue is one key=value pair of a Login or Text data segment.
type KeyValue struct{ Key, Value string }

// ParseText splits a Login/Text data segment into its NUL-terminated
// key=value pairs, in order. Malformed entries (no '=') are skipped; a
// trailing pair without its NUL is kept (the next PDU may continue it, which
// the caller handles by concatenating data of C-bit PDUs first).
func ParseText(data []byte) []KeyValue {
	var kv []KeyValue
	for len(data) > 0 {
		i := bytes.IndexByte(data, 0)
		item := data
		if i >= 0 {
			item, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		k, v, ok := strings.Cut(string(item), "=")
		if ok && k != "" {
			kv = append(kv, KeyValue{k, v})
		}
	}
	return kv
}

// EncodeText builds a data segment from key=value pairs.
func EncodeText(kv ...KeyValue) []byte {
	var b bytes.Buffer
	for _, p := range kv {
		b.WriteString(p.Key)
		b.WriteByte('=')
		b.WriteString(p.Value)
		b.WriteByte(0)
	}
	return b.Bytes()
}

// Lookup returns the last value given for key.
func Lookup(kv []KeyValue, key string) (string, bool) {
	for i := len(kv) - 1; i >= 0; i-- {
		if kv[i].Key == key {
			return kv[i].Value, true
		}
	}
	return "", false
}
