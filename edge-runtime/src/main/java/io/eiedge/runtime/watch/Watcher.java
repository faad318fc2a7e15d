package io.eiedge.runtime.watch;

import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.peers.Equivocation;
import io.eiedge.ledger.verify.LedgerVerifier;
import io.eiedge.ledger.verify.TrustedDevice;
import io.eiedge.ledger.verify.VerificationException;
import io.eiedge.provisioning.trust.RevocationLists;
import io.eiedge.runtime.watch.WatchEvent.Outcome;
import io.eiedge.runtime.watch.WatchTopic.Leaf;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tinylog.Logger;

/**
 * The aggregator's verifier: fed every MQTT message under {@code {prefix}/#} as (topic, payload),
 * it trusts device certificates against the registrar root and CRL, verifies every reading and
 * header, and keeps a summary per device and the list of problems found. It does no networking
 * itself, so the demo can feed it in-process and {@link WatchClient} from a broker.
 *
 * <ul>
 *   <li>Certificates come from the retained {@code cert} topics; one must name the device and
 *       subnet of its topic. Readings and headers that arrive before their device's certificate
 *       are held (at most {@code maxHeld}) and verified when it comes.</li>
 *   <li>The CRL is the one given at start and/or the newest valid one from a {@code crl} topic; a
 *       newer CRL revokes devices already trusted. A revoked device's retained certificate and
 *       header are old news and only noted; a reading it publishes is a problem.</li>
 *   <li>Readings: strict decoding, kid and signature of a certificate of the topic's device, device
 *       and subnet as certified. An identical copy of a verified reading is a re-delivery (QoS 1 and
 *       the device outbox deliver at least once); a different reading for a verified seq is
 *       equivocation.</li>
 *   <li>Missing readings are the holes between the first seq seen and the newest seq known to
 *       exist (seen, or committed to by a verified header). A reading that turns up late fills its
 *       hole, so gaps are judged by {@link #verdict()}.</li>
 *   <li>Headers: signature, certificate hash, and the link to the newest header seen (height,
 *       previous hash, seq continuity); a skipped height is counted as a header gap, not as
 *       forgery (a late subscriber gets only the newest retained header). Once every reading of a
 *       block has arrived they must hash to the header's Merkle root.</li>
 *   <li>Equivocation evidence on an {@code alert} topic is checked against the accused device's
 *       certificate and reported.</li>
 * </ul>
 *
 * <p>Thread-safe: messages are handled one at a time, in arrival order.
 */
