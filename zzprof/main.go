package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func walk(p neo4j.ProfiledPlan, depth int, sum *int64) {
	*sum += p.DbHits()
	fmt.Printf("%s%s rows=%d dbhits=%d\n", strings.Repeat("  ", depth), p.Operator(), p.Records(), p.DbHits())
	for _, c := range p.Children() {
		walk(c, depth+1, sum)
	}
}

func main() {
	ctx := context.Background()
	drv, _ := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"), neo4j.NoAuth())
	defer drv.Close(ctx)
	b, _ := os.ReadFile(os.Args[1])
	for _, q := range strings.Split(string(b), "=====\n") {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		params := map[string]any{"ids": []any{"a1"}, "limit": 11, "id": "a1", "kind": "GOVERNMENT"}
		if strings.Contains(q, "BACKS") {
			params["ids"] = []any{"a2", "a3", "a4", "a5", "a6"}
			params["limit"] = 6
		}
		for i := 0; i < 3; i++ {
			neo4j.ExecuteQuery(ctx, drv, q, params, neo4j.EagerResultTransformer)
		}
		res, err := neo4j.ExecuteQuery(ctx, drv, "PROFILE "+q, params, neo4j.EagerResultTransformer)
		if err != nil {
			fmt.Println(err)
			continue
		}
		var sum int64
		fmt.Println("#####", strings.SplitN(q, "\n", 2)[0])
		walk(res.Summary.Profile(), 0, &sum)
		fmt.Println("TOTAL dbhits", sum)
	}
}
