package io.eiedge.ledger.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ObisCodeTest {

    @ParameterizedTest
    @ValueSource(strings = {"1-0:1.8.0", "1-0:2.8.0", "6-0:1.0.0", "7-0:3.0.0", "0-0:96.1.0", "255-255:255.255.255", "1-1:0.0.0"})
    void acceptsCanonicalCodes(String code) {
        assertTrue(ObisCode.isValid(code), code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1-0:1.8", "1-0:1.8.0.", "1-0:1.8.0.0", "1.0:1.8.0", "1-0.1.8.0", "1-0:1:8.0", "1-0:1.8:0",
            "256-0:1.8.0", "1-0:1.8.256", "01-0:1.8.0", "1-00:1.8.0", "1-0:1.8.00", "1000-0:1.8.0", "1-0:1.8.0 ", " 1-0:1.8.0",
            "a-0:1.8.0", "1-0:1.8.x", "-1-0:1.8.0", "1--0:1.8.0", "1-0::1.8.0", "1-0:1..8.0", "1-0:1.8.+1", "1-0:1.8.٣"})
    void refusesEverythingElse(String code) {
        assertFalse(ObisCode.isValid(code), code);
        assertThrows(IllegalArgumentException.class, () -> ObisCode.require(code));
    }
}
