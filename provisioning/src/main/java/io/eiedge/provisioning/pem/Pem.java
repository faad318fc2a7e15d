package io.eiedge.provisioning.pem;

import io.eiedge.provisioning.Problem;
import io.eiedge.provisioning.ProvisioningException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * PEM text in and out (RFC 7468), with refusals that name the file and what was wrong in it.
 * Parsing the base64 and the armour is BouncyCastle's; this class adds the checks and messages.
 */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String ENCRYPTED_PRIVATE_KEY = "ENCRYPTED PRIVATE KEY";
    public static final String X509_CRL = "X509 CRL";

    private Pem() {
    }

    /** Encodes DER as one PEM block with the given label. */
    public static String encode(String label, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(label, der));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** Reads a file's text; a missing file is {@link Problem#NOT_FOUND}. */
    public static String readText(Path file) throws ProvisioningException {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ProvisioningException(Problem.NOT_FOUND, file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ProvisioningException(Problem.INVALID_INPUT, file + ": not PEM text (binary data)");
        } catch (IOException e) {
            throw new ProvisioningException(Problem.IO, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads exactly one PEM block with one of the accepted labels from a file. */
    public static PemObject readOne(Path file, Set<String> labels) throws ProvisioningException {
        return decodeOne(readText(file), file.toString(), labels);
    }

    /**
     * Decodes exactly one PEM block with one of the accepted labels.
     *
     * @param where the file or source name, for messages
     */
    public static PemObject decodeOne(String text, String where, Set<String> labels) throws ProvisioningException {
        List<PemObject> all = decodeAll(text, where);
        if (all.isEmpty()) {
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": no PEM block found (expected -----BEGIN " + String.join(" or ", labels) + "-----)");
        }
        PemObject first = all.get(0);
        if (!labels.contains(first.getType())) {
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": holds a PEM " + first.getType() + ", expected " + String.join(" or ", labels));
        }
        if (all.size() > 1) {
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": holds " + all.size() + " PEM blocks, expected exactly one " + first.getType());
        }
        if (first.getContent().length == 0) {
            throw new ProvisioningException(Problem.INVALID_INPUT, where + ": the PEM " + first.getType() + " is empty");
        }
        return first;
    }

    /** Decodes every PEM block in the text; a corrupted block is a refusal naming the source. */
    public static List<PemObject> decodeAll(String text, String where) throws ProvisioningException {
        List<PemObject> out = new ArrayList<>();
        try (PemReader r = new PemReader(new StringReader(text))) {
            PemObject o;
            while ((o = r.readPemObject()) != null) {
                out.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // PemReader reports a missing END line or bad base64 this way
            throw new ProvisioningException(Problem.INVALID_INPUT,
                    where + ": corrupted PEM (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty() && text.contains("-----BEGIN")) {
            throw new ProvisioningException(Problem.INVALID_INPUT, where + ": corrupted PEM (BEGIN line without a matching END line)");
        }
        return out;
    }
}
