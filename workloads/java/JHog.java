// JHog replays a JVM in a container whose memory cgroup had the OOM killer disabled and that
// hung at its limit: it allocates byte[] --step at a time (each page written) and keeps them
// all while helper threads wake on timers; the JVM brings its own GC and compiler threads.

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

public final class JHog {
    static final long MIB = 1L << 20;
    static final int PAGE = 4096;
    static final int EXIT_USAGE = 2, EXIT_JAVA_OOM = 3;

    static final String USAGE = String.join("\n",
        "usage: jhog [JVM flags] [--step SIZE] [--every DURATION] [--size SIZE] [--helpers N]",
        "            [--hold DURATION]",
        "",
        "Replays a JVM in a container with the OOM killer disabled that hung at its memory limit:",
        "allocates a byte[] of --step every --every, writing every page and keeping them all,",
        "until --size (0 = no end), while --helpers threads wake on timers (a service's background",
        "work: each reads /proc/self/statm). Prints \"jhog: allocating\" on stdout at the start and",
        "\"jhog: reached N MiB\" once --size is reached, then holds --hold (0 = until SIGTERM);",
        "progress goes to stderr every 32 MiB.",
        "",
        "The JVM sizes its heap from the cgroup limit (1/4 of it by default): give -Xmx above the",
        "limit (e.g. -Xmx1g at a 200M limit), or the Java heap runs out first and jhog exits 3",
        "(java.lang.OutOfMemoryError) instead of reaching the limit. JVM flags: leading -X, -D",
        "and -verbose arguments, or JHOG_JAVA_OPTS (e.g. \"-Xmx1g -Xms1g -XX:+AlwaysPreTouch\";",
        "with AlwaysPreTouch and -Xms above the limit the JVM hangs while starting, before main).",
        "Exit 0 at the end of --hold; 2 bad usage; 3 Java heap exhausted; 143 SIGTERM.",
        "",
        "  --step SIZE        allocated at a time (default 4M)",
        "  --every DURATION   pause between steps (default 1ms; 0 = none)",
        "  --size SIZE        stop allocating at this total (default 0 = never)",
        "  --helpers N        helper threads waking on timers (default 4)",
        "  --hold DURATION    once --size is reached, hold this long (default 0 = until SIGTERM)",
        "  -h, --help         this text",
        "");

    long step = 4 * MIB, everyMs = 1, size = 0, holdMs = 0;
    int helpers = 4;
    final AtomicLong ticks = new AtomicLong();

    public static void main(String[] args) throws InterruptedException {
        JHog h = new JHog();
        h.parse(args);
        h.run();
    }

    static void log(String msg) {
        String stamp = new SimpleDateFormat("yyyy/MM/dd HH:mm:ss").format(new Date());
        System.err.println(stamp + " jhog: " + msg);
    }

    static void say(String msg) {
        System.out.println("jhog: " + msg);
        System.out.flush();
    }

    static void usageError(String msg) {
        System.err.println("jhog: " + msg + " (see jhog --help)");
        System.exit(EXIT_USAGE);
    }

