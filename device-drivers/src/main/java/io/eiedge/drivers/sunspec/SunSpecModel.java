package io.eiedge.drivers.sunspec;

/** One model in a SunSpec device's chain: its id, the address of its id register, and its body length. */
public record SunSpecModel(int id, int address, int length) {

    /** Meters 201–204 (integer with scale factors) and inverters 101–103. */
    public boolean supported() {
        return isMeter() || isInverter();
    }

    public boolean isMeter() {
        return id >= 201 && id <= 204;
    }

    public boolean isInverter() {
        return id >= 101 && id <= 103;
    }

    /** Plain-language name, for technicians. */
    public String describe() {
        String what = switch (id) {
            case 1 -> "common";
            case 101 -> "inverter, single phase";
            case 102 -> "inverter, split phase";
            case 103 -> "inverter, three phase";
            case 201 -> "meter, single phase";
            case 202 -> "meter, split phase";
            case 203 -> "meter, three phase wye";
            case 204 -> "meter, three phase delta";
            default -> "not read by eiedge";
        };
        return "model " + id + " (" + what + ") at " + address + ", " + length + " registers";
    }
}
