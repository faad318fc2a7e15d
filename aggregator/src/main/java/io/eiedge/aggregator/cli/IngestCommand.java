package io.eiedge.aggregator.cli;

import io.eiedge.aggregator.ingest.Ingest;
import io.eiedge.aggregator.ingest.IngestClient;
import io.eiedge.aggregator.ingest.IngestClient.Inbound;
import io.eiedge.aggregator.ingest.Item;
import io.eiedge.aggregator.ingest.StreamVerifier;
import io.eiedge.aggregator.store.BatchWriter;
import io.eiedge.aggregator.store.Database;
import io.eiedge.aggregator.store.Migrations;
import io.eiedge.aggregator.store.StoreException;
import io.eiedge.aggregator.store.StoredTrust;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.cli.WatchCommand;
import io.eiedge.runtime.mqtt.TlsIdentity;
import io.eiedge.runtime.mqtt.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code eiedge ingest --broker URL --root FILE [--crl FILE] --db URL [--share GROUP]}: the
 * aggregator's service. Verifies everything the fleet publishes with the registrar root and CRL
 * and stores it in PostgreSQL; several instances with one {@code --share} group split the fleet.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify every reading, header, certificate, CRL, balance and alert from a broker with the registrar",
                "root and store them in PostgreSQL (schema created and migrated on start). Several instances with one",
                "--share group split the fleet through an MQTT shared subscription; each keeps a persistent session",
                "and acknowledges a message only after the transaction holding it committed.",
                "",
                "Exit status: 0 stopped (SIGTERM, Ctrl-C or --seconds), 2 usage error, 3 broker unreachable,",
                "4 unreadable root/CRL/key file, 5 database unusable, 6 no CRL (give --crl or publish one retained)."})
public final class IngestCommand implements java.util.concurrent.Callable<Integer> {
    static final int USAGE = 2;
    static final int BROKER = 3;
    static final int BAD_FILE = 4;
    static final int DATABASE = 5;
    static final int NO_CRL = 6;
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    @Spec
    CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URL", description = "ssl://HOST:PORT (or tcp://HOST:PORT with --insecure)")
    URI broker;

    @Option(names = "--root", required = true, paramLabel = "FILE", description = "the registrar's root certificate (PEM or DER), the only trust anchor")
    Path root;

    @Option(names = "--crl", paramLabel = "FILE", description = "the registrar's CRL; without it the retained crl topic (or the store) must give one")
    Path crlFile;

    @Option(names = "--db", required = true, paramLabel = "URL", description = "postgresql://[USER@]HOST[:PORT]/DB or jdbc:postgresql://…; password also from $"
            + Database.PASSWORD_ENV)
    String db;

    @Option(names = "--share", paramLabel = "GROUP", description = "shared-subscription group: instances with one group split the fleet")
    String share;

    @Option(names = "--client-id", paramLabel = "ID", description = "MQTT client id, stable across restarts (default eiedge-ingest-GROUP-HOST);"
            + " every instance needs its own")
    String clientId;

    @Option(names = "--cert", paramLabel = "FILE", description = "client certificate (PEM) for brokers that require one")
    Path certFile;

    @Option(names = "--key", paramLabel = "FILE", description = "the client certificate's key (unencrypted PKCS#8 PEM)")
    Path keyFile;

    @Option(names = "--insecure", description = "allow a plain tcp:// broker (no TLS); the data is still verified")
    boolean insecure;

