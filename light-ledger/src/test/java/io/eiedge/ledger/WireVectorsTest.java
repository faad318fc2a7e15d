package io.eiedge.ledger;

import com.upokecenter.cbor.CBORObject;
import io.eiedge.ledger.codec.HeaderCodec;
import io.eiedge.ledger.codec.LedgerFormatException;
import io.eiedge.ledger.codec.ReadingCodec;
import io.eiedge.ledger.cose.CoseSign1;
import io.eiedge.ledger.cose.Ed25519PrivateKey;
import io.eiedge.ledger.cose.Ed25519PublicKey;
import io.eiedge.ledger.cose.SignatureException;
import io.eiedge.ledger.cose.SignedHeader;
import io.eiedge.ledger.cose.SignedReading;
import io.eiedge.ledger.merkle.MerkleTree;
import io.eiedge.ledger.model.ClockStatus;
import io.eiedge.ledger.model.Hash32;
import io.eiedge.ledger.model.Reading;
import io.eiedge.ledger.model.ScaledValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.eiedge.ledger.WireVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Every vector of shared/vectors/wire-v1.json, byte for byte. */
class WireVectorsTest {
    private final CBORObject v = WireVectors.load();
    private final Ed25519PrivateKey device = new Ed25519PrivateKey(hex(v.get("keys").get("device_seed_hex")));

    @Test
    void deviceKeyAndKidMatch() {
        assertArrayEquals(hex(v.get("keys").get("device_public_hex")), device.publicKey().bytes());
        assertArrayEquals(hex(v.get("keys").get("device_spki_der_hex")), device.publicKey().spkiDer());
        assertEquals(v.get("keys").get("kid_hex").AsString(), device.publicKey().kid().hex());
        assertEquals(v.get("protected_header_hex").AsString(),
                HexFormat.of().formatHex(CoseSign1.sign(new byte[0], device).encoded(), 3, 6));
    }

    @Test
    void readingsEncodeSignAndDecodeExactly() throws Exception {
        for (CBORObject r : v.get("readings").getValues()) {
            Reading reading = fields(r.get("fields"));
            assertEquals(r.get("payload_hex").AsString(), HexFormat.of().formatHex(ReadingCodec.encode(reading)),
                    "payload of seq " + reading.seq());
            SignedReading signed = SignedReading.sign(reading, device);
            assertEquals(r.get("cose_sign1_hex").AsString(), HexFormat.of().formatHex(signed.cose().encoded()),
                    "COSE of seq " + reading.seq());
            SignedReading decoded = SignedReading.decode(hex(r.get("cose_sign1_hex")));
            decoded.verify(device.publicKey());
            assertEquals(reading, decoded.reading());
        }
    }

    @Test
    void headersDecodeReencodeAndVerify() throws Exception {
        List<SignedHeader> headers = new ArrayList<>();
        for (CBORObject h : v.get("headers").getValues()) {
            SignedHeader decoded = SignedHeader.decode(hex(h.get("cose_sign1_hex")));
            decoded.verify(device.publicKey());
            assertEquals(h.get("header_hash_hex").AsString(), decoded.hash().hex());
            assertEquals(h.get("payload_hex").AsString(), HexFormat.of().formatHex(HeaderCodec.encode(decoded.header())));
            SignedHeader resigned = SignedHeader.sign(decoded.header(), device);
            assertEquals(h.get("cose_sign1_hex").AsString(), HexFormat.of().formatHex(resigned.cose().encoded()));
            assertEquals(v.get("certificates").get("device_cert_sha256_hex").AsString(), decoded.header().certHash().hex());
            headers.add(decoded);
        }
        SignedHeader genesis = headers.get(0);
        SignedHeader block1 = headers.get(1);
        assertEquals(0, genesis.header().height());
        assertEquals(Hash32.ZERO, genesis.header().prevHash());
        assertEquals(genesis.hash(), block1.header().prevHash());
        assertEquals(5, block1.header().count());
        assertEquals(1, block1.header().witnesses().size());

        // block 1 commits to the five readings, in order
        List<byte[]> leaves = new ArrayList<>();
        for (CBORObject r : v.get("readings").getValues()) {
            leaves.add(hex(r.get("cose_sign1_hex")));
        }
        List<Hash32> leafHashes = MerkleTree.leafHashes(leaves);
        assertEquals(block1.header().merkleRoot(), MerkleTree.root(leafHashes));
        for (CBORObject p : v.get("block1_inclusion_proofs").getValues()) {
            int index = p.get("leaf_index").AsInt32Value();
            List<Hash32> expected = p.get("path_hex").getValues().stream().map(x -> Hash32.ofHex(x.AsString())).toList();
            assertEquals(expected, MerkleTree.inclusionPath(leafHashes, index));
            assertTrue(MerkleTree.verifyInclusion(leafHashes.get(index), index, p.get("tree_size").AsInt64Value(),
                    expected, block1.header().merkleRoot()));
        }
    }

