/** Device identities and the registrar: keys, CSRs, certificates, revocation lists. */
package io.eiedge.provisioning;
