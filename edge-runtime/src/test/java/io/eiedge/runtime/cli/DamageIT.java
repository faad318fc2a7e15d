package io.eiedge.runtime.cli;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.store.SegmentLog;
import io.eiedge.runtime.testsupport.Mosquitto;
import io.eiedge.runtime.testsupport.MosquittoSub;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damage inside durable data — a bad sector under a reading segment, the kind of thing a cheap SD
 * card does after years — must not brick the device: bytes are flipped in a stopped node's reading
 * segment, once inside a sealed block and once in the durable unsealed tail (in its first frame, with
 * whole frames after it, and in its last frame, which looks just like a torn write). Started again,
 * the node must run, keep the damaged file aside as evidence, declare the loss ({@code eiedge ledger
 * verify} passes and reports the seqs as lost), and carry on above every seq it ever let out: nothing
 * the subscriber has is contradicted.
 */
class DamageIT {
    private static final String DEVICE = "router-14";

    @TempDir
    Path dir;

    @Test
    @Disabled("until issue 11's storage rewrite lands: a bad frame with frames after it makes the chain unopenable "
            + "('… is damaged at offset N with M bytes of frames after it: not a torn tail, so nothing is cut')")
    void aBadSectorInASealedBlockIsKeptAsideDeclaredLostAndTheNodeStartsAndCarriesOn() throws Exception {
        damageAndRestart(true);
    }

    @Test
    @Disabled("until issue 11's storage rewrite lands: damage in the unsealed tail makes the chain unopenable, and a "
            + "damaged last frame is cut as a torn write and its seq signed again with other content")
    void aBadSectorInTheDurableUnsealedTailIsKeptAsideDeclaredLostAndNoPublishedSeqIsSignedAgain() throws Exception {
        damageAndRestart(false);
    }

