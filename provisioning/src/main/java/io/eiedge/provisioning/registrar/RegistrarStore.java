package io.eiedge.provisioning.registrar;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import io.eiedge.provisioning.identity.DeviceName;
import io.eiedge.provisioning.identity.Role;
import org.mapdb.Atomic;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.DataInput2;
import org.mapdb.DataOutput2;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The registrar's own records in MapDB (transactions on, explicit serializers, no Java
 * serialization): the certificates issued (by serial, with their revocation), the decisions
 * made, and the CRL counter. Every change is one transaction: it lands whole or not at all.
 */
final class RegistrarStore implements AutoCloseable {

    private static final int FORMAT = 1;

    private final DB db;
    private final HTreeMap<String, IssuedCertificate> certificates;
    private final HTreeMap<Long, Decision> decisions;
    private final Atomic.Long crlNumber;

    private RegistrarStore(DB db) {
        this.db = db;
        this.certificates = db.hashMap("certificates", Serializer.STRING, new IssuedSerializer()).createOrOpen();
        this.decisions = db.hashMap("decisions", Serializer.LONG, new DecisionSerializer()).createOrOpen();
        this.crlNumber = db.atomicLong("crlNumber").createOrOpen();
    }

    static RegistrarStore open(Path file) throws ProvisioningException {
        try {
            return new RegistrarStore(DBMaker.fileDB(file.toFile()).transactionEnable().fileChannelEnable().make());
        } catch (RuntimeException e) {
            throw new ProvisioningException(Problem.IO, file + ": cannot open the registrar store (" + e.getMessage()
                    + "; is another registrar command running?)", e);
        }
    }

    List<IssuedCertificate> certificates() {
        List<IssuedCertificate> all = new ArrayList<>(certificates.getValues());
        all.sort(Comparator.comparing(IssuedCertificate::issuedAt).thenComparing(IssuedCertificate::serial));
        return all;
    }

    Optional<IssuedCertificate> certificate(BigInteger serial) {
        return Optional.ofNullable(certificates.get(serial.toString(16)));
    }

    List<Decision> decisions() {
        List<Decision> all = new ArrayList<>(decisions.getValues());
        all.sort(Comparator.comparingLong(Decision::seq));
        return all;
    }

    long currentCrlNumber() {
        return crlNumber.get();
    }

    /** Records certificates (new or revoked) and the decision, in one transaction. */
    void record(List<IssuedCertificate> changed, Decision.Action action, String operator, String deviceId,
                String serialHex, String detail, Instant at) {
        try {
            for (IssuedCertificate c : changed) {
                certificates.put(c.serialHex(), c);
            }
            appendDecision(action, operator, deviceId, serialHex, detail, at);
            db.commit();
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Raises the CRL number and records the decision, in one transaction; returns the new number. */
    long nextCrlNumber(String operator, String detail, Instant at) {
        try {
            long n = crlNumber.incrementAndGet();
            appendDecision(Decision.Action.CRL_ISSUED, operator, "", "", "number " + n + ", " + detail, at);
            db.commit();
            return n;
        } catch (RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    private void appendDecision(Decision.Action action, String operator, String deviceId, String serialHex,
                                String detail, Instant at) {
        long seq = decisions.size() + 1L; // decisions are never removed, so the count is the last seq
        decisions.put(seq, new Decision(seq, at, operator, action, deviceId, serialHex, detail));
    }

    @Override
    public void close() {
        db.close();
    }

    private static final class IssuedSerializer implements Serializer<IssuedCertificate> {
        @Override
        public void serialize(DataOutput2 out, IssuedCertificate c) throws IOException {
            out.writeByte(FORMAT);
            byte[] serial = c.serial().toByteArray();
            out.writeInt(serial.length);
            out.write(serial);
            out.writeUTF(c.name().deviceId());
            out.writeUTF(c.name().subnet());
            out.writeUTF(c.name().role().label());
            out.writeUTF(c.kidHex());
            out.writeLong(c.notBefore().toEpochMilli());
            out.writeLong(c.notAfter().toEpochMilli());
            out.writeLong(c.issuedAt().toEpochMilli());
            out.writeUTF(c.issuedBy());
            byte[] der = c.der();
            out.writeInt(der.length);
            out.write(der);
            out.writeBoolean(c.isRevoked());
            if (c.isRevoked()) {
                out.writeLong(c.revokedAt().orElseThrow().toEpochMilli());
                out.writeUTF(c.reason().orElseThrow().name());
            }
        }

        @Override
        public IssuedCertificate deserialize(DataInput2 in, int available) throws IOException {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("registrar store record format " + format + " is not " + FORMAT);
            }
            byte[] serial = new byte[in.readInt()];
            in.readFully(serial);
            String id = in.readUTF();
            String subnet = in.readUTF();
            DeviceName name = new DeviceName(id, subnet, Role.parse(in.readUTF()).orElseThrow());
            String kid = in.readUTF();
            Instant nb = Instant.ofEpochMilli(in.readLong());
            Instant na = Instant.ofEpochMilli(in.readLong());
            Instant issued = Instant.ofEpochMilli(in.readLong());
            String by = in.readUTF();
            byte[] der = new byte[in.readInt()];
            in.readFully(der);
            Optional<Instant> revokedAt = Optional.empty();
            Optional<RevocationReason> reason = Optional.empty();
            if (in.readBoolean()) {
                revokedAt = Optional.of(Instant.ofEpochMilli(in.readLong()));
                reason = Optional.of(RevocationReason.valueOf(in.readUTF()));
            }
            return new IssuedCertificate(new BigInteger(serial), name, kid, nb, na, issued, by, der, revokedAt, reason);
        }
    }

    private static final class DecisionSerializer implements Serializer<Decision> {
        @Override
        public void serialize(DataOutput2 out, Decision d) throws IOException {
            out.writeByte(FORMAT);
            out.writeLong(d.seq());
            out.writeLong(d.at().toEpochMilli());
            out.writeUTF(d.operator());
            out.writeUTF(d.action().name());
            out.writeUTF(d.deviceId());
            out.writeUTF(d.serialHex());
            out.writeUTF(d.detail());
        }

        @Override
        public Decision deserialize(DataInput2 in, int available) throws IOException {
            int format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("registrar store record format " + format + " is not " + FORMAT);
            }
            return new Decision(in.readLong(), Instant.ofEpochMilli(in.readLong()), in.readUTF(),
                    Decision.Action.valueOf(in.readUTF()), in.readUTF(), in.readUTF(), in.readUTF());
        }
    }
}