    @Option(names = "--prefix", paramLabel = "P", defaultValue = Topics.DEFAULT_PREFIX, description = "topic prefix (default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "500", description = "messages per transaction at most (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--linger-ms", paramLabel = "MS", defaultValue = "20", description = "wait this long for a batch to fill (default: ${DEFAULT-VALUE})")
    long lingerMs;

    @Option(names = "--verify-threads", paramLabel = "N", description = "threads verifying signatures (default: the number of CPUs)")
    Integer verifyThreads;

    @Option(names = "--max-inflight", paramLabel = "N", defaultValue = "1000",
            description = "unacknowledged messages at most (Paho's window; set the broker's max_inflight_messages ≥ this; default: ${DEFAULT-VALUE})")
    int maxInflight;

    @Option(names = "--max-held", paramLabel = "N", defaultValue = "10000",
            description = "messages waiting for their device's certificate at most (default: ${DEFAULT-VALUE})")
    int maxHeld;

    @Option(names = "--crl-wait", paramLabel = "S", defaultValue = "30", description = "seconds to wait for a retained CRL (default: ${DEFAULT-VALUE})")
    int crlWait;

    @Option(names = "--seconds", paramLabel = "N", description = "stop after N seconds (default: until SIGTERM or Ctrl-C)")
    Integer seconds;

    private volatile boolean stopRequested;
    private volatile int exitStatus;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return ingest(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int ingest(PrintWriter out, PrintWriter err) {
        if ((certFile == null) != (keyFile == null)) return usage(err, "--cert and --key go together");
        if (share != null && !GROUP.matcher(share).matches()) return usage(err, "--share '" + share + "' must be 1-64 letters, digits, '_', '.' or '-'");
        if (batch < 1 || batch > 10_000) return usage(err, "--batch must be 1..10000, not " + batch);
        if (maxInflight < 1 || maxInflight > 65_535) return usage(err, "--max-inflight must be 1..65535, not " + maxInflight);
        if (verifyThreads != null && (verifyThreads < 1 || verifyThreads > 64)) return usage(err, "--verify-threads must be 1..64");
        if (lingerMs < 0 || lingerMs > 10_000) return usage(err, "--linger-ms must be 0..10000");
        if (maxHeld < 0) return usage(err, "--max-held must be ≥ 0");
        if (seconds != null && seconds <= 0) return usage(err, "--seconds must be a positive number, not " + seconds);
        if (prefix.isEmpty() || prefix.endsWith("/") || prefix.contains("#") || prefix.contains("+")) {
            return usage(err, "--prefix '" + prefix + "' must be a topic without wildcards or trailing '/'");
        }
        Database database;
        try {
            database = Database.of(db);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        X509Certificate rootCert;
        Optional<X509CRL> crl;
        Optional<TlsIdentity> identity = Optional.empty();
        try {
            rootCert = WatchCommand.readCertificate(root);
            crl = crlFile == null ? Optional.empty() : Optional.of(WatchCommand.readCrl(crlFile));
            if (certFile != null) identity = Optional.of(TlsIdentity.fromPemFiles(keyFile, certFile, root));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            err.println("eiedge ingest: " + e.getMessage());
            return BAD_FILE;
        }
        StreamVerifier verifier;
        try {
            new StreamVerifier(rootCert, crl, prefix, InstantSource.system()); // is the CRL file the registrar's?
            // starts without: the stored CRL and the file's are then taken in order, the newer in force and stored
            verifier = new StreamVerifier(rootCert, Optional.empty(), prefix, InstantSource.system());
        } catch (VerificationException e) {
            err.println("eiedge ingest: " + crlFile + ": " + e.getMessage());
            return BAD_FILE;
        }
        // the store: schema first, then what was trusted before (verified again)
        List<Item> restored = new ArrayList<>();
        try (Connection c = database.connect()) {
            int applied = Migrations.migrate(c);
            if (applied > 0) err.println("eiedge ingest: " + database + ": schema migrated to version " + Migrations.current());
            for (StoredTrust.Entry e : StoredTrust.load(c, prefix)) restored.add(verifier.trustChange(e.topic(), e.der()));
            if (crl.isPresent()) {
                // the CRL file goes into the store too, so a later start without --crl still has one
                restored.add(verifier.trustChange(prefix + "/_/crl", io.eiedge.provisioning.cert.Certificates.der(crl.get())));
            }
            BatchWriter.write(c, restored.stream().filter(i -> i instanceof Item.Crl).toList());
        } catch (SQLException e) {
            err.println("eiedge ingest: " + database + ": " + e.getMessage());
            return DATABASE;
        } catch (StoreException e) {
            err.println("eiedge ingest: " + database + ": " + e.getMessage());
            return DATABASE;
        }

        String id = clientId != null ? clientId : "eiedge-ingest-" + (share != null ? share : "solo") + "-" + hostname();
        ArrayBlockingQueue<Inbound> queue = new ArrayBlockingQueue<>(maxInflight + 64);
        int threads = verifyThreads != null ? verifyThreads : Runtime.getRuntime().availableProcessors();
        Ingest ingest = new Ingest(verifier, database, prefix, queue, new Ingest.Settings(batch, lingerMs, threads, maxHeld));
        IngestClient client;
        try {
            client = new IngestClient(broker, prefix, id, Optional.ofNullable(share), rootCert, identity, insecure, maxInflight, queue);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        } catch (IOException e) {
            err.println("eiedge ingest: " + e.getMessage());
            return BROKER;
        }
        ingest.attach(client);
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopRequested = true;
            try {
                done.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // SIGTERM is how a service manager stops us: the status of the stopped loop, not 143
            Runtime.getRuntime().halt(exitStatus);
        }, "ingest-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int status = 0;
        try (client) {
            client.start();
            err.println("eiedge ingest: connected to " + broker + " as " + id + (share != null ? ", group " + share : "")
                    + ", storing in " + database);
            err.flush();
            long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long crlDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(crlWait);
            boolean[] data = {false};
            boolean[] noCrl = {false};
            ingest.runUntil(() -> {
                if (!data[0] && verifier.hasCrl()) {
                    client.startData();
                    data[0] = true;
                    err.println("eiedge ingest: CRL in force; subscribed to the fleet's data");
                    err.flush();
                } else if (!data[0] && System.nanoTime() > crlDeadline) {
                    noCrl[0] = true;
                    return true;
                }
                return stopRequested || System.nanoTime() > end;
            });
            if (noCrl[0]) {
                err.println("eiedge ingest: no CRL after " + crlWait + " s: give --crl FILE or have the registrar's CRL retained on "
                        + prefix + "/SUBNET/crl; nothing was stored");
                status = NO_CRL;
            }
        } catch (IOException e) {
            err.println("eiedge ingest: " + e.getMessage());
            status = BROKER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ingest.close();
            out.println("ingest: " + ingest.totals() + (ingest.held() > 0 ? "; " + ingest.held()
                    + " messages still waited for certificates (not acknowledged: the broker keeps them)" : ""));
            out.flush();
            exitStatus = status;
            done.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down: the hook is running
            }
        }
        return status;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static int usage(PrintWriter err, String message) {
        err.println("eiedge ingest: " + message);
        return USAGE;
    }
}
