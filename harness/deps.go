//go:build tools

// Package harness pins the module's third-party dependencies.
package harness

import (
	_ "github.com/google/gopacket"
	_ "github.com/stretchr/testify/assert"
)
