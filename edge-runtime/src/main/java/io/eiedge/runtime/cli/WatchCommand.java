package io.eiedge.runtime.cli;

import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.mqtt.Topics;
import io.eiedge.runtime.watch.DeviceSummary;
import io.eiedge.runtime.watch.Problem;
import io.eiedge.runtime.watch.Verdict;
import io.eiedge.runtime.watch.WatchClient;
import io.eiedge.runtime.watch.WatchEvent;
import io.eiedge.runtime.watch.WatchReport;
import io.eiedge.runtime.watch.Watcher;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eiedge watch --broker URL --root FILE [--check] [--json]}: the aggregator's view. Subscribes
 * to the broker, verifies every reading and header with nothing but the registrar root (and CRL),
 * and prints a live table, or one JSON / CSV line per item. Results go to stdout, diagnostics to
 * stderr.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Subscribe to a broker and verify every reading and header against the registrar root:",
                "certificate chain and CRL, signatures, seq gaps and duplicates, header links, Merkle roots.",
                "Prints a live table, or one line per item with --json / --csv.",
                "",
                "Exit status: 0 clean (or not --check), 1 --check found forged, invalid or missing data",
                "(or received no reading), 2 usage error, 3 broker unreachable, 4 unreadable root/CRL/key file."})
public final class WatchCommand implements Callable<Integer> {

    static final int CHECK_FAILED = 1;
    static final int BROKER = 3;
    static final int BAD_FILE = 4;

    @Spec
    CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URL",
            description = "broker, ssl://HOST:PORT (or tcp://HOST:PORT with --insecure)")
    URI broker;

    @Option(names = "--root", required = true, paramLabel = "FILE",
            description = "the registrar's root certificate (PEM or DER), the only trust anchor")
    Path root;

    @Option(names = "--check", description = "verdict at the end; exit 1 on any forged, invalid or missing data")
    boolean check;

    @Option(names = "--json", description = "one JSON object per line for every item, problem and the verdict")
    boolean json;

    @Option(names = "--csv", description = "one CSV line per item (" + WatchReport.CSV_HEADER + ")")
    boolean csv;

    @Option(names = "--seconds", paramLabel = "N", description = "stop after N seconds and print the verdict (default: until Ctrl-C)")
    Integer seconds;

    @Option(names = "--crl", paramLabel = "FILE", description = "the registrar's CRL (PEM or DER); newer ones on the crl topics replace it")
    Path crlFile;

    @Option(names = "--cert", paramLabel = "FILE", description = "client certificate (PEM) for brokers that require one")
    Path certFile;

    @Option(names = "--key", paramLabel = "FILE", description = "the client certificate's key (unencrypted PKCS#8 PEM)")
    Path keyFile;

    @Option(names = "--insecure", description = "allow a plain tcp:// broker (no TLS); the data is still verified")
    boolean insecure;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = Topics.DEFAULT_PREFIX,
            description = "topic prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--refresh", paramLabel = "S", defaultValue = "5", description = "seconds between table refreshes (default: ${DEFAULT-VALUE})")
    int refresh;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return watch(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int watch(PrintWriter out, PrintWriter err) {
        if (json && csv) return usage(err, "--json and --csv exclude each other");
        if ((certFile == null) != (keyFile == null)) return usage(err, "--cert and --key go together");
        if (seconds != null && seconds <= 0) return usage(err, "--seconds must be a positive number, not " + seconds);
        if (refresh <= 0) return usage(err, "--refresh must be a positive number, not " + refresh);
        if (prefix.isEmpty() || prefix.endsWith("/") || prefix.contains("#") || prefix.contains("+")) {
            return usage(err, "--prefix '" + prefix + "' must be a topic without wildcards or trailing '/'");
        }
        X509Certificate rootCert;
        Optional<X509CRL> crl;
        Optional<TlsIdentity> identity = Optional.empty();
        try {
            rootCert = readCertificate(root);
            crl = crlFile == null ? Optional.empty() : Optional.of(readCrl(crlFile));
            if (certFile != null) identity = Optional.of(TlsIdentity.fromPemFiles(keyFile, certFile, root));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            err.println("eiedge watch: " + e.getMessage());
            return BAD_FILE;
        }

        Consumer<WatchEvent> lines = json ? e -> line(out, WatchReport.json(e))
                : csv ? e -> line(out, WatchReport.csv(e)) : e -> { };
        if (csv) line(out, WatchReport.CSV_HEADER);
        Watcher watcher;
        try {
            watcher = new Watcher(rootCert, crl, prefix, InstantSource.system(), lines, Watcher.DEFAULT_MAX_HELD);
        } catch (VerificationException e) {
            err.println("eiedge watch: " + crlFile + ": " + e.getMessage());
            return BAD_FILE;
        }
        WatchClient client;
        try {
            client = new WatchClient(broker, prefix, rootCert, identity, insecure, watcher::accept);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("eiedge watch: " + e.getMessage());
            return BROKER;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        int[] status = {0};
        // Ctrl-C: stop the loop, let it print the verdict, and keep its exit status for --check
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.flush();
            if (check) Runtime.getRuntime().halt(status[0]);
        }, "watch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (client) {
            client.start();
            err.println("eiedge watch: subscribed to " + prefix + "/# on " + broker
                    + (seconds != null ? " for " + seconds + " s" : " (Ctrl-C to stop)"));
            err.flush();
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) break;
                if (stop.await(Math.min(left, TimeUnit.SECONDS.toNanos(refresh)), TimeUnit.NANOSECONDS)) break;
                if (!json && !csv && System.nanoTime() < end) liveTable(out, watcher);
            }
        } catch (IOException e) {
            err.println("eiedge watch: " + e.getMessage());
            status[0] = BROKER;
            done.countDown();
            removeHook(hook);
            return BROKER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status[0] = finish(out, err, watcher);
        done.countDown();
        removeHook(hook);
        return status[0];
    }

    private int finish(PrintWriter out, PrintWriter err, Watcher watcher) {
        Verdict v = watcher.verdict();
        if (json) {
            for (Problem p : v.problems()) line(out, WatchReport.json(p));
            for (DeviceSummary d : watcher.summaries()) line(out, WatchReport.json(d));
            line(out, WatchReport.json(v));
        } else if (!csv) {
            out.print(WatchReport.table(watcher.summaries()));
            for (Problem p : v.problems()) out.println("  " + p);
            out.println("watch: " + v.headline());
        } else {
            for (Problem p : v.problems()) err.println("eiedge watch: " + p);
        }
        out.flush();
        if (!check) return 0;
        if (!v.clean()) {
            err.println("eiedge watch: --check " + v.headline());
            err.flush();
            return CHECK_FAILED;
        }
        return 0;
    }

    private void liveTable(PrintWriter out, Watcher watcher) {
        if (System.console() != null) out.print("\033[H\033[2J"); // a terminal: redraw in place
        out.println("eiedge watch " + broker + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                + " (" + watcher.problems().size() + " problems so far)");
        out.print(WatchReport.table(watcher.summaries()));
        out.println();
        out.flush();
    }

    private static void line(PrintWriter out, String text) {
        synchronized (out) {
            out.println(text);
            out.flush();
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("eiedge watch: " + message);
        return 2;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down; the hook is running
        }
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a certificate (PEM or DER): " + e.getMessage(), e);
        }
    }

    public static X509CRL readCrl(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException(file + ": no such file");
        try (InputStream in = Files.newInputStream(file)) {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not a CRL (PEM or DER): " + e.getMessage(), e);
        }
    }
}
