// Command actorgraph serves the knowledge graph of political actors over
// GraphQL. main only wires: flags and environment → a store → the HTTP server.
//
//	actorgraph serve [--listen 127.0.0.1:8080] [--data-dir ./actorgraph-data]
//	NEO4J_URI=bolt://127.0.0.1:7687 actorgraph serve
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/actorgraph/actorgraph/internal/auth"
	"github.com/actorgraph/actorgraph/internal/feed"
	"github.com/actorgraph/actorgraph/internal/seed"
	"github.com/actorgraph/actorgraph/internal/server"
	"github.com/actorgraph/actorgraph/internal/store"
	"github.com/actorgraph/actorgraph/internal/store/boltstore"
	"github.com/actorgraph/actorgraph/internal/store/neo4jstore"
)

const usage = `actorgraph: a knowledge graph of political actors, served over GraphQL.

Usage:
  actorgraph serve [flags]   serve GraphQL at /graphql and the playground at /
  actorgraph ingest --title T --publisher P --published YYYY-MM-DD [--url U] FILE
                             code an article with the event coder; its relations land PROPOSED
  actorgraph import --format gdelt|gdelt1|gdelt2|icews|json|csv FILE…
                             bulk-import event data (or stdin) into the store
  actorgraph export --format networkx|cytoscape|graphml|gexf|csv-nodes|csv-edges|json [filters] [-o FILE]
                             write the graph (or an actor's neighbourhood) for Gephi, networkx, pandas …
  actorgraph keys create|list|revoke  manage API keys (run "actorgraph keys help")

Run "actorgraph serve -h" for the flags. Every flag also reads an environment variable.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	// Packages that log through slog.Default (export's warnings) and the
	// standard log package log JSON like the rest.
	slog.SetDefault(log)
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(log, os.Args[2:])
	case "keys":
		err = keysCmd(os.Args[2:], os.Stdout)
	case "ingest":
		err = ingestCmd(context.Background(), log, os.Args[2:], os.Stdout)
	case "export":
		err = exportCmd(context.Background(), log, os.Args[2:], os.Stdout)
	case "import":
		err = importCmd(context.Background(), log, os.Args[2:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "actorgraph: unknown command %q\n\n%s", os.Args[1], usage)
		os.Exit(2)
	}
	// -h / --help printed the flags: asking for help is not a failure.
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		log.Error("actorgraph failed", "err", err)
		os.Exit(1)
	}
}

// env returns the environment variable's value, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// envDuration returns the environment variable as a duration, or def.
func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil {
		return d
	}
	return def
}

// storeFlags are the flags that choose and open a store.
type storeFlags struct {
	dataDir                                 string
	neo4jURI, neo4jUser, neo4jPass, neo4jDB string
	neo4jTxTimeout, neo4jConnectTimeout     time.Duration
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", env("ACTORGRAPH_DATA_DIR", "actorgraph-data"), "embedded store directory (env ACTORGRAPH_DATA_DIR)")
	fs.StringVar(&f.neo4jURI, "neo4j-uri", env("NEO4J_URI", ""), "use Neo4j at this bolt:// or neo4j:// URI instead of the embedded store (env NEO4J_URI)")
	fs.StringVar(&f.neo4jUser, "neo4j-user", env("NEO4J_USER", ""), "Neo4j user; empty for no auth (env NEO4J_USER)")
	fs.StringVar(&f.neo4jDB, "neo4j-database", env("NEO4J_DATABASE", ""), "Neo4j database; empty for the default (env NEO4J_DATABASE)")
	fs.DurationVar(&f.neo4jTxTimeout, "neo4j-tx-timeout", 30*time.Second, "Neo4j transaction timeout (a request's own deadline still cuts its transactions)")
	fs.DurationVar(&f.neo4jConnectTimeout, "neo4j-connect-timeout", 60*time.Second, "how long to wait for Neo4j at start")
	// The password comes from the environment only, so it never shows in ps.
	f.neo4jPass = os.Getenv("NEO4J_PASSWORD")
}

func (f *storeFlags) open(ctx context.Context, log *slog.Logger) (store.Store, error) {
	if f.neo4jURI != "" {
		log.Info("opening Neo4j store", "uri", f.neo4jURI)
		return neo4jstore.Open(ctx, neo4jstore.Options{
			URI: f.neo4jURI, User: f.neo4jUser, Password: f.neo4jPass, Database: f.neo4jDB,
			TxTimeout: f.neo4jTxTimeout, ConnectTimeout: f.neo4jConnectTimeout,
		})
	}
	// The directory is relative to where the binary starts: log it absolute,
	// so a start elsewhere that makes a second, empty store is visible.
	dir, err := filepath.Abs(f.dataDir)
	if err != nil {
		return nil, err
	}
	log.Info("opening embedded store", "dir", dir)
	return boltstore.Open(dir, boltstore.Options{})
}

func serve(log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", env("ACTORGRAPH_LISTEN", "127.0.0.1:8080"), "listen address (env ACTORGRAPH_LISTEN)")
	noSeed := fs.Bool("no-seed", false, "do not load the seed article graph into an empty store")
	keysFile := fs.String("keys-file", env(auth.EnvKeysFile, ""), "API keys file made by 'actorgraph keys create' (env "+auth.EnvKeysFile+"); keys also come from env "+auth.EnvAPIKeys)
	allowAnon := fs.Bool("allow-anonymous-writes", false, "with no keys configured, let anyone write (local use only)")
	feedInterval := fs.Duration("feed-interval", envDuration("ACTORGRAPH_FEED_INTERVAL", feed.DefaultInterval), "how often this server polls the change log for subscribers (env ACTORGRAPH_FEED_INTERVAL)")
	retainAge := fs.Duration("changes-max-age", envDuration("ACTORGRAPH_CHANGES_MAX_AGE", store.DefaultRetention.MaxAge), "keep change log entries this long; 0: no age limit (env ACTORGRAPH_CHANGES_MAX_AGE)")
	retainN := fs.Int64("changes-max-entries", store.DefaultRetention.MaxEntries, "keep at most this many change log entries; 0: no count limit")
	accessLog := fs.Bool("access-log", false, "log one line per HTTP request (method, path, status, duration)")
	pprofAddr := fs.String("pprof-listen", "", "also serve Go's profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060; default off (profiling only, never expose it)")
	corsOrigins := fs.String("cors-origins", env("ACTORGRAPH_CORS_ORIGINS", ""), "comma-separated browser origins allowed to call the API, e.g. http://localhost:5173 (env ACTORGRAPH_CORS_ORIGINS; default none)")
	var sf storeFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}

	origins, err := server.ParseCORSOrigins(*corsOrigins)
	if err != nil {
		return err
	}
	keys, err := auth.Load(*keysFile, os.Getenv(auth.EnvAPIKeys))
	if err != nil {
		return err
	}
	policy := auth.Policy{Keys: keys, AllowAnonymousWrites: *allowAnon}
	if policy.Insecure() {
		log.Warn(policy.Describe())
	} else {
		log.Info(policy.Describe())
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	reloadKeysOnHUP(ctx, log, keys, *keysFile)

	st, err := sf.open(ctx, log)
	if err != nil {
		return err
	}
	defer st.Close(context.Background())
	if !*noSeed {
		loaded, err := seed.EnsureLoaded(ctx, st)
		if err != nil {
			return err
		}
		if loaded {
			log.Info("loaded the seed article graph into the empty store")
		}
	}

	// Slow-to-plan statements are planned before anyone asks (Neo4j).
	if w, ok := st.(interface{ WarmUp(context.Context) error }); ok {
		go func() {
			start := time.Now()
			if err := w.WarmUp(ctx); err != nil {
				log.Warn("warm-up of the query plans failed; the first analyst queries will plan them", "err", err)
				return
			}
			log.Info("query plans warmed up", "took", time.Since(start).Round(time.Millisecond).String())
		}()
	}

	// Every server tails the change log for its subscribers (and compacts
	// it to the retention: any server may, the result is the same).
	fd := feed.New(st, feed.Options{Interval: *feedInterval, Logger: log,
		Retention: store.Retention{MaxAge: *retainAge, MaxEntries: *retainN}})
	if err := fd.Start(ctx); err != nil {
		return err
	}
	srv := server.NewHTTPServer(*listen, server.New(server.Config{Store: st, Logger: log, Auth: policy, CORSOrigins: origins, Feed: fd, AccessLog: *accessLog}), log)
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	if *pprofAddr != "" {
		go servePprof(log, *pprofAddr)
	}
	log.Info("serving", "playground", "http://"+*listen+"/", "graphql", "http://"+*listen+"/graphql")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// reloadKeysOnHUP reloads the keys file and ACTORGRAPH_API_KEYS into keys on
// every SIGHUP (without it, SIGHUP would end the process), so a revoked key
// stops working without a restart. A file that fails to load keeps the keys
// in force and logs why; the reload is per process.
func reloadKeysOnHUP(ctx context.Context, log *slog.Logger, keys *auth.Keyring, file string) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		defer signal.Stop(hup)
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
			}
			fresh, err := auth.Load(file, os.Getenv(auth.EnvAPIKeys))
			if err != nil {
				log.Error("keys reload failed on SIGHUP; the previous keys stay in force", "err", err)
				continue
			}
			keys.Replace(fresh)
			log.Info("keys reloaded on SIGHUP", "keys", keys)
		}
	}()
}

// servePprof serves the runtime profiles on their own listener, so the API's
// handler never exposes them (see bench/peer: CPU per request).
func servePprof(log *slog.Logger, addr string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("pprof", "addr", addr)
	if err := http.ListenAndServe(addr, mux); err != nil {
		log.Error("pprof listener", "err", err)
	}
}
