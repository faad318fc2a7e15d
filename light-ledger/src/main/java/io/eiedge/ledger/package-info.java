/** The light local chain: signed readings, headers, Merkle proofs, stores and verification. */
package io.eiedge.ledger;
