package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/actorgraph/actorgraph/internal/auth"
)

const keysUsage = `Usage:
  actorgraph keys create --name NAME --role read|write|admin [--keys-file FILE]
      make a new API key, print it once, and add only its SHA-256 to FILE
      (created with mode 0600 if missing)
  actorgraph keys list [--keys-file FILE]
      show each key's name, role, creation time and fingerprint (never keys)
  actorgraph keys revoke --name NAME [--keys-file FILE]
      remove the key named NAME from FILE; a running server stops accepting
      it when told to reload its keys: kill -HUP <pid>

--keys-file defaults to $ACTORGRAPH_KEYS_FILE. Start the server with the same
--keys-file; reads then need a key of any role, mutations a write key.
Revocation is per server process: send SIGHUP to every server using FILE.
`

// keysCmd runs "actorgraph keys create|list".
func keysCmd(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: missing subcommand\n\n" + keysUsage)
	}
	switch args[0] {
	case "create":
		return keysCreate(args[1:], stdout)
	case "list":
		return keysList(args[1:], stdout)
	case "revoke":
		return keysRevoke(args[1:], stdout)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, keysUsage)
		return nil
	}
	return fmt.Errorf("keys: unknown subcommand %q\n\n%s", args[0], keysUsage)
}

func keysFileFlag(fs *flag.FlagSet) *string {
	return fs.String("keys-file", env(auth.EnvKeysFile, ""), "keys file (env "+auth.EnvKeysFile+")")
}

func keysCreate(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	name := fs.String("name", "", "the key's name, shown in logs and as the reviewer (letters, digits, . _ - @)")
	role := fs.String("role", "", "read, write or admin")
	file := keysFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys create: unexpected argument %q", fs.Arg(0))
	}
	if *file == "" {
		return errors.New("keys create: --keys-file (or " + auth.EnvKeysFile + ") is required")
	}
	if *name == "" {
		return errors.New("keys create: --name is required")
	}
	if *role == "" {
		return errors.New("keys create: --role is required (read, write or admin)")
	}
	r, err := auth.ParseRole(*role)
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	key, info, err := auth.CreateKey(*file, *name, r, time.Now())
	if err != nil {
		return fmt.Errorf("keys create: %w", err)
	}
	fmt.Fprintln(stdout, key)
	fmt.Fprintf(stdout, "# key %q (%s, fingerprint %s) added to %s as a hash; this is the only time the key is shown: store it now and send it as \"Authorization: Bearer <key>\"\n",
		info.Name, info.Role, info.Fingerprint, *file)
	return nil
}

func keysList(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keys list", flag.ContinueOnError)
	file := keysFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys list: unexpected argument %q", fs.Arg(0))
	}
	if *file == "" {
		return errors.New("keys list: --keys-file (or " + auth.EnvKeysFile + ") is required")
	}
	kr, err := auth.Load(*file, "")
	if err != nil {
		return fmt.Errorf("keys list: %w", err)
	}
	if kr.Empty() {
		fmt.Fprintf(stdout, "no keys in %s\n", *file)
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tFINGERPRINT")
	for _, k := range kr.Keys() {
		created := "-"
		if !k.Created.IsZero() {
			created = k.Created.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.Name, k.Role, created, k.Fingerprint)
	}
	return tw.Flush()
}

func keysRevoke(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("keys revoke", flag.ContinueOnError)
	name := fs.String("name", "", "the name of the key to revoke")
	file := keysFileFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("keys revoke: unexpected argument %q", fs.Arg(0))
	}
	if *file == "" {
		return errors.New("keys revoke: --keys-file (or " + auth.EnvKeysFile + ") is required")
	}
	if *name == "" {
		return errors.New("keys revoke: --name is required")
	}
	info, err := auth.RevokeKey(*file, *name)
	if err != nil {
		return fmt.Errorf("keys revoke: %w", err)
	}
	fmt.Fprintf(stdout, "revoked key %q (%s, fingerprint %s) from %s; send SIGHUP to each running server (kill -HUP <pid>) so it stops accepting it\n",
		info.Name, info.Role, info.Fingerprint, *file)
	return nil
}
