-- eiedge aggregator store, version 1. Applied by eiedge ingest (Migrations), never by hand.
-- Every table keeps the signed COSE bytes, so anything here can be re-verified with the registrar root.

-- Device certificates that chained to the registrar root when received.
CREATE TABLE certificate (
    cert_hash   bytea PRIMARY KEY,              -- SHA-256 of the DER (header key 10)
    kid         bytea NOT NULL,                 -- SHA-256 of the SubjectPublicKeyInfo (COSE kid)
    device      text NOT NULL,
    subnet      text NOT NULL,
    role        text NOT NULL,
    serial      text NOT NULL,                  -- hex
    not_after   timestamptz NOT NULL,
    der         bytea NOT NULL,
    revoked_by  numeric,                        -- number of the CRL that revoked it, null while not revoked
    first_seen  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certificate_kid ON certificate (kid);
CREATE INDEX certificate_subnet ON certificate (subnet, device);

-- Registrar CRLs that verified with the root; the newest number is in force.
CREATE TABLE crl (
    number      numeric PRIMARY KEY,
    this_update timestamptz NOT NULL,
    der         bytea NOT NULL,
    received    timestamptz NOT NULL DEFAULT now()
);

-- Verified readings. A re-keyed device starts a new chain from seq 1 under its new certificate,
-- so the key is (device, cert_hash, seq): (device, seq) within one chain.
CREATE TABLE reading (
    device      text NOT NULL,
    cert_hash   bytea NOT NULL REFERENCES certificate,
    seq         bigint NOT NULL,
    subnet      text NOT NULL,
    meter       text NOT NULL,
    time_ms     bigint NOT NULL,                -- reading key 4
    clock       smallint NOT NULL,              -- key 5
    quality     integer NOT NULL,               -- key 7
    vals        jsonb NOT NULL,                 -- key 6: {"OBIS": [mantissa, scaler, "unit"]}
    digest      bytea NOT NULL,                 -- SHA-256 of cose
    cose        bytea NOT NULL,                 -- the whole COSE_Sign1, the Merkle leaf data
    stored      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device, cert_hash, seq)
);
CREATE INDEX reading_time ON reading (device, time_ms);

-- Verified headers. merkle: pending until every reading of the block is stored, then ok or mismatch.
-- link: pending until the header below is stored, then ok or broken (genesis: ok when well-formed).
CREATE TABLE header (
    device      text NOT NULL,
    cert_hash   bytea NOT NULL REFERENCES certificate,
    height      bigint NOT NULL,
    subnet      text NOT NULL,
    hash        bytea NOT NULL,                 -- SHA-256 of the header map
    prev_hash   bytea NOT NULL,
    merkle_root bytea NOT NULL,
    first_seq   bigint NOT NULL,
    count       bigint NOT NULL,
    sealed_ms   bigint NOT NULL,
    summary     jsonb NOT NULL,                 -- key 8: {"meter/OBIS": [mantissa, scaler, "unit"]}
    witnesses   jsonb NOT NULL,                 -- key 9: [[peer, height, "hash hex"]]
    loss_count  bigint NOT NULL DEFAULT 0,      -- key 11: seqs first_seq-loss_count .. first_seq-1 declared lost
    loss_reason integer,
    cose        bytea NOT NULL,
    merkle      text NOT NULL DEFAULT 'pending' CHECK (merkle IN ('pending', 'ok', 'mismatch')),
    link        text NOT NULL DEFAULT 'pending' CHECK (link IN ('pending', 'ok', 'broken')),
    stored      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (device, cert_hash, height)
);
CREATE INDEX header_pending_merkle ON header (device, cert_hash) WHERE merkle = 'pending';
CREATE INDEX header_pending_link ON header (device, cert_hash) WHERE link = 'pending';