public final class Watcher {
    public static final int DEFAULT_MAX_HELD = 10_000;
    /** Problems kept in full; beyond this they are only counted. */
    public static final int MAX_PROBLEMS = 10_000;
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([a-z]+)\"");

    private final String prefix;
    private final InstantSource clock;
    private final Consumer<WatchEvent> events;
    private final int maxHeld;

    private LedgerVerifier verifier;
    private X509CRL crl;
    private final Map<String, DeviceLedger> devices = new TreeMap<>();
    private final Deque<Held> held = new ArrayDeque<>();
    private final List<Problem> problems = new ArrayList<>();
    private long problemsOmitted;
    private long ignored;

    private record Held(String topic, WatchTopic where, byte[] payload) {
    }

    /**
     * @param root    the registrar's root certificate, the only trust anchor
     * @param crl     a CRL to start with (e.g. {@code --crl FILE}); newer ones come from the crl topics
     * @param prefix  topic prefix, {@code ei/v1} by default
     * @param events  told of every item handled (for JSON lines); called under the watcher's lock
     * @param maxHeld readings and headers held at most while their device's certificate is awaited
     * @throws VerificationException when the CRL is not signed by the root
     */
    public Watcher(X509Certificate root, Optional<X509CRL> crl, String prefix, InstantSource clock,
                   Consumer<WatchEvent> events, int maxHeld) throws VerificationException {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        if (maxHeld < 0) throw new IllegalArgumentException("maxHeld must be ≥ 0, was " + maxHeld);
        this.maxHeld = maxHeld;
        this.verifier = new LedgerVerifier(Objects.requireNonNull(root, "root"), crl.orElse(null), clock);
        this.crl = crl.orElse(null);
    }

    /** A watcher with the default prefix and hold limit that reports no events. */
    public Watcher(X509Certificate root, Optional<X509CRL> crl, InstantSource clock) throws VerificationException {
        this(root, crl, io.eiedge.runtime.mqtt.Topics.DEFAULT_PREFIX, clock, e -> { }, DEFAULT_MAX_HELD);
    }

    /** Handles one message received under {@code {prefix}/#}. Never throws for bad input: it becomes a problem. */
    public synchronized void accept(String topic, byte[] payload) {
        Optional<WatchTopic> parsed = WatchTopic.parse(prefix, topic);
        if (parsed.isEmpty()) {
            ignored++;
            return;
        }
        WatchTopic t = parsed.get();
        try {
            switch (t.leaf()) {
                case CERT -> certificate(topic, t, payload);
                case READING -> reading(topic, t, payload, true);
                case HEADER -> header(topic, t, payload, true);
                case STATE -> state(t, payload);
                case CRL -> crl(topic, t, payload);
                case ALERT -> alert(topic, t, payload);
                case BALANCE -> balance(topic, t, payload);
            }
        } catch (RuntimeException e) {
            // a bug must not stop the watch; it is reported like any other refusal
            problem(Problem.Kind.MALFORMED, t.subnet(), t.device(), topic, "could not be handled: " + e);
            Logger.error(e, "watch: {} could not be handled", topic);
        }
    }

    // ---------------------------------------------------------------- certificates and CRLs

    private void certificate(String topic, WatchTopic t, byte[] der) {
        TrustedDevice td;
        try {
            td = verifier.trust(der);
        } catch (VerificationException e) {
            if (e.reason() == VerificationException.Reason.REVOKED) {
                DeviceLedger d = device(t);
                kidOf(der).ifPresent(d.revokedKids::add);
                event(Leaf.CERT, Outcome.REFUSED, t.subnet(), t.device(), -1, e.getMessage());
                release(t.device());
            } else {
                problem(Problem.Kind.UNTRUSTED_CERTIFICATE, t.subnet(), t.device(), topic, e.getMessage());
                event(Leaf.CERT, Outcome.REFUSED, t.subnet(), t.device(), -1, e.getMessage());
            }
            return;
        }
        if (!td.deviceId().equals(t.device()) || !td.subnet().equals(t.subnet())) {
            String why = "certificate of " + td.deviceId() + " in subnet " + td.subnet() + " published as "
                    + t.device() + " in subnet " + t.subnet();
            problem(Problem.Kind.UNTRUSTED_CERTIFICATE, t.subnet(), t.device(), topic, why);
            event(Leaf.CERT, Outcome.REFUSED, t.subnet(), t.device(), -1, why);
            return;
        }
        DeviceLedger d = device(t);
        d.role = td.role();
        if (d.byCertHash.containsKey(td.certificateHash())) {
            event(Leaf.CERT, Outcome.DUPLICATE, t.subnet(), t.device(), -1, "");
        } else {
            d.byCertHash.put(td.certificateHash(), td);
            d.byKid.put(td.key().kid(), td);
            event(Leaf.CERT, Outcome.VERIFIED, t.subnet(), t.device(), -1, td.role() + ", certificate "
                    + td.certificateHash().shortHex());
        }
        release(t.device());
    }

    private void crl(String topic, WatchTopic t, byte[] der) {
        X509CRL c;
        try {
            c = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            problem(Problem.Kind.BAD_CRL, t.subnet(), "", topic, "not a DER X.509 CRL: " + e.getMessage());
            event(Leaf.CRL, Outcome.REFUSED, t.subnet(), "", -1, "not a DER X.509 CRL");
            return;
        }
        long number = RevocationLists.number(c).map(java.math.BigInteger::longValue).orElse(-1L);
        if (crl != null && !RevocationLists.isOlder(crl, c)) {
            event(Leaf.CRL, Outcome.DUPLICATE, t.subnet(), "", number, "not newer than the CRL held");
            return;
        }
        try {
            verifier = verifier.withCrl(c);
        } catch (VerificationException e) {
            problem(Problem.Kind.BAD_CRL, t.subnet(), "", topic, e.getMessage());
            event(Leaf.CRL, Outcome.REFUSED, t.subnet(), "", number, e.getMessage());
            return;
        }
        crl = c;
        event(Leaf.CRL, Outcome.VERIFIED, t.subnet(), "", number, (c.getRevokedCertificates() == null ? 0
                : c.getRevokedCertificates().size()) + " revoked");
        for (DeviceLedger d : devices.values()) {
            for (Iterator<TrustedDevice> it = d.byKid.values().iterator(); it.hasNext(); ) {
                TrustedDevice td = it.next();
                X509Certificate cert;
                try {
                    cert = LedgerVerifier.parseCertificate(td.certificateDer());
                } catch (VerificationException e) {
                    continue; // parsed once already when it was trusted
                }
                if (c.isRevoked(cert)) {
                    it.remove();
                    d.byCertHash.remove(td.certificateHash());
                    d.revokedKids.add(td.key().kid());
                    event(Leaf.CERT, Outcome.REFUSED, d.subnet, d.device, -1, "certificate serial "
                            + cert.getSerialNumber().toString(16) + " revoked by CRL " + number);
                    Logger.warn("watch: {} in {} is revoked by CRL {}", d.device, d.subnet, number);
                }
            }
        }
    }

    private static Optional<Hash32> kidOf(byte[] der) {
        try {
            return Optional.of(Ed25519PublicKey.fromSpki(LedgerVerifier.parseCertificate(der).getPublicKey().getEncoded()).kid());
        } catch (VerificationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- readings

    private void reading(String topic, WatchTopic t, byte[] payload, boolean fresh) {
        DeviceLedger d = devices.get(t.device());
        SignedReading r;
        try {
            r = SignedReading.decode(payload);
        } catch (LedgerFormatException e) {
            problem(Problem.Kind.MALFORMED, t.subnet(), t.device(), topic, "reading: " + e.getMessage());
            event(Leaf.READING, Outcome.REFUSED, t.subnet(), t.device(), -1, e.getMessage());
            if (d != null) d.forged++;
            return;
        }
        long seq = r.seq();
        if (d != null && d.revokedKids.contains(r.cose().kid())) {
            String why = "reading seq " + seq + " signed with a revoked certificate's key";
            problem(Problem.Kind.REVOKED, t.subnet(), t.device(), topic, why);
            event(Leaf.READING, Outcome.REFUSED, t.subnet(), t.device(), seq, why);
            d.forged++;
            return;
        }
        if (d == null || !d.trusted()) {
            if (fresh) {
                hold(topic, t, payload, seq);
            } else {
                String why = "reading seq " + seq + ": no trusted certificate of " + t.device() + " for its key";
                problem(Problem.Kind.UNVERIFIED, t.subnet(), t.device(), topic, why);
                event(Leaf.READING, Outcome.REFUSED, t.subnet(), t.device(), seq, why);
            }
            return;
        }
        TrustedDevice td = d.byKid.get(r.cose().kid());
        if (td == null) {
            refuseReading(topic, t, d, seq, "reading seq " + seq + " is signed with key " + r.cose().kid().shortHex()
                    + "…, not with the key of " + t.device() + "'s certificate");
            return;
        }
        try {
            r = verifier.verifyReading(payload, td);
        } catch (VerificationException e) {
            refuseReading(topic, t, d, seq, e.getMessage());
            return;
        }
        if (!td.subnet().equals(t.subnet())) {
            refuseReading(topic, t, d, seq, "reading seq " + seq + " of " + td.deviceId() + " (subnet " + td.subnet()
                    + ") published under subnet " + t.subnet());
            return;
        }
        Hash32 digest = Hash32.sha256(payload);
        if (d.received.contains(seq)) {
            Hash32 before = d.digests.get(seq);
            if (before == null || before.equals(digest)) {
                d.duplicates++;
                event(Leaf.READING, Outcome.DUPLICATE, t.subnet(), t.device(), seq,
                        before == null ? "seq seen long ago; not compared" : "");
            } else {
                String why = "two different signed readings for seq " + seq + " (" + before.shortHex() + "… and "
                        + digest.shortHex() + "…)";
                problem(Problem.Kind.EQUIVOCATION, t.subnet(), t.device(), topic, why);
                event(Leaf.READING, Outcome.REFUSED, t.subnet(), t.device(), seq, why);
                d.forged++;
            }
            return;
        }
        d.received.add(seq);
        d.digests.put(seq, digest);
        d.pending.put(seq, r);
        while (d.pending.size() > DeviceLedger.MAX_PENDING) d.pending.pollFirstEntry();
        d.readingsOk++;
        d.lastSeq = Math.max(d.lastSeq, seq);
        event(Leaf.READING, Outcome.VERIFIED, t.subnet(), t.device(), seq, "");
        checkBlocks(d);
    }

    private void refuseReading(String topic, WatchTopic t, DeviceLedger d, long seq, String why) {
        d.forged++;
        problem(Problem.Kind.FORGED, t.subnet(), t.device(), topic, why);
        event(Leaf.READING, Outcome.REFUSED, t.subnet(), t.device(), seq, why);
    }

    // ---------------------------------------------------------------- headers and blocks

    private void header(String topic, WatchTopic t, byte[] payload, boolean fresh) {
        DeviceLedger d = devices.get(t.device());
        SignedHeader h;
        try {
            h = SignedHeader.decode(payload);
        } catch (LedgerFormatException e) {
            problem(Problem.Kind.MALFORMED, t.subnet(), t.device(), topic, "header: " + e.getMessage());
            event(Leaf.HEADER, Outcome.REFUSED, t.subnet(), t.device(), -1, e.getMessage());
            if (d != null) d.headersBad++;
            return;
        }
        long height = h.height();
        if (d != null && d.revokedKids.contains(h.cose().kid())) {
            // retained headers of a revoked device stay on the broker: old news, not an offence
            event(Leaf.HEADER, Outcome.REFUSED, t.subnet(), t.device(), height, "signed under a revoked certificate");
            return;
        }
        if (d == null || !d.trusted()) {
            if (fresh) hold(topic, t, payload, height);
            else event(Leaf.HEADER, Outcome.REFUSED, t.subnet(), t.device(), height, "no trusted certificate of " + t.device());
            return;
        }
        TrustedDevice td = d.byCertHash.get(h.header().certHash());
        if (td == null) td = d.byKid.get(h.cose().kid());
        if (td == null) {
            refuseHeader(topic, t, d, height, Problem.Kind.FORGED, "header " + height + " is signed with key "
                    + h.cose().kid().shortHex() + "…, not with the key of " + t.device() + "'s certificate");
            return;
        }
        try {
            h = verifier.verifyHeader(payload, td);
        } catch (VerificationException e) {
            Problem.Kind kind = e.reason() == VerificationException.Reason.FORMAT ? Problem.Kind.MALFORMED : Problem.Kind.FORGED;
            refuseHeader(topic, t, d, height, kind, e.getMessage());
            return;
        }
        if (!td.subnet().equals(t.subnet())) {
            refuseHeader(topic, t, d, height, Problem.Kind.FORGED, "header " + height + " of " + td.deviceId()
                    + " (subnet " + td.subnet() + ") published under subnet " + t.subnet());
            return;
        }
        Hash32 before = d.headerHashes.get(height);
        if (before != null) {
            if (before.equals(h.hash())) {
                event(Leaf.HEADER, Outcome.DUPLICATE, t.subnet(), t.device(), height, "");
            } else {
                refuseHeader(topic, t, d, height, Problem.Kind.EQUIVOCATION, "two different signed headers for height "
                        + height + " (" + before.shortHex() + "… and " + h.hash().shortHex() + "…)");
            }
            return;
        }
        String note = "";
        try {
            if (d.head == null) {
                if (height == 0) LedgerVerifier.verifySegment(List.of(h));
            } else if (height == d.head.height() + 1) {
                LedgerVerifier.verifyLink(d.head, h);
            } else if (height > d.head.height() + 1) {
                d.headerGaps += height - d.head.height() - 1;
                note = "heights " + (d.head.height() + 1) + (height - 1 > d.head.height() + 1 ? ".." + (height - 1) : "")
                        + " not seen; link not checked";
            } else {
                note = "older than height " + d.head.height() + "; link not checked";
            }
        } catch (VerificationException e) {
            refuseHeader(topic, t, d, height, Problem.Kind.BROKEN_LINK, e.getMessage());
            return;
        }
        d.headersOk++;
        d.headerHashes.put(height, h.hash());
        if (d.head == null || height > d.head.height()) {
            d.head = h;
            d.energy = new TreeMap<>(h.header().summary());
        }
        if (h.header().count() > 0) {
            d.announcedUpTo = Math.max(d.announcedUpTo, h.header().nextSeq() - 1);
            d.waitingBlocks.put(height, h);
        }
        event(Leaf.HEADER, Outcome.VERIFIED, t.subnet(), t.device(), height, note);
        checkBlocks(d);
    }

    private void refuseHeader(String topic, WatchTopic t, DeviceLedger d, long height, Problem.Kind kind, String why) {
        d.headersBad++;
        problem(kind, t.subnet(), t.device(), topic, why);
        event(Leaf.HEADER, Outcome.REFUSED, t.subnet(), t.device(), height, why);
    }

    /**
     * Checks the Merkle root of every waiting block whose readings have all arrived. A block that
     * began before the first reading this watch saw can never be complete and is dropped unchecked.
     */
    private void checkBlocks(DeviceLedger d) {
        if (d.received.isEmpty()) return;
        for (Iterator<SignedHeader> it = d.waitingBlocks.values().iterator(); it.hasNext(); ) {
            SignedHeader h = it.next();
            long first = h.header().firstSeq();
            long last = h.header().nextSeq() - 1;
            if (first < d.received.lowest()) {
                it.remove(); // began before this watch: its first readings were never ours to see
                continue;
            }
            if (!d.received.containsAll(first, last)) continue;
            it.remove();
            List<SignedReading> block = new ArrayList<>((int) h.header().count());
            for (long s = first; s <= last; s++) {
                SignedReading r = d.pending.get(s);
                if (r == null) break; // evicted: too many readings waited for their header
                block.add(r);
            }
            if (block.size() != h.header().count()) continue;
            String topic = prefix + "/" + d.subnet + "/" + d.device + "/header";
            try {
                LedgerVerifier.verifyBlock(h, block);
                d.blocksVerified++;
                event(Leaf.HEADER, Outcome.VERIFIED, d.subnet, d.device, h.height(), "block of " + block.size()
                        + " readings (seq " + first + ".." + last + ") matches the Merkle root");
            } catch (VerificationException e) {
                problem(Problem.Kind.MERKLE_MISMATCH, d.subnet, d.device, topic, e.getMessage());
                event(Leaf.HEADER, Outcome.REFUSED, d.subnet, d.device, h.height(), e.getMessage());
            }
        }
        // readings below every block still to check are done with
        long floor = d.waitingBlocks.isEmpty() ? (d.head == null ? 0 : d.head.header().nextSeq())
                : d.waitingBlocks.firstEntry().getValue().header().firstSeq();
        d.pending.headMap(floor).clear();
    }

    // ---------------------------------------------------------------- other topics

    private void state(WatchTopic t, byte[] payload) {
        Matcher m = STATE.matcher(new String(payload, StandardCharsets.UTF_8));
        String s = m.find() ? m.group(1) : "?";
        device(t).state = s;
        event(Leaf.STATE, Outcome.NOTED, t.subnet(), t.device(), -1, s);
    }

    private void alert(String topic, WatchTopic t, byte[] payload) {
        Equivocation e;
        try {
            e = Equivocation.decode(payload);
        } catch (LedgerFormatException ex) {
            problem(Problem.Kind.MALFORMED, t.subnet(), "", topic, "alert: " + ex.getMessage());
            event(Leaf.ALERT, Outcome.REFUSED, t.subnet(), "", -1, ex.getMessage());
            return;
        }
        DeviceLedger d = devices.get(e.deviceId());
        String what = e.deviceId() + " signed two different headers for height " + e.height();
        if (d == null || !d.trusted()) {
            problem(Problem.Kind.ALERT, t.subnet(), e.deviceId(), topic, what + " (evidence not checked: no certificate of "
                    + e.deviceId() + " received)");
            event(Leaf.ALERT, Outcome.NOTED, t.subnet(), e.deviceId(), e.height(), what);
            return;
        }
        try {
            for (byte[] header : List.of(e.headerA(), e.headerB())) {
                SignedHeader h = SignedHeader.decode(header);
                TrustedDevice td = d.byCertHash.get(h.header().certHash());
                if (td == null) td = d.byKid.get(h.cose().kid());
                if (td == null) throw new VerificationException(VerificationException.Reason.SIGNATURE,
                        "a header of the evidence is not signed with " + e.deviceId() + "'s certified key");
                verifier.verifyHeader(header, td);
            }
        } catch (VerificationException | LedgerFormatException ex) {
            problem(Problem.Kind.FORGED, t.subnet(), e.deviceId(), topic, "alert evidence against " + e.deviceId()
                    + " does not verify: " + ex.getMessage());
            event(Leaf.ALERT, Outcome.REFUSED, t.subnet(), e.deviceId(), e.height(), ex.getMessage());
            return;
        }
        problem(Problem.Kind.ALERT, t.subnet(), e.deviceId(), topic, what + " (evidence verified)");
        event(Leaf.ALERT, Outcome.VERIFIED, t.subnet(), e.deviceId(), e.height(), what);
    }

    /** The exchange's subnet balance: only its signature is checked here (by kid, among the subnet's devices). */
    private void balance(String topic, WatchTopic t, byte[] payload) {
        CoseSign1 c;
        try {
            c = CoseSign1.decode(payload);
        } catch (LedgerFormatException e) {
            problem(Problem.Kind.MALFORMED, t.subnet(), "", topic, "balance: " + e.getMessage());
            event(Leaf.BALANCE, Outcome.REFUSED, t.subnet(), "", -1, e.getMessage());
            return;
        }
        for (DeviceLedger d : devices.values()) {
            TrustedDevice td = d.byKid.get(c.kid());
            if (td == null || !td.subnet().equals(t.subnet())) continue;
            try {
                c.verify(td.key());
                event(Leaf.BALANCE, Outcome.VERIFIED, t.subnet(), d.device, -1, "");
            } catch (SignatureException e) {
                problem(Problem.Kind.FORGED, t.subnet(), d.device, topic, "balance: " + e.getMessage());
                event(Leaf.BALANCE, Outcome.REFUSED, t.subnet(), d.device, -1, e.getMessage());
            }
            return;
        }
        event(Leaf.BALANCE, Outcome.NOTED, t.subnet(), "", -1, "signer " + c.kid().shortHex() + "… not known yet");
    }

    // ---------------------------------------------------------------- holding

    private void hold(String topic, WatchTopic t, byte[] payload, long number) {
        if (maxHeld == 0) {
            problem(Problem.Kind.UNVERIFIED, t.subnet(), t.device(), topic, "no certificate of " + t.device() + " received");
            return;
        }
        if (held.size() >= maxHeld) {
            Held dropped = held.removeFirst();
            DeviceLedger dd = devices.get(dropped.where().device());
            if (dd != null) dd.held--;
            problem(Problem.Kind.UNVERIFIED, dropped.where().subnet(), dropped.where().device(), dropped.topic(),
                    "dropped unverified: " + maxHeld + " items already wait for certificates");
        }
        held.addLast(new Held(topic, t, payload.clone()));
        device(t).held++;
        event(t.leaf(), Outcome.HELD, t.subnet(), t.device(), number, "waiting for the certificate of " + t.device());
    }

    /** Verifies what was held for {@code device}, in arrival order. */
    private void release(String device) {
        List<Held> mine = new ArrayList<>();
        for (Iterator<Held> it = held.iterator(); it.hasNext(); ) {
            Held h = it.next();
            if (h.where().device().equals(device)) {
                mine.add(h);
                it.remove();
            }
        }
        DeviceLedger d = devices.get(device);
        if (d != null) d.held = 0;
        for (Held h : mine) {
            if (h.where().leaf() == Leaf.READING) reading(h.topic(), h.where(), h.payload(), false);
            else header(h.topic(), h.where(), h.payload(), false);
        }
    }

    // ---------------------------------------------------------------- results

    private DeviceLedger device(WatchTopic t) {
        return devices.computeIfAbsent(t.device(), id -> new DeviceLedger(id, t.subnet()));
    }

    private void problem(Problem.Kind kind, String subnet, String device, String topic, String detail) {
        Problem p = new Problem(clock.instant(), kind, subnet, device, topic, detail);
        Logger.warn("watch: {}", p);
        if (problems.size() < MAX_PROBLEMS) problems.add(p);
        else problemsOmitted++;
    }

    private void event(Leaf item, Outcome outcome, String subnet, String device, long number, String detail) {
        try {
            events.accept(new WatchEvent(clock.instant(), item, outcome, subnet, device, number, detail));
        } catch (RuntimeException e) {
            Logger.error(e, "watch: an event listener failed");
        }
    }

    /** A summary per device (those that published anything under a device topic), by device id. */
    public synchronized List<DeviceSummary> summaries() {
        return devices.values().stream().map(DeviceLedger::summary).toList();
    }

    /** The problems found so far by verification (seq gaps are judged by {@link #verdict()}). */
    public synchronized List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** Messages under the prefix that are not eiedge topics. */
    public synchronized long ignored() {
        return ignored;
    }

    /**
     * The judgement now: every problem found, plus one per device with readings missing from its
     * seq sequence and one per device whose readings still wait for a certificate.
     */
    public synchronized Verdict verdict() {
        List<Problem> all = new ArrayList<>(problems);
        long readings = 0;
        long headers = 0;
        long blocks = 0;
        long duplicates = 0;
        for (DeviceLedger d : devices.values()) {
            readings += d.readingsOk;
            headers += d.headersOk;
            blocks += d.blocksVerified;
            duplicates += d.duplicates;
            long missing = d.missing();
            if (missing > 0) {
                all.add(new Problem(clock.instant(), Problem.Kind.SEQ_GAP, d.subnet, d.device, "", missing
                        + (missing == 1 ? " reading" : " readings") + " missing: seq " + d.received.describeHoles(d.expectedUpTo(), 10)
                        + " (received " + d.received.lowest() + ".." + d.received.highest()
                        + (d.announcedUpTo > d.received.highest() ? ", headers commit up to " + d.announcedUpTo : "") + ")"));
            }
            if (d.held > 0) {
                all.add(new Problem(clock.instant(), Problem.Kind.UNVERIFIED, d.subnet, d.device, "", d.held
                        + " readings/headers never verified: no certificate of " + d.device + " arrived on its cert topic"));
            }
        }
        if (problemsOmitted > 0) {
            all.add(new Problem(clock.instant(), Problem.Kind.MALFORMED, "", "", "", problemsOmitted
                    + " further problems not kept (limit " + MAX_PROBLEMS + ")"));
        }
        long trusted = devices.values().stream().filter(d -> d.readingsOk > 0 || d.headersOk > 0).count();
        return new Verdict((int) trusted, readings, headers, blocks, duplicates, all);
    }
}
