module autoscan/ksmokelab

go 1.26.8

require autoscan/harness v0.0.0

require github.com/google/gopacket v1.1.19 // indirect

replace autoscan/harness => ../../../../harness