    private void damageAndRestart(boolean sealed) throws Exception {
        NodeRig rig = NodeRig.create(dir, DEVICE, "sub-damage");
        Path data = Files.createDirectories(dir.resolve("data"));
        try (Mosquitto broker = Mosquitto.plain(dir.resolve("mosquitto")).start();
             MosquittoSub sub = MosquittoSub.persistent(broker, rig.topics(), "aggregator-damage")) {
            AggregatorView upstream = new AggregatorView(sub, rig.verifier, rig.trusted);
            Path config = rig.writeConfig(data, broker.url("tcp"), 6, "");

            // run until there are sealed blocks and an unsealed tail of at least two readings, then SIGKILL
            Layout layout = null;
            for (int attempt = 0; attempt < 6 && (layout == null || layout.unsealed().size() < 2); attempt++) {
                NodeRig.Run run = rig.start(config).awaitRunning("before the damage");
                TimeUnit.MILLISECONDS.sleep(2500 + 311L * attempt);
                run.kill();
                layout = Layout.read(data.resolve("chain"));
            }
            assertTrue(layout.unsealed().size() >= 2 && layout.sealed().size() >= 20,
                    "the runs left sealed blocks and an unsealed tail: " + layout.sealed().size() + " sealed, "
                            + layout.unsealed().size() + " unsealed");
            TimeUnit.SECONDS.sleep(1); // what was in flight arrives
            long published = upstream.update().highestSeq();
            assertTrue(published > 20, "readings reached the subscriber before the damage: highest seq " + published);

            // the bad sector
            List<Located> hit = sealed ? List.of(layout.sealed().get(layout.sealed().size() / 2))
                    : List.of(layout.unsealed().get(0), layout.unsealed().get(layout.unsealed().size() - 1));
            Path segment = hit.get(0).file();
            byte[] bytes = Files.readAllBytes(segment);
            for (Located r : hit) {
                int at = (int) r.offset() + SegmentLog.FRAME_OVERHEAD + 12; // inside the payload: the CRC no longer matches
                bytes[at] ^= (byte) 0x5a;
            }
            Files.write(segment, bytes);
            long firstDamaged = hit.get(0).seq();
            long lastChained = layout.lastSeq();
            System.out.printf("damage: flipped bytes of seq %s in %s (%s); %d readings published, %d chained%n",
                    hit.stream().map(Located::seq).toList(), segment.getFileName(), sealed ? "sealed block" : "unsealed tail",
                    published, lastChained);

            // it must start, and carry on
            NodeRig.Run run = rig.start(config).awaitRunning("after the damage");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (upstream.update().highestSeq() <= Math.max(published, lastChained) + 10 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            run.assertAlive("after the damage");
            assertTrue(upstream.highestSeq() > Math.max(published, lastChained) + 10,
                    "new readings above every seq signed before the damage reached the subscriber: highest seq " + upstream.highestSeq());
            assertEquals(List.of(), upstream.contradictions(), "no seq the subscriber had was signed again with other content");
            run.stop();

            // the evidence: a file in the data folder still holds the damaged bytes, and it is not the live segment
            List<Path> aside = keptAside(data, bytes, segment);
            assertTrue(!aside.isEmpty(), "the damaged segment is kept aside somewhere under " + data + " with its damaged bytes");

            // declared, not missing or forged
            NodeRig.Cli verify = rig.ledgerVerify(config);
            assertEquals(0, verify.exit(), "'eiedge ledger verify' after the damage:\n" + verify.output());
            assertTrue(verify.output().toLowerCase().contains("lost"), "'eiedge ledger verify' reports the damaged seqs as lost:\n"
                    + verify.output());

            // the node may declare more than the flipped frames lost (the block, the rest of the file): any seq
            // chained before the damage may be missing now — but none may come back with other content
            rig.drainAndCompare(config, upstream, null, s -> s <= lastChained, "after the damage (from seq " + firstDamaged + ")");
            NodeRig.assertVerified(rig.audit(data), "the chain verifies from genesis after the damage, the loss declared");
        }
    }

    /** Regular files under {@code data}, other than {@code live}, whose content begins with the damaged bytes. */
    private static List<Path> keptAside(Path data, byte[] damaged, Path live) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.equals(live)).filter(p -> {
                try {
                    if (Files.size(p) < damaged.length) return false;
                    byte[] b = Files.readAllBytes(p);
                    return Arrays.equals(b, 0, damaged.length, damaged, 0, damaged.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    /** One reading frame in a segment file. */
    record Located(long seq, Path file, long offset) {
    }

    /** Where the readings of a stopped chain are: those sealed into blocks and the unsealed tail. */
    record Layout(List<Located> sealed, List<Located> unsealed, long lastSeq) {
        static Layout read(Path chain) throws IOException {
            SegmentLog headers = SegmentLog.openForReading(chain.resolve("headers"));
            long sealedUpTo = 0; // next seq of the last header
            for (long s : headers.segments()) {
                List<Long> next = new ArrayList<>();
                headers.scan(s, 0, f -> {
                    try {
                        next.add(SignedHeader.decode(f.payload()).header().nextSeq());
                    } catch (LedgerFormatException e) {
                        throw new IllegalStateException(e);
                    }
                });
                if (!next.isEmpty()) sealedUpTo = next.get(next.size() - 1);
            }
            SegmentLog readings = SegmentLog.openForReading(chain.resolve("readings"));
            List<Located> sealed = new ArrayList<>();
            List<Located> unsealed = new ArrayList<>();
            long last = 0;
            for (long s : readings.segments()) {
                Path file = readings.file(s);
                List<Located> all = new ArrayList<>();
                readings.scan(s, 0, f -> {
                    try {
                        all.add(new Located(SignedReading.decode(f.payload()).seq(), file, f.offset()));
                    } catch (LedgerFormatException e) {
                        throw new IllegalStateException(e);
                    }
                });
                for (Located r : all) {
                    (r.seq() < sealedUpTo ? sealed : unsealed).add(r);
                    last = Math.max(last, r.seq());
                }
            }
            return new Layout(sealed, unsealed, last);
        }
    }
}