-- What was refused or found: kinds are watch's problem labels (forged, revoked, equivocation for a
-- second different content of one seq or height, broken-link, merkle-mismatch, malformed,
-- untrusted-certificate, unverified, bad-crl, alert). cose is the refused object; other_cose the
-- stored one it contradicts (equivocation). evidence is unique, so a re-delivery adds nothing.
CREATE TABLE verdict (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    kind        text NOT NULL,
    subnet      text NOT NULL,
    device      text NOT NULL,
    number      bigint,                         -- seq or height, when known
    topic       text NOT NULL,
    detail      text NOT NULL,
    cose        bytea,
    other_cose  bytea,
    evidence    bytea NOT NULL UNIQUE           -- SHA-256 over kind, topic and the bytes
);
CREATE INDEX verdict_device ON verdict (device, kind);

-- Equivocation evidence published by peers on {prefix}/{subnet}/alert.
CREATE TABLE alert (
    digest      bytea PRIMARY KEY,              -- SHA-256 of the alert payload
    subnet      text NOT NULL,
    device      text NOT NULL,                  -- the accused
    height      bigint NOT NULL,
    header_a    bytea NOT NULL,
    header_b    bytea NOT NULL,
    verified    boolean NOT NULL,               -- both headers signed under one certificate of the device
    detail      text NOT NULL,
    received    timestamptz NOT NULL DEFAULT now()
);

-- Subnet balances of exchanges, signature verified.
CREATE TABLE balance (
    digest      bytea PRIMARY KEY,
    subnet      text NOT NULL,
    device      text NOT NULL,
    time_ms     bigint NOT NULL,
    cose        bytea NOT NULL,
    received    timestamptz NOT NULL DEFAULT now()
);

-- Seqs declared lost by devices (header key 11).
CREATE VIEW declared_loss AS
SELECT device, cert_hash, subnet, height, first_seq - loss_count AS first_lost, first_seq - 1 AS last_lost,
       loss_count, loss_reason
FROM header WHERE loss_count > 0;

-- Holes in each chain's seqs: before the first stored reading, between stored readings, and after
-- the last one up to what stored headers commit to. lost = how many of them the device declared
-- lost; a hole is listed until it is filled; missing = 0 means it was all declared.
CREATE VIEW seq_gap AS
WITH known AS (
    SELECT device, cert_hash, subnet, seq FROM reading
), stepped AS (
    SELECT device, cert_hash, subnet, seq, lead(seq) OVER (PARTITION BY device, cert_hash ORDER BY seq) AS next
    FROM known
), committed AS (
    SELECT device, cert_hash, max(subnet) AS subnet, max(first_seq + count - 1) AS upto FROM header GROUP BY device, cert_hash
), bounds AS (
    SELECT device, cert_hash, max(subnet) AS subnet, min(seq) AS lo, max(seq) AS hi FROM known GROUP BY device, cert_hash
), holes AS (
    SELECT device, cert_hash, subnet, seq + 1 AS first_missing, next - 1 AS last_missing FROM stepped WHERE next > seq + 1
    UNION ALL
    SELECT device, cert_hash, subnet, 1, lo - 1 FROM bounds WHERE lo > 1
    UNION ALL
    SELECT c.device, c.cert_hash, c.subnet, coalesce(b.hi, 0) + 1, c.upto
    FROM committed c LEFT JOIN bounds b USING (device, cert_hash) WHERE c.upto > coalesce(b.hi, 0)
)
SELECT h.device, h.cert_hash, h.subnet, h.first_missing, h.last_missing,
       h.last_missing - h.first_missing + 1 AS size,
       coalesce((SELECT sum(least(h.last_missing, l.last_lost) - greatest(h.first_missing, l.first_lost) + 1)
                 FROM declared_loss l
                 WHERE l.device = h.device AND l.cert_hash = h.cert_hash
                   AND l.first_lost <= h.last_missing AND l.last_lost >= h.first_missing), 0)::bigint AS lost
FROM holes h;
