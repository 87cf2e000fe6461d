// Package wl holds what the Go workloads share: the command line (sizes as people write them,
// --help on stdout, exit 2 for bad usage), human log lines on stderr, machine-readable lines
// on stdout (written at once: os.Stdout is unbuffered), page touching and the wait for a signal.
package wl

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// MiB is a mebibyte; Page the size every allocation is touched at.
const (
	MiB  = 1 << 20
	Page = 4096
)

// Size is a flag.Value for byte counts: "256M", "1.5G", "4096", "64KiB" (binary units).
type Size uint64

var units = map[string]float64{
	"": 1, "b": 1,
	"k": 1 << 10, "kb": 1 << 10, "kib": 1 << 10,
	"m": 1 << 20, "mb": 1 << 20, "mib": 1 << 20,
	"g": 1 << 30, "gb": 1 << 30, "gib": 1 << 30,
	"t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40,
}

func (s *Size) String() string { return FormatSize(uint64(*s)) }

// Set parses a size; the error says what would have been accepted.
func (s *Size) Set(v string) error {
	i := strings.IndexFunc(v, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := v, ""
	if i >= 0 {
		num, unit = v[:i], strings.ToLower(v[i:])
	}
	mult, ok := units[unit]
	f, err := strconv.ParseFloat(num, 64)
	if !ok || err != nil || num == "" {
		return errors.New("not a size (use 256M, 1G, 4096)")
	}
	if f*mult >= 1<<62 {
		return errors.New("too large")
	}
	*s = Size(f * mult)
	return nil
}

// FormatSize gives "256M" for whole MiB, else the byte count: what Set reads back.
func FormatSize(b uint64) string {
	if b != 0 && b%MiB == 0 {
		return strconv.FormatUint(b/MiB, 10) + "M"
	}
	return strconv.FormatUint(b, 10)
}

var logger = log.New(os.Stderr, "", log.LstdFlags|log.Lmsgprefix)

// Parse sets the program's name, parses the command line and exits: 0 after --help (usage on
// stdout), 2 for a bad flag or a stray argument (usage on stderr).
func Parse(name, about string) {
	logger.SetPrefix(name + ": ")
	flag.CommandLine.Init(name, flag.ExitOnError)
	flag.Usage = func() {
		out := flag.CommandLine.Output()
		fmt.Fprintf(out, "usage: %s [flags]\n\n%s\n\nflags (-flag or --flag):\n", name, about)
		flag.PrintDefaults()
	}
	for _, a := range os.Args[1:] {
		if a == "-h" || a == "--help" || a == "-help" {
			flag.CommandLine.SetOutput(os.Stdout)
			flag.Usage()
			os.Exit(0)
		}
		if a == "--" {
			break
		}
	}
	// A bad flag: flag prints what was wrong, then this one line, and exits 2.
	flag.Usage = func() { fmt.Fprintf(os.Stderr, "%s: see %s -h for the flags\n", name, name) }
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "%s: unexpected argument %q (flags only; see -h)\n", name, flag.Arg(0))
		os.Exit(2)
	}
}

// Usagef reports a bad flag value found after parsing and exits 2.
func Usagef(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "%s: %s (see -h)\n", flag.CommandLine.Name(), fmt.Sprintf(format, args...))
	os.Exit(2)
}

// Logf writes a human line on stderr, like Go's log: "2006/01/02 15:04:05 name: message".
func Logf(format string, args ...interface{}) { logger.Printf(format, args...) }

// Fatalf logs and exits 1.
func Fatalf(format string, args ...interface{}) {
	logger.Printf(format, args...)
	os.Exit(1)
}

// Say writes a machine-readable line on stdout, "name: message", in one write.
func Say(format string, args ...interface{}) {
	fmt.Fprintf(os.Stdout, flag.CommandLine.Name()+": "+format+"\n", args...)
}

// Touch writes one byte in every page of b, so the kernel backs (and charges) all of it.
func Touch(b []byte) {
	for i := 0; i < len(b); i += Page {
		b[i] = 1
	}
}

// Stop returns a channel that gets SIGTERM or SIGINT.
func Stop() <-chan os.Signal {
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	return c
}

// Hold waits for d (0 = for ever) or for SIGTERM/SIGINT on stop, and says which ended it.
func Hold(d time.Duration, stop <-chan os.Signal) string {
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case s := <-stop:
		return s.String()
	case <-timeout:
		return "end of hold " + d.String()
	}
}

// Smaps reads Rss and LazyFree (bytes) from /proc/self/smaps_rollup.
func Smaps() (rss, lazyfree uint64, err error) {
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		return 0, 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		v, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "Rss:":
			rss = v * 1024
		case "LazyFree:":
			lazyfree = v * 1024
		}
	}
	return rss, lazyfree, nil
}
