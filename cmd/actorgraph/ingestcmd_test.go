package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// A directory stands for its *.txt articles, sorted; files are kept as given.
func TestArticleFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.txt", "a.txt", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("Headline\n\nText."), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	extra := filepath.Join(t.TempDir(), "c.txt")
	if err := os.WriteFile(extra, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := articleFiles([]string{dir, extra})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.txt"), filepath.Join(dir, "b.txt"), extra}
	if !slices.Equal(got, want) {
		t.Errorf("articleFiles = %v, want %v", got, want)
	}
	if _, err := articleFiles([]string{t.TempDir()}); err == nil {
		t.Error("an empty directory was accepted")
	}
	if got, _ := articleFiles(nil); !slices.Equal(got, []string{"-"}) {
		t.Errorf("no argument = %v, want stdin", got)
	}
	if firstLine("\n  Headline here \nbody") != "Headline here" {
		t.Error("firstLine")
	}
}
