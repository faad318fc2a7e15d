package io.eiedge.drivers.modbus;

import java.util.List;
import java.util.Objects;

/**
 * One device model of the profile library: its register map (the same schema as a
 * technician's config-defined map) plus who makes it, how it is recognised on a bus, and the
 * maker's document the registers were taken from.
 *
 * @param name     what a technician types: {@code profile: abb-b23}, {@code --profile abb-b23}
 * @param maker    e.g. "ABB"
 * @param model    e.g. "B23 (3-phase, direct connected, 65 A)"
 * @param protocol "modbus" (RTU or TCP: the register map does not depend on the transport)
 * @param source   the maker's document
 * @param identity registers that recognise the model on a scan (all must match); may be empty
 * @param map      the register map
 */
public record DeviceProfile(String name, String maker, String model, String protocol, Source source,
                            List<IdentityCheck> identity, RegisterMap map) {

    public DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maker, () -> "profile " + name + ": maker");
        Objects.requireNonNull(model, () -> "profile " + name + ": model");
        Objects.requireNonNull(protocol, () -> "profile " + name + ": protocol");
        Objects.requireNonNull(source, () -> "profile " + name + ": source");
        identity = List.copyOf(identity);
        Objects.requireNonNull(map, () -> "profile " + name + ": map");
        if (!map.name().equals(name)) {
            throw new IllegalArgumentException("profile " + name + ": map is named " + map.name());
        }
    }

    /**
     * The maker's document: title, version and date as printed on it, and how the map was checked.
     *
     * @param document e.g. "B23/B24 User Manual, 2CMC485003M0201"
     * @param version  e.g. "Revision A"
     * @param date     e.g. "2013-06"
     * @param checked  what the registers were checked against (a note for the next maintainer)
     */
    public record Source(String document, String version, String date, String checked) {
        public Source {
            Objects.requireNonNull(document, "document");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(date, "date");
            Objects.requireNonNull(checked, "checked");
        }

        /** "B23/B24 User Manual, 2CMC485003M0201, Revision A, 2013-06". */
        public String cite() {
            return document + ", " + version + ", " + date;
        }
    }

    /**
     * One register read on a scan and what it must hold for the model: the raw value (before the
     * scaler) within {@code min…max}. A plausibility check (mains frequency in 45…65 Hz at the
     * model's frequency register) recognises a register layout, not one model of a family.
     */
    public record IdentityCheck(RegisterType type, int address, DataType dataType, WordOrder wordOrder,
                                double min, double max, String what) {
        public IdentityCheck {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(dataType, "dataType");
            Objects.requireNonNull(wordOrder, "wordOrder");
            Objects.requireNonNull(what, "what");
            if (max < min) throw new IllegalArgumentException("identity check at " + address + ": max below min");
        }

        /** Whether the registers read at {@link #address()} hold an acceptable value. */
        public boolean matches(int[] words) {
            long raw = wordOrder.assemble(words, 0, dataType.words());
            double v = switch (dataType) {
                case INT16 -> (short) raw;
                case UINT16 -> raw & 0xFFFF;
                case INT32 -> (int) raw;
                case UINT32 -> raw & 0xFFFF_FFFFL;
                case INT64 -> raw;
                case FLOAT32 -> Float.intBitsToFloat((int) raw);
            };
            return v >= min && v <= max;
        }
    }
}
