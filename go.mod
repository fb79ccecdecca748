module github.com/actorgraph/actorgraph

go 1.26.8

require (
	github.com/neo4j/neo4j-go-driver/v5 v5.28.4 // indirect
	go.etcd.io/bbolt v1.4.3 // indirect
	golang.org/x/sys v0.29.0 // indirect
)
