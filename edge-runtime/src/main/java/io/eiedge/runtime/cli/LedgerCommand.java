package io.eiedge.runtime.cli;

import io.eiedge.ledger.chain.AuditReport;
import io.eiedge.ledger.chain.ChainAudit;
import io.eiedge.ledger.chain.LedgerStoreException;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.store.SegmentLog;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.runtime.config.ConfigLoader;
import io.eiedge.runtime.config.EiedgeConfig;
import io.eiedge.runtime.config.InvalidConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eiedge ledger verify|show [--data DIR]}: check or show a stopped or running node's chain. */
@Command(name = "ledger", mixinStandardHelpOptions = true, description = "Check or show a node's chain (stopped or running).",
        subcommands = {LedgerCommand.Verify.class, LedgerCommand.Show.class})
public final class LedgerCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    abstract static class Target {
        @Option(names = "--data", paramLabel = "DIR", description = "the node's data folder (default: from the configuration)")
        Path data;

        @Option(names = "--config", paramLabel = "FILE", defaultValue = EiedgeConfig.DEFAULT_PATH,
                description = "configuration file, for the data folder (default: ${DEFAULT-VALUE})")
        Path config;

        Path chainDir() throws IOException, InvalidConfigException {
            Path dir = data != null ? data : ConfigLoader.load(config).ledger().dataDir();
            return Files.isDirectory(dir.resolve("chain")) ? dir.resolve("chain") : dir;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify the chain from genesis: every header's signature and link, every kept block's readings.",
                    "Exit 0 when it verifies, 1 when it does not, 2 when it cannot be read."})
    static final class Verify extends Target implements Callable<Integer> {
        @Option(names = "--root", paramLabel = "FILE", description = "registrar root certificate (PEM or DER) to anchor the certificates to")
        Path root;

        @Override
        public Integer call() {
            try {
                LedgerVerifier verifier = root == null ? null
                        : new LedgerVerifier(readCertificate(root), null, InstantSource.system());
                Path dir = chainDir();
                AuditReport r = ChainAudit.audit(dir, verifier);
                System.out.printf("chain of %s in %s%n", r.deviceId(), dir);
                System.out.printf("  height %d, next seq %d, %d readings verified, %d unsealed, %d blocks pruned%n",
                        r.height(), r.nextSeq(), r.readingsVerified(), r.unsealed(), r.prunedBlocks());
                System.out.println(r.anchoredToRoot() ? "  certificates checked against the registrar root"
                        : "  certificates NOT checked against a registrar root (use --root FILE)");
                for (String p : r.problems()) {
                    System.out.println("  PROBLEM: " + p);
                }
                System.out.println(r.ok() ? "VERIFIED" : "NOT VERIFIED: " + r.problems().size() + " problem(s)");
                return r.ok() ? 0 : 1;
            } catch (IOException | InvalidConfigException | LedgerStoreException | VerificationException e) {
                System.err.println("ledger verify: " + e.getMessage());
                return 2;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "List the newest headers of the chain.")
    static final class Show extends Target implements Callable<Integer> {
        @Option(names = "--last", defaultValue = "10", description = "how many of the newest headers (default: ${DEFAULT-VALUE})")
        int last;

        @Override
        public Integer call() {
            try {
                Path dir = chainDir();
                SegmentLog log = SegmentLog.openForReading(dir.resolve("headers"));
                List<SignedHeader> headers = new ArrayList<>();
                for (long s : log.segments()) {
                    log.scan(s, 0, f -> {
                        try {
                            headers.add(SignedHeader.decode(f.payload()));
                        } catch (LedgerFormatException e) {
                            System.err.println("header at offset " + f.offset() + ": " + e.getMessage());
                        }
                    });
                }
                if (headers.isEmpty()) {
                    System.err.println("ledger show: no headers in " + dir);
                    return 2;
                }
                System.out.printf("%8s  %-25s %10s %7s  %-12s %s%n", "height", "sealed", "first seq", "count", "hash", "witnesses");
                for (SignedHeader h : headers.subList(Math.max(0, headers.size() - last), headers.size())) {
                    var x = h.header();
                    System.out.printf("%8d  %-25s %10d %7d  %-12s %d%n", x.height(), Instant.ofEpochMilli(x.sealedAtMs()),
                            x.firstSeq(), x.count(), h.hash().hex().substring(0, 12), x.witnesses().size());
                }
                var summary = headers.get(headers.size() - 1).header().summary();
                summary.forEach((k, v) -> System.out.printf("  %-30s %s%n", k, v));
                return 0;
            } catch (IOException | InvalidConfigException e) {
                System.err.println("ledger show: " + e.getMessage());
                return 2;
            }
        }
    }

    static X509Certificate readCertificate(Path file) throws IOException, VerificationException {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN CERTIFICATE-----")) {
            String body = text.substring(text.indexOf("-----BEGIN CERTIFICATE-----") + 27, text.indexOf("-----END CERTIFICATE-----"));
            bytes = Base64.getMimeDecoder().decode(body);
        }
        return LedgerVerifier.parseCertificate(bytes);
    }
}
