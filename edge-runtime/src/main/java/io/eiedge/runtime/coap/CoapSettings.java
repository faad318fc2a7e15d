package io.eiedge.runtime.coap;

import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.SystemConfig;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.SignatureAndHashAlgorithm;
import org.eclipse.californium.scandium.dtls.cipher.CipherSuite;
import org.eclipse.californium.scandium.dtls.cipher.XECDHECryptography.SupportedGroup;

import java.util.concurrent.TimeUnit;

/**
 * Californium's configuration for eiedge, built in code: Californium would otherwise read (and
 * write) a {@code Californium3.properties} file in the working directory. Sized for a Raspberry Pi:
 * one thread each for receiving, DTLS records and the CoAP stack (measured: a second protocol or
 * DTLS thread only added thread hand-offs — a 100,000-header sync used ~5 % more CPU with two of
 * each), at most {@link #MAX_PEERS} peers and DTLS connections,
 * header ranges up to {@link #MAX_BODY} bytes reassembled block-wise in 1 KiB blocks.
 */
public final class CoapSettings {
    /** DTLS connections and CoAP peers a node keeps at once: a subnet's neighbours plus tools. */
    public static final int MAX_PEERS = 128;
    /** Largest body sent or reassembled: 500 headers with some witnesses each. */
    public static final int MAX_BODY = 512 * 1024;
    public static final int BLOCK_SIZE = 1024;
    /** Exchanges remembered per peer to answer retransmissions (at most this many of its messages in flight). */
    static final int DEDUPLICATION_WINDOW = 64;

    /**
     * Senders the server keeps state for at once — and so block-wise transfers in each direction
     * and peers in the deduplicator: Californium sizes its block-wise tables by {@code MAX_ACTIVE_PEERS}.
     * A subnet's neighbours pulling ranges at one moment, plus tools; a flood beyond it is refused
     * (the table refuses new transfers while full) instead of growing the heap.
     */
    public static final int SERVER_PEERS = 32;
    /**
     * Largest request body the server reassembles: a push of up to ~100 headers. Californium
     * reserves this much per open upload whose first block names no Size1 — with
     * {@link #SERVER_PEERS} uploads, {@code SERVER_PEERS × MAX_REQUEST_BODY} = 1 MiB at worst
     * (the 512 KiB it had reserved per upload let 128 never-finished uploads take 64 MiB).
     */
    public static final int MAX_REQUEST_BODY = 32 * 1024;
    /** Observe relations the server keeps: one per neighbour following our head. */
    public static final int MAX_OBSERVERS = 32;
    /** Largest UDP datagram read; anything longer is cut and refused as malformed. */
    public static final int MAX_DATAGRAM = 2048;

    private CoapSettings() {
    }

