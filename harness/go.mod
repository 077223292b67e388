module autoscan/harness

go 1.22

require (
	github.com/google/gopacket v1.1.19
	github.com/stretchr/testify v1.12.1
	golang.org/x/net v0.0.0-20190620200207-3b0461eec859
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.0.0-20190412213103-97732733099d // indirect
)