    /** "4M", "1G", "512K", "4096": binary units. */
    static long parseSize(String opt, String v) {
        String s = v.toLowerCase().replaceAll("i?b$", "");
        long mult = 1;
        if (s.endsWith("k")) mult = 1L << 10;
        else if (s.endsWith("m")) mult = 1L << 20;
        else if (s.endsWith("g")) mult = 1L << 30;
        if (mult != 1) s = s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(s);
            if (n >= 0 && n <= Long.MAX_VALUE / mult) return n * mult;
        } catch (NumberFormatException e) {
            // reported below
        }
        usageError("--" + opt + ": \"" + v + "\" is not a size (use 4M, 1G, 4096)");
        return 0;
    }

    /** "1ms", "2s", "1m", bare number = seconds; in milliseconds. */
    static long parseDuration(String opt, String v) {
        String[][] units = { { "ms", "1" }, { "s", "1000" }, { "m", "60000" }, { "", "1000" } };
        for (String[] u : units) {
            if (!v.endsWith(u[0])) continue;
            try {
                long n = Long.parseLong(v.substring(0, v.length() - u[0].length()));
                if (n >= 0) return n * Long.parseLong(u[1]);
            } catch (NumberFormatException e) {
                break;
            }
        }
        usageError("--" + opt + ": \"" + v + "\" is not a duration (use 1ms, 2s, 1m)");
        return 0;
    }

    void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.print(USAGE);
                System.exit(0);
            }
            String[] kv = a.split("=", 2);
            String name = kv[0].replaceFirst("^--?", "");
            if (!a.startsWith("-") || !List.of("step", "every", "size", "helpers", "hold").contains(name))
                usageError(a.startsWith("-") ? "unknown option \"" + a + "\"" : "unexpected argument \"" + a + "\"");
            String v = kv.length == 2 ? kv[1] : (i + 1 < args.length ? args[++i] : null);
            if (v == null) usageError("option " + a + " needs a value");
            set(name, v);
        }
        if (step < PAGE) usageError("--step must be at least 4K");
        if (step > Integer.MAX_VALUE - 64) usageError("--step must be below 2G (one byte[])");
    }

    void set(String name, String v) {
        switch (name) {
            case "step": step = parseSize(name, v); break;
            case "every": everyMs = parseDuration(name, v); break;
            case "size": size = parseSize(name, v); break;
            case "hold": holdMs = parseDuration(name, v); break;
            default:
                try {
                    helpers = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    helpers = -1;
                }
                if (helpers < 0 || helpers > 1024) usageError("--helpers: \"" + v + "\" is not 0..1024");
        }
    }

    void run() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> log("stopping (shutdown hook)")));
        log("Java heap max " + Runtime.getRuntime().maxMemory() / MIB + " MiB, "
            + Runtime.getRuntime().availableProcessors() + " CPUs");
        for (int i = 0; i < helpers; i++) startHelper(10L * (i + 1));
        say("allocating " + step / MIB + " MiB every " + everyMs + "ms with " + helpers + " helpers");
        List<byte[]> kept = new ArrayList<>();
        long total = grow(kept);
        say("reached " + total / MIB + " MiB");
        if (holdMs > 0) Thread.sleep(holdMs);
        else Thread.currentThread().join();
        log("end of hold; helpers woke " + ticks.get() + " times; kept " + kept.size() + " arrays");
    }

    /** Allocates until size (0: never); exits 3 if the Java heap runs out first. */
    long grow(List<byte[]> kept) throws InterruptedException {
        long total = 0, logged = 0;
        while (size == 0 || total < size) {
            int n = (int) (size == 0 ? step : Math.min(step, size - total));
            try {
                byte[] b = new byte[n];
                for (int off = 0; off < n; off += PAGE) b[off] = 1;
                kept.add(b);
            } catch (OutOfMemoryError e) {
                kept.clear();
                log(e + " at " + total / MIB + " MiB: the Java heap (max "
                    + Runtime.getRuntime().maxMemory() / MIB + " MiB) ran out before the memory"
                    + " limit; give -Xmx above the limit");
                System.exit(EXIT_JAVA_OOM);
            }
            total += n;
            if (total - logged >= 32 * MIB) {
                log(total / MIB + " MiB allocated");
                logged = total;
            }
            if (everyMs > 0) Thread.sleep(everyMs);
        }
        return total;
    }

    void startHelper(long periodMs) {
        Thread t = new Thread(() -> {
            for (;;) {
                try {
                    Thread.sleep(periodMs);
                    Files.readAllBytes(Paths.get("/proc/self/statm"));
                } catch (InterruptedException | IOException e) {
                    return;
                }
                ticks.incrementAndGet();
            }
        }, "helper-" + periodMs + "ms");
        t.setDaemon(true);
        t.start();
    }
}