    @Test
    void merkleTreesOfRfc9162() {
        for (CBORObject t : v.get("merkle_rfc9162").getValues()) {
            List<byte[]> leaves = t.get("leaves_hex").getValues().stream().map(WireVectors::hex).toList();
            List<Hash32> hashes = MerkleTree.leafHashes(leaves);
            Hash32 root = MerkleTree.root(hashes);
            assertEquals(t.get("root_hex").AsString(), root.hex(), leaves.size() + " leaves");
            for (CBORObject inc : t.get("inclusion").getValues()) {
                int index = inc.get("leaf_index").AsInt32Value();
                List<Hash32> path = inc.get("path_hex").getValues().stream().map(x -> Hash32.ofHex(x.AsString())).toList();
                assertEquals(path, MerkleTree.inclusionPath(hashes, index), "leaf " + index + " of " + leaves.size());
                assertTrue(MerkleTree.verifyInclusion(hashes.get(index), index, leaves.size(), path, root));
            }
        }
    }

    /** Each negative vector is refused, and the refusal says what the vector's {@code why} says. */
    @Test
    void negativeReadingsAreRefusedForTheirOwnReason() {
        Map<String, String> expectedWords = Map.ofEntries(
                Map.entry("map keys not in ascending order", "not in ascending"),
                Map.entry("integer not in shortest form", "shortest form"),
                Map.entry("indefinite-length map", "indefinite"),
                Map.entry("duplicate map key", "duplicate map key"),
                Map.entry("float where [mantissa, scaler, unit] integers are required", "float where an integer is required"),
                Map.entry("required key 3 (seq) missing", "required key 3 (seq) missing"),
                Map.entry("seq is a text string", "key 3 (seq): text string where an integer is required"),
                Map.entry("COSE_Sign1 without tag 18", "not tagged 18"),
                Map.entry("alg is ES256 (-7), not EdDSA", "alg is ES256 (-7)"),
                Map.entry("kid of another key", "kid"),
                Map.entry("signature over another payload", "signature does not match"),
                Map.entry("trailing bytes after the COSE object", "trailing bytes"),
                Map.entry("truncated", "truncated"));
        for (CBORObject n : v.get("negative_readings").getValues()) {
            String why = n.get("why").AsString();
            String words = expectedWords.get(why);
            if (words == null) {
                fail("a negative vector this test does not know: " + why);
            }
            String refusal = refusal(hex(n.get("cose_sign1_hex")));
            assertTrue(refusal.contains(words), why + " was refused with: " + refusal);
        }
    }

    private String refusal(byte[] cose) {
        try {
            SignedReading.decode(cose).verify(device.publicKey());
        } catch (LedgerFormatException | SignatureException e) {
            return e.getMessage();
        }
        return "accepted";
    }

    @Test
    void flippingAnyByteOfASignedReadingIsCaught() {
        byte[] cose = hex(v.get("readings").get(0).get("cose_sign1_hex"));
        for (int i = 0; i < cose.length; i++) {
            for (int bit : new int[]{0x01, 0x80}) {
                byte[] tampered = cose.clone();
                tampered[i] ^= (byte) bit;
                assertThrows(Exception.class, () -> SignedReading.decode(tampered).verify(device.publicKey()),
                        "byte " + i + " flipped was accepted");
            }
        }
    }

    @Test
    void flippingAnyByteOfASignedHeaderIsCaught() {
        byte[] cose = hex(v.get("headers").get(1).get("cose_sign1_hex"));
        for (int i = 0; i < cose.length; i++) {
            byte[] tampered = cose.clone();
            tampered[i] ^= 0x04;
            assertThrows(Exception.class, () -> SignedHeader.decode(tampered).verify(device.publicKey()),
                    "byte " + i + " flipped was accepted");
        }
    }

    @Test
    void aSignatureByAnotherKeyIsRefused() throws Exception {
        Ed25519PublicKey other = new Ed25519PrivateKey(hex(v.get("keys").get("registrar_root_seed_hex"))).publicKey();
        SignedReading r = SignedReading.decode(hex(v.get("readings").get(0).get("cose_sign1_hex")));
        SignatureException e = assertThrows(SignatureException.class, () -> r.verify(other));
        assertTrue(e.getMessage().contains("kid"), e.getMessage());
    }

    private static Reading fields(CBORObject f) {
        Map<String, ScaledValue> values = new TreeMap<>();
        CBORObject vs = f.get("values");
        for (CBORObject k : vs.getKeys()) {
            CBORObject t = vs.get(k);
            values.put(k.AsString(), new ScaledValue(t.get(0).AsInt64Value(), t.get(1).AsInt32Value(), t.get(2).AsString()));
        }
        return new Reading(f.get("device").AsString(), f.get("meter").AsString(), f.get("seq").AsInt64Value(),
                f.get("time_ms").AsInt64Value(), ClockStatus.ofCode(f.get("clock").AsInt32Value()),
                Reading.values(values), f.get("quality").AsInt32Value());
    }
}