    /**
     * The server endpoint's configuration: the client one, with every table fed by strangers
     * sized for a flood (see {@link #SERVER_PEERS}, {@link #MAX_REQUEST_BODY}, {@link #MAX_OBSERVERS}).
     */
    public static Configuration server() {
        Configuration c = configuration();
        c.set(CoapConfig.MAX_ACTIVE_PEERS, SERVER_PEERS);
        c.set(CoapConfig.MAX_SERVER_OBSERVES, MAX_OBSERVERS);
        c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_REQUEST_BODY);
        // a transfer nobody continues is forgotten after 20 s, not kept for a minute
        c.set(CoapConfig.BLOCKWISE_STATUS_LIFETIME, 20, TimeUnit.SECONDS);
        c.set(CoapConfig.BLOCKWISE_STATUS_INTERVAL, 5, TimeUnit.SECONDS);
        // No deduplicator on the server: it kept every stranger's exchange, with its response, for up to
        // EXCHANGE_LIFETIME (measured: 2,000 exchanges, 18 MiB, under a 2,000-datagram/s flood). Every
        // request it serves is safe to answer twice — GETs, and pushes, whose headers the intake counts
        // as duplicates the second time — so a retransmission is simply served again.
        c.set(CoapConfig.DEDUPLICATOR, CoapConfig.NO_DEDUPLICATOR);
        c.set(CoapConfig.MAX_PEER_INACTIVITY_PERIOD, 10, TimeUnit.MINUTES);
        return c;
    }

    /**
     * A fresh configuration (never Californium's file-backed standard one): the client endpoint's,
     * which reassembles header ranges of up to {@link #MAX_BODY} from peers this node dialled.
     */
    public static Configuration configuration() {
        Configuration c = new Configuration(CoapConfig.DEFINITIONS, DtlsConfig.DEFINITIONS, UdpConfig.DEFINITIONS,
                SystemConfig.DEFINITIONS);
        c.set(CoapConfig.MAX_ACTIVE_PEERS, MAX_PEERS);
        c.set(CoapConfig.MAX_SERVER_OBSERVES, MAX_PEERS);
        c.set(CoapConfig.PROTOCOL_STAGE_THREAD_COUNT, 1);
        c.set(CoapConfig.MAX_MESSAGE_SIZE, BLOCK_SIZE);
        c.set(CoapConfig.PREFERRED_BLOCK_SIZE, BLOCK_SIZE);
        c.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, MAX_BODY);
        c.set(CoapConfig.BLOCKWISE_STATUS_LIFETIME, 60, TimeUnit.SECONDS);
        c.set(CoapConfig.NOTIFICATION_CHECK_INTERVAL_COUNT, 20);
        // Californium's default deduplicator keeps every exchange for EXCHANGE_LIFETIME (247 s): a
        // catch-up of 100,000 headers is ~28,000 block exchanges, hundreds of MB on the heap. Keeping
        // the newest messages per peer bounds it to MAX_PEERS x DEDUPLICATION_WINDOW.
        c.set(CoapConfig.DEDUPLICATOR, CoapConfig.DEDUPLICATOR_PEERS_MARK_AND_SWEEP);
        c.set(CoapConfig.PEERS_MARK_AND_SWEEP_MESSAGES, DEDUPLICATION_WINDOW);
        c.set(UdpConfig.UDP_DATAGRAM_SIZE, MAX_DATAGRAM);
        c.set(CoapConfig.TOKEN_SIZE_LIMIT, 8);
        c.set(UdpConfig.UDP_RECEIVER_THREAD_COUNT, 1);
        c.set(UdpConfig.UDP_SENDER_THREAD_COUNT, 1);
        c.set(DtlsConfig.DTLS_RECEIVER_THREAD_COUNT, 1);
        c.set(DtlsConfig.DTLS_CONNECTOR_THREAD_COUNT, 1);
        c.set(DtlsConfig.DTLS_MAX_CONNECTIONS, MAX_PEERS);
        c.set(DtlsConfig.DTLS_STALE_CONNECTION_THRESHOLD, 30, TimeUnit.MINUTES);
        c.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
        // peers are dialled by address; who they are is checked on their certificate's eiedge SAN instead
        c.set(DtlsConfig.DTLS_VERIFY_SERVER_CERTIFICATES_SUBJECT, false);
        c.set(DtlsConfig.DTLS_USE_SERVER_NAME_INDICATION, false);
        c.setAsList(DtlsConfig.DTLS_CERTIFICATE_TYPES, CertificateType.X_509);
        c.setAsList(DtlsConfig.DTLS_CIPHER_SUITES, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        c.setAsList(DtlsConfig.DTLS_CURVES, SupportedGroup.X25519, SupportedGroup.secp256r1);
        // Ed25519 first: every eiedge certificate (device and registrar root) is Ed25519
        c.setAsList(DtlsConfig.DTLS_SIGNATURE_AND_HASH_ALGORITHMS, SignatureAndHashAlgorithm.INTRINSIC_WITH_ED25519,
                SignatureAndHashAlgorithm.SHA256_WITH_ECDSA);
        c.setAsList(DtlsConfig.DTLS_CERTIFICATE_KEY_ALGORITHMS, CipherSuite.CertificateKeyAlgorithm.EC);
        return c;
    }
}
